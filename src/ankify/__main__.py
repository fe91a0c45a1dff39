"""`python -m ankify`."""

from .cli import main

main()
