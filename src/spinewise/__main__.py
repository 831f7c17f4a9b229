"""``python -m spinewise``: the same command line as ``spinewise``."""

from spinewise.cli import main

main()
