"""``python -m mkdocs_kommune``: the same command line as ``mkdocs-kommune``."""

from mkdocs_kommune.cli.main import main

main(prog_name="mkdocs-kommune")
