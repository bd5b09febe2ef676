"""`python -m ntm …` — the command line over the engine."""

import sys

from .cli import main

sys.exit(main())
