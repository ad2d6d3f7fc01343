"""Today's local portals, for `init --current` (the bundled dataset keeps the 2018 ones).

Each was checked, in December 2026, against public material read without visiting the portals
(no live request could be made): what was found, and how strong it is, is said beside it. A
portal with nothing after 2019 to show it still exists becomes `~`, "not checked": the page then
says so instead of linking a dead address or claiming that nothing was found. `check-links`
tells whether each address still answers.
"""

from __future__ import annotations

import re

# The 2018 portal in datasets/default.yml -> today's `other:` block (the whole block is replaced,
# its link text in whichever locale `init --locale` wrote).
CURRENT_PORTALS = {
    # Oslo: the Bymiljøetaten ArcGIS Hub, "verified (live replacement surface)" in a third-party
    # survey re-verified against live endpoints on 2026-04-18 (Oslo Origo paused since 1 Jan 2026).
    # Unchanged.
    # Trondheim (in 2018 an organisation on Stavanger's portal): a third-party note of
    # 2026-05-06 names Trondheim's open-data portal opendata.trondheim.kommune.no (another,
    # undated, says data.trondheim.kommune.no and flags it for re-verification).
    "https://open.stavanger.kommune.no/organization/trondheim-kommune": """\
      other:
        url: https://opendata.trondheim.kommune.no
        text: Trondheim kommune åpne data
""",
    # Stavanger: its CKAN moved from open.stavanger.kommune.no to opencom.no by 2018; 2026 code
    # reads Stavanger's datasets through https://opencom.no/api/3/action/... (package_show of
    # stavanger-parkering, datastore_search) and downloads from opencom.no/dataset/....
    "https://open.stavanger.kommune.no": """\
      other:
        url: https://opencom.no
        text: Stavanger kommune portal (Opencom)
""",
    # Bærum (in 2018 an organisation on Stavanger's portal): no portal of its own, and no slug
    # on opencom.no, found in anything after 2018.
    "https://open.stavanger.kommune.no/organization/baerum-kommune": """\
      other: ~   # not checked: in 2018 an organisation on Stavanger's old portal; none found since
""",
    # Fredrikstad: hub-frstadkomm.opendata.arcgis.com appears only in a harvester list of about
    # 2019, commented out.
    "https://hub-frstadkomm.opendata.arcgis.com/": """\
      other: ~   # not checked: the 2018 hub (hub-frstadkomm.opendata.arcgis.com) not seen since 2019
""",
    # Tromsø: the same ArcGIS Hub site, served over https (dataset downloads from
    # https://data-tromso.opendata.arcgis.com/datasets/... in public code; undated).
    "http://data-tromso.opendata.arcgis.com/": """\
      other:
        url: https://data-tromso.opendata.arcgis.com/
        text: Tromsø kommune åpne kartdata
""",
}


def todays_portals(text: str) -> str:
    """The bundled dataset's text with today's local portals."""
    for old, new in CURRENT_PORTALS.items():
        block = re.compile(rf"      other:\n        url: {re.escape(old)}\n        text: [^\n]*\n")
        text, found = block.subn(new.replace("\\", "\\\\"), text)
        if found != 1:
            raise AssertionError(f"the bundled dataset no longer links {old}")
    return text
