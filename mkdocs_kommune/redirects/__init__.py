"""``redirect_from`` aliases: old addresses that send readers to a page.

``aliases`` checks alias paths and targets (URL arithmetic), ``plan`` plans the stubs and checks
collisions, ``stubs`` renders them, all from plain inputs; the two entry points are ``build`` (the plugin's
generated files in a MkDocs build) and ``site`` (``mkdocs-kommune redirects`` on a site an engine
without plugins built). ``pagesource`` and ``slots`` are their small helpers.
"""
