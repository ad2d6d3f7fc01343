"""Build real MkDocs sites in temporary folders: the one helper every test uses."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from bs4 import BeautifulSoup
from mkdocs.commands.build import build
from mkdocs.config import load_config

# Material for MkDocs prints a banner about MkDocs 2 on every build; keep test output readable.
QUIET_ENV = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}

DEFAULT_PLUGINS: list[Any] = ["search", "kommune", "macros"]


@dataclass
class Site:
    """A project folder: mkdocs.yml, docs/, and after a build, site/."""

    root: Path
    config: dict[str, Any] = field(default_factory=dict)

    @property
    def site_dir(self) -> Path:
        return self.root / "site"

    def html(self, path: str) -> str:
        return (self.site_dir / path).read_text(encoding="utf-8")

    def soup(self, path: str) -> BeautifulSoup:
        return BeautifulSoup(self.html(path), "html.parser")

    def build(self, *, strict: bool = True) -> Site:
        """Build in this process with the real MkDocs; raises what MkDocs raises."""
        os.environ.update(QUIET_ENV)
        config = load_config(config_file=str(self.root / "mkdocs.yml"), strict=strict)
        build(config)
        return self

    def run(
        self, *args: str, command: str = "mkdocs", timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        """Run the real command line (``mkdocs build`` …) in the project folder."""
        exe = Path(sys.executable).parent / command
        return subprocess.run(
            [str(exe), *args],
            cwd=self.root,
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**os.environ, **QUIET_ENV},
            check=False,
        )

    @contextlib.contextmanager
    def serve(self) -> Iterator[str]:
        """Run the real ``mkdocs serve`` on a free port of 127.0.0.1; yields its base URL.

        Its output goes to ``serve.log`` in the project folder, printed when the body fails.
        """
        port = free_port()
        log_path = self.root / "serve.log"
        with log_path.open("w", encoding="utf-8") as log:
            process = subprocess.Popen(
                [
                    str(Path(sys.executable).parent / "mkdocs"),
                    "serve",
                    "--dev-addr",
                    f"127.0.0.1:{port}",
                ],
                cwd=self.root,
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, **QUIET_ENV},
            )
            try:
                yield f"http://127.0.0.1:{port}"
            except BaseException:
                print("mkdocs serve output:\n" + log_path.read_text(encoding="utf-8"))
                raise
            finally:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=10)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def make_site(
    root: Path,
    files: dict[str, str],
    *,
    plugins: list[Any] | None = None,
    **config: Any,
) -> Site:
    """Write ``mkdocs.yml`` (site_name Test, the given plugins and options) and the given files.

    Keys of ``files`` are paths relative to the project folder, e.g. ``docs/index.md``.
    """
    settings: dict[str, Any] = {"site_name": "Test", "plugins": plugins or DEFAULT_PLUGINS}
    settings.update(config)
    root.mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return Site(root, settings)
