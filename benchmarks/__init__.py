"""The speed benchmark of mkdocs-kommune (``make bench``): sites, paired builds, report.

Not part of ``make test``: it takes minutes and its figures depend on the machine.
"""
