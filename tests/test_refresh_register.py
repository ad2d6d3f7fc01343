"""`refresh` on a site whose mkdocs.yml sets `register:`, as the docs put it."""

from __future__ import annotations

import datetime
from pathlib import Path

import yaml
from click.testing import CliRunner

from mkdocs_kommune.cli import main
from tests.support.catalogues import FDK, GEONORGE, NATIONAL_SOURCES, Fake

FAST = ["--timeout", "0.5", "--retries", "0", "--backoff", "0.01", "--rate", "200"]

# Entries given by kommunenummer alone: valid only with the register, which names them.
DATA = (
    """\
sources:
"""
    + NATIONAL_SOURCES
    + """municipalities:
  - kommunenummer: "0301"
    links:
      geonorge: true
  - kommunenummer: "5001"
"""
)

CONFIG = """\
site_name: Register site
plugins:
  - kommune:
      data: data/kommuner.yml
      register: norway-2024
  - macros
"""


def test_refresh_with_the_register_in_mkdocs_yml_writes_the_counts(
    tmp_path: Path, fake: Fake
) -> None:
    fake.geonorge.update({"Oslo kommune": 41, "Trondheim kommune": 17})
    fake.fdk.update({"958935420": 12, "942110464": 5})
    (tmp_path / "data").mkdir()
    data = tmp_path / "data" / "kommuner.yml"
    data.write_text(
        DATA.replace('"GEONORGE"', f'"{fake.url(GEONORGE)}"').replace(
            '"FDK"', f'"{fake.url(FDK)}"'
        ),
        encoding="utf-8",
    )
    config = tmp_path / "mkdocs.yml"
    config.write_text(CONFIG, encoding="utf-8")
    result = CliRunner().invoke(main, ["refresh", "--config", str(config), *FAST])
    assert result.exit_code == 0, result.output
    assert "add `register" not in result.output
    links = [m.get("links") for m in yaml.safe_load(data.read_text("utf-8"))["municipalities"]]
    today = datetime.date.today()
    # The register gave Oslo's and Trondheim's orgnr and names to ask with.
    assert links[0] == {
        "geonorge": {"datasets": 41, "checked": today},
        "felles-datakatalog": {"datasets": 12, "checked": today},
    }
    assert links[1]["felles-datakatalog"] == {"datasets": 5, "checked": today}
    assert "written" in result.output
