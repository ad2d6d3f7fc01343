"""The trend's words per locale, kept apart from the table's and the map's."""

from __future__ import annotations

from typing import Final

TREND_STRINGS: Final[dict[str, dict[str, str]]] = {
    "en": {
        "trend_title": "Datasets over time",
        "trend_title_where": "Datasets over time: {where}",
        "trend_part": "{source}: {first} datasets on {first_date}, {last} on {last_date}",
        "trend_desc": "Line chart of the total datasets per source on each refresh date. {parts}.",
        "trend_one_date": "On {date}: {parts}.",
        "trend_one_part": "{source} {count} datasets",
        "trend_nothing": "No counts of these municipalities have been recorded yet.",
        "trend_numbers": "The numbers",
        "trend_date": "Date",
        "trend_x": "Refresh date",
        "trend_y": "Datasets",
    },
    "nb": {
        "trend_title": "Datasett over tid",
        "trend_title_where": "Datasett over tid: {where}",
        "trend_part": "{source}: {first} datasett {first_date}, {last} {last_date}",
        "trend_desc": "Linjediagram over summen av datasett per kilde ved hver oppdatering. {parts}.",
        "trend_one_date": "{date}: {parts}.",
        "trend_one_part": "{source} {count} datasett",
        "trend_nothing": "Ingen tellinger av disse kommunene er registrert ennå.",
        "trend_numbers": "Tallene",
        "trend_date": "Dato",
        "trend_x": "Oppdatert",
        "trend_y": "Datasett",
    },
    "nn": {
        "trend_title": "Datasett over tid",
        "trend_title_where": "Datasett over tid: {where}",
        "trend_part": "{source}: {first} datasett {first_date}, {last} {last_date}",
        "trend_desc": "Linjediagram over summen av datasett per kjelde ved kvar oppdatering. {parts}.",
        "trend_one_date": "{date}: {parts}.",
        "trend_one_part": "{source} {count} datasett",
        "trend_nothing": "Ingen teljingar av desse kommunane er registrerte enno.",
        "trend_numbers": "Tala",
        "trend_date": "Dato",
        "trend_x": "Oppdatert",
        "trend_y": "Datasett",
    },
}
