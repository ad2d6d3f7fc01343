"""Time whole ``mkdocs build`` processes: CPU (user + system), wall time and peak memory.

Each build is a fresh process whose resource use the kernel reports on exit (``os.wait4``), so
imports, config loading and writing the output all count, as they do for a user. A small launcher
process (``python benchmarks/measure.py COMMAND…``) starts it: Linux hands a child the peak memory
of the process it forked from, so forking straight from the benchmark (which holds the large data
file it generated) would report the benchmark's own peak for every build.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# A fixed build date (MkDocs honours SOURCE_DATE_EPOCH), so two builds can be compared byte for byte.
QUIET_ENV = {
    "NO_MKDOCS_2_WARNING": "1",
    "DISABLE_MKDOCS_2_WARNING": "true",
    "SOURCE_DATE_EPOCH": "1767225600",
}


@dataclass(frozen=True)
class Sample:
    cpu: float  # seconds, user + system
    wall: float  # seconds
    peak_mib: float  # maximum resident set size


def mkdocs_command(site: Path, output: Path) -> list[str]:
    mkdocs = Path(sys.executable).with_name("mkdocs")
    return [str(mkdocs), "build", "--quiet", "-f", str(site / "mkdocs.yml"), "-d", str(output)]


def run(command: Sequence[str], cwd: Path) -> Sample:
    """Run one process to its end through the launcher; fail loudly (with its stderr) if it fails."""
    launcher = [sys.executable, __file__, *command]  # stdlib only, so it runs as a script
    env = {**os.environ, **QUIET_ENV}
    done = subprocess.run(launcher, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr}")
    figures = json.loads(done.stdout)
    return Sample(figures["cpu"], figures["wall"], figures["peak_mib"])


def launch(command: Sequence[str]) -> int:
    """The launcher: fork, exec, wait; print the child's CPU, wall time and peak memory as JSON."""
    start = time.perf_counter()
    process = subprocess.Popen(list(command), stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = code = os.waitstatus_to_exitcode(status)
    if code != 0:
        return code
    # ru_maxrss is in KiB on Linux.
    figures = {
        "cpu": usage.ru_utime + usage.ru_stime,
        "wall": wall,
        "peak_mib": usage.ru_maxrss / 1024,
    }
    print(json.dumps(figures))
    return 0


def build(site: Path, output: Path) -> Sample:
    return run(mkdocs_command(site, output), cwd=site)


def paired_rounds(
    sites: dict[str, Path], outputs: dict[str, Path], rounds: int
) -> dict[str, list[Sample]]:
    """Build every site once per round, in forward order on even rounds and reversed on odd ones.

    Round i of every site ran within seconds of the others, so ratios are taken round by round
    (paired) and slow spells of the shared machine hit both sides of a ratio alike.
    """
    names = list(sites)
    for name in names:  # warm the page cache and the bytecode caches; not measured
        build(sites[name], outputs[name])
    samples: dict[str, list[Sample]] = {name: [] for name in names}
    for number in range(rounds):
        order = names if number % 2 == 0 else names[::-1]
        for name in order:
            samples[name].append(build(sites[name], outputs[name]))
        print(f"  round {number + 1}/{rounds} done", file=sys.stderr, flush=True)
    return samples


if __name__ == "__main__":
    raise SystemExit(launch(sys.argv[1:]))
