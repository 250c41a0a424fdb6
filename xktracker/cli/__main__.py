"""``python -m xktracker.cli``."""

from xktracker.cli import main

main()
