"""``python -m mkdocs_kommune``: the same command line as ``mkdocs-kommune``."""

from mkdocs_kommune.cli import main

main(prog_name="mkdocs-kommune")
