"""`refresh` as a real process: piped output, exit codes, and SIGKILL at any moment."""

from __future__ import annotations

import contextlib
import os
import pty
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import yaml

from mkdocs_kommune.refresh.yamledit import RoundTrip
from tests.support.catalogues import DATA, GEONORGE_NATIONAL, Fake, counts, write_data

EXE = str(Path(sys.executable).parent / "mkdocs-kommune")
ARGS = ["--backoff", "0.01", "--timeout", "2", "--rate", "100", "--concurrency", "1"]


def start(path: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [EXE, "refresh", str(path), *ARGS, *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=path.parent,
    )


def test_piped_output_has_no_progress_frames_and_exit_2(tmp_path: Path, fake: Fake) -> None:
    counts(fake)
    fake.failures[GEONORGE_NATIONAL] = "404"
    path = write_data(tmp_path, fake)
    out, err = start(path).communicate(timeout=60)
    assert "\r" not in err and "Asking the catalogues" not in err
    assert out == ""
    # Geonorge's national answer fails: all six Geonorge cells share the reason, said once.
    assert "6 lookups: HTTP 404 NOT FOUND: Oslo / geonorge, " in err
    assert "Traceback" not in err


def test_a_kill_at_any_moment_leaves_the_old_file_or_the_new_one(
    tmp_path: Path, fake: Fake
) -> None:
    counts(fake)
    path = write_data(tmp_path, fake)
    old = path.read_text(encoding="utf-8")
    finished = start(path)
    finished.communicate(timeout=60)
    assert finished.returncode == 0
    new = path.read_text(encoding="utf-8")
    assert new != old
    fake.delay = 0.12  # answers come slowly, so the kills land all over the run
    seen = set()
    for wait in (0.4, 0.9, 1.4, 1.8, 2.2):
        path.write_text(old, encoding="utf-8")
        process = start(path)
        time.sleep(wait)
        os.kill(process.pid, signal.SIGKILL)
        process.communicate(timeout=10)
        left = path.read_text(encoding="utf-8")
        assert left in (old, new), f"killed after {wait} s:\n{left}"
        yaml.safe_load(left)
        seen.add(left == new)
        for stray in tmp_path.glob(".kommuner.yml.*.tmp"):
            stray.unlink()  # a kill between writing and renaming may leave the temporary file
    assert False in seen  # at least one kill landed before the write


def test_an_untouched_file_comes_back_byte_for_byte(tmp_path: Path) -> None:
    bundled = Path(__file__).parent.parent / "mkdocs_kommune" / "datasets" / "default.yml"
    texts = [bundled.read_text(encoding="utf-8"), DATA, DATA.replace("\n", "\r\n")]
    texts.append("sources:\n- id: a\n  name: A   # flush lists\nmunicipalities:\n- name: X\n")
    texts.append("sources:\n    - id: a\n      name: A\nmunicipalities:\n    - {name: X}\n")
    for text in texts:
        round_trip = RoundTrip(text)
        assert round_trip.exact
        assert round_trip.dump().replace("\n", round_trip.newline) == text
    shutil.rmtree(tmp_path, ignore_errors=True)


def test_a_terminal_gets_a_progress_bar(tmp_path: Path, fake: Fake) -> None:
    counts(fake)
    path = write_data(tmp_path, fake)
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [EXE, "refresh", str(path), *ARGS], stdout=subprocess.DEVNULL, stderr=follower
    )
    os.close(follower)
    assert process.wait(timeout=60) == 0
    screen = b""
    with contextlib.suppress(OSError):  # EIO once the process has gone
        while chunk := os.read(leader, 65536):
            screen += chunk
    os.close(leader)
    assert b"Asking the catalogues" in screen
    assert b"100%" in screen
