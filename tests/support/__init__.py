"""What the tests share: the site builder, headless Chromium, the fake catalogues, data files.

The fixtures of ``browser`` and ``catalogues`` reach every test through ``conftest.py``'s
``pytest_plugins``; test modules import only the plain helpers and constants from here, never
from one another.
"""
