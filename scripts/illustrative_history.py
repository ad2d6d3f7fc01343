"""Write docs/examples/kommuner.history.csv: an ILLUSTRATIVE history for the documentation.

The counts are made up: the real ``refresh`` asks the test suite's fake catalogues
(``tests/support/catalogues.py``, on 127.0.0.1) on nine dates, each answering a little more than
the last, and ends on the counts the docs' data file shows (Oslo's 41 in Geonorge, ...). Nothing
here is a real count of any municipality. Run from the repository root:

    .venv/bin/python scripts/illustrative_history.py [OUTPUT]
"""

from __future__ import annotations

import contextlib
import datetime
import io
import shutil
import sys
import tempfile
from pathlib import Path

from pytest_httpserver import HTTPServer

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from mkdocs_kommune.cli.refresh import RefreshOptions, run_refresh  # noqa: E402
from mkdocs_kommune.refresh.http import HttpSettings  # noqa: E402
from mkdocs_kommune.register import load_register  # noqa: E402
from tests.support.catalogues import CKAN, FDK, GEONORGE, HUB, Fake  # noqa: E402

DATA = REPO / "docs" / "examples" / "kommuner.yml"
OUTPUT = REPO / "docs" / "examples" / "kommuner.history.csv"
DATES = [datetime.date(2025, month, 1) for month in (1, 3, 5, 7, 9, 11)] + [
    datetime.date(2026, 3, 1),
    datetime.date(2026, 7, 1),
    datetime.date(2026, 11, 25),  # the `checked` date of the data file's counts
]
# The last date's counts; the data file shows the same (Oslo 41, Bergen 17, Bærum 1, Sandnes 0).
GEONORGE_LAST = {
    "Oslo": 41, "Bergen": 17, "Trondheim": 23, "Stavanger": 14, "Bærum": 1,
    "Kristiansand": 9, "Fredrikstad": 6, "Sandnes": 0, "Tromsø": 11, "Drammen": 7,
}  # fmt: skip
FDK_LAST = {
    "Oslo": 88, "Bergen": 52, "Trondheim": 61, "Stavanger": 47, "Bærum": 12,
    "Kristiansand": 19, "Fredrikstad": 8, "Sandnes": 5, "Tromsø": 21, "Drammen": 16,
}  # fmt: skip
FAST = HttpSettings(timeout=5, attempts=2, backoff=0.01, rate=500)


def share(last: int, step: int) -> int:
    """An S-shaped climb to ``last`` over the dates (a made-up curve, nothing measured)."""
    fraction = [0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0][step]
    return round(last * fraction)


def main(output: Path) -> None:
    orgnr = {entry.name: entry.orgnr for entry in load_register("norway-2024").entries}
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    try:
        fake = Fake(server)
        for path in (GEONORGE, FDK, CKAN, HUB):
            server.expect_request(path).respond_with_handler(fake.handle)
        with tempfile.TemporaryDirectory() as folder:
            data = Path(folder) / "kommuner.yml"
            data.write_text(_with_fake_apis(DATA.read_text(encoding="utf-8"), fake))
            for step, day in enumerate(DATES):
                fake.geonorge.clear()
                fake.geonorge.update({f"{n} kommune": share(c, step) for n, c in GEONORGE_LAST.items()})  # fmt: skip
                fake.fdk.clear()
                fake.fdk.update({orgnr[n]: share(c, step) for n, c in FDK_LAST.items()})
                options = RefreshOptions(data, Path(folder) / "mkdocs.yml", http=FAST, today=day)
                with contextlib.redirect_stderr(io.StringIO()) as messages:
                    code = run_refresh(options)
                if code != 0:
                    raise SystemExit(f"refresh on {day} failed:\n{messages.getvalue()}")
            shutil.copyfile(Path(folder) / "kommuner.history.csv", output)
    finally:
        server.stop()
    print(f"{output}: {len(output.read_text(encoding='utf-8').splitlines()) - 1} rows")


def _with_fake_apis(text: str, fake: Fake) -> str:
    """Point the two counted sources at the fake catalogues (in the temporary copy only)."""
    for source_id, kind, route in (
        ("geonorge", "geonorge", GEONORGE),
        ("felles-datakatalog", "felles-datakatalog", FDK),
    ):
        marker = f"  - id: {source_id}\n"
        text = text.replace(
            marker, f'{marker}    api: {{kind: {kind}, url: "{fake.url(route)}"}}\n'
        )
    return text


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUTPUT)
