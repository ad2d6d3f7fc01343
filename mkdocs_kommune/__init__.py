"""mkdocs-kommune: tables of which open-data catalogues cover Norway's municipalities, for MkDocs."""

__version__ = "0.1.0"
