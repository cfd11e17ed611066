"""The command line: one module per verb, one error handler for all of them (main.py)."""
