"""The ``mkdocs-kommune`` command line.

``main`` declares the commands with click; each command's body is a plain function returning an
exit code (``datafile``: validate and init, ``refresh``, ``site``: redirects and schema), and
``common`` holds what they share: the exit codes, finding the data file, printing problems.
"""

from .main import main

__all__ = ["main"]
