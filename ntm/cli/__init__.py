"""`python -m ntm COMMAND`: the command line over the engine (one module per group of commands)."""
