"""The command line: click only. Each command parses its options, calls one pipeline function
and turns AnkifyError into a message (`app.reported`).

Heavy libraries (markdown-it, genanki, PyMuPDF, sympy) are imported inside the commands, so
`ankify --help` starts fast.
"""

from . import build, lint, pacing, sync  # noqa: F401 - importing them adds their commands to `main`
from .app import main

__all__ = ["main"]
