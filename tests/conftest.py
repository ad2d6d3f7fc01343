from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.support.sites import Site, make_site

# Fixtures every test module may use by name: headless Chromium and the fake catalogues.
pytest_plugins = [
    "tests.support.browser",
    "tests.support.catalogues",
    "tests.support.hostile_server",
]

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def new_site(tmp_path: Path) -> Callable[..., Site]:
    """``new_site({"docs/index.md": "..."}, plugins=[...], **mkdocs_options)`` -> an unbuilt Site."""
    counter = iter(range(1000))

    def factory(files: dict[str, str], **options: Any) -> Site:
        return make_site(tmp_path / f"site{next(counter)}", files, **options)

    return factory
