"""`python -m ntm …` — the command line over the engine."""

import sys

from ntm.cli.main import main

sys.exit(main())
