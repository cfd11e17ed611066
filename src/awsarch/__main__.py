"""`python -m awsarch` runs the command line."""

from awsarch.cli.main import main

main()
