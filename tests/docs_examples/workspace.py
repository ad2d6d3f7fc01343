"""The folder a page's examples run in: one project folder per site name, commands, the fake server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import yaml

from tests.support.catalogues import PATHS, Fake
from tests.support.sites import QUIET_ENV

REPO = Path(__file__).resolve().parent.parent.parent
BIN = Path(sys.executable).parent  # the test venv: mkdocs, mkdocs-kommune, zensical, Material


class Workspace:
    """State shared by the examples of one page, in page order (Sybil evaluates them so)."""

    def __init__(self, root: Path | None = None, wheel: Path | None = None) -> None:
        self.root = root or Path(tempfile.mkdtemp(prefix="docs-examples-"))
        self.site_name = "main"
        self.fake: Fake | None = None
        self.last_exit = 0
        # With a wheel, the journey: install lines run for real (the wheel for the one the docs
        # name), and the site's .venv is the one the guide creates, not the test venv.
        self.wheel = wheel

    @property
    def site(self) -> Path:
        site = self.root / self.site_name
        if not site.exists():
            site.mkdir(parents=True)
            if self.wheel is None:
                # The docs say `.venv/bin/mkdocs …` after creating .venv: here, the test venv.
                (site / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
        return site

    def substitute(self, text: str) -> str:
        """Hidden steps may name the fake catalogue server (@FAKE@) and the checkout (@REPO@)."""
        if "@FAKE@" in text:
            text = text.replace("@FAKE@", self.start_fake().url("").rstrip("/"))
        return text.replace("@REPO@", str(REPO))

    def start_fake(self, settings: dict[str, Any] | None = None) -> Fake:
        if self.fake is None:
            from pytest_httpserver import HTTPServer

            server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
            server.start()
            self.fake = Fake(server)
            for path in PATHS:
                server.expect_request(path).respond_with_handler(self.fake.handle)
        for key, value in (settings or {}).items():
            setattr(self.fake, key, value)
        return self.fake

    def env(self) -> dict[str, str]:
        env = {**os.environ, **QUIET_ENV, "PYTHONUNBUFFERED": "1"}  # output in terminal order
        if self.wheel is None:
            env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
        else:  # nothing of the test venv: python3 is the system's, the rest the guide's .venv
            paths = env.get("PATH", "").split(os.pathsep)
            venv_bin = str(self.site / ".venv" / "bin")
            env["PATH"] = os.pathsep.join([venv_bin, *(p for p in paths if p != str(BIN))])
            env.pop("VIRTUAL_ENV", None)
            env.update(
                PIP_CACHE_DIR=str(self.root / "pip-cache"),  # nothing cached outside the test's tmp
                PIP_DISABLE_PIP_VERSION_CHECK="1",
                PIP_NO_COMPILE="1",  # bytecode is written on first import instead: seconds saved
            )
        # git commits as a person would; a repository's own `git config user.name` still wins.
        gitconfig = self.root / "gitconfig"
        if not gitconfig.exists():
            gitconfig.write_text(
                "[user]\n\tname = Docs Example\n\temail = docs@example.org\n"
                "[init]\n\tdefaultBranch = main\n",
                encoding="utf-8",
            )
        env["GIT_CONFIG_GLOBAL"] = str(gitconfig)
        env.pop("CI", None)  # gh-deploy and friends behave as on an author's machine
        return env

    def shell(self, command: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
        """Run one command line with bash in the current site; stdout and stderr together."""
        result = subprocess.run(
            ["bash", "-c", command],
            cwd=self.site,
            env=self.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=timeout,
        )
        self.last_exit = result.returncode
        return result

    def serve(self, command: str, path: str = "/") -> str:
        """`mkdocs serve` as the docs show it, on a free port instead of 8000; the page it serves."""
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        process = subprocess.Popen(
            ["bash", "-c", f"exec {command} --dev-addr 127.0.0.1:{port}"],
            cwd=self.site,
            env=self.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                if process.poll() is not None:
                    raise AssertionError(f"`{command}` stopped:\n{process.communicate()[0]}")
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as r:
                        return str(r.read().decode("utf-8"))
                except OSError:
                    time.sleep(0.3)
            raise AssertionError(f"`{command}` served nothing at {path} within 60 s")
        finally:
            process.terminate()
            process.communicate(timeout=20)

    def read_yaml(self, path: str) -> Any:
        return yaml.safe_load((self.site / path).read_text(encoding="utf-8"))

    def close(self) -> None:
        if self.fake is not None:
            self.fake.server.stop()
        shutil.rmtree(self.root, ignore_errors=True)
