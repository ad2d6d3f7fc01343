"""Collect the examples of README.md and docs/ as tests (see tests/docs_examples)."""

import pytest

# The shared test helpers are imported here first (by the examples' workspace): have pytest
# rewrite their asserts as it does for the modules tests/conftest.py names in pytest_plugins.
pytest.register_assert_rewrite("tests.support")

from tests.docs_examples import DOCS  # noqa: E402

pytest_collect_file = DOCS.pytest()
