"""`python -m ntm …` — the command line over the engine. Output cut short by its reader (`… | head`) ends
the command quietly, as other command-line tools do."""

import os
import signal
import sys

from ntm.cli.main import main


def run() -> int:
    """The command's exit code; 128 + SIGPIPE when whoever reads its output stopped reading."""
    try:
        code = main()
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())   # no second error at exit
        return 128 + signal.SIGPIPE


sys.exit(run())
