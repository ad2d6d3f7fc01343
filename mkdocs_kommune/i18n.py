"""The few words the plugin writes itself, per locale."""

from __future__ import annotations

from typing import Final

LOCALES: Final = ("en", "nb", "nn")

STRINGS: Final[dict[str, dict[str, str]]] = {
    "en": {
        "municipality": "Municipality",
        "nothing_found": "Nothing found",
        "unchecked": "Not checked",
        "checked": "checked {date}",  # the caption of a table with counts
        "checked_alone": "Checked {date}",
        "datasets": "{count} datasets",
        "dataset": "{count} dataset",
        "coverage": "{source}: {covered} of {total}",
        # Some or all municipalities were not checked: the figure is over the checked ones.
        "coverage_partial": (
            "{source}: {covered} of {checked} checked, {unchecked} of the {total} not checked"
        ),
        "coverage_unchecked": "{source}: none of the {total} checked",
        "region": "Open data by municipality",
        "filter": "Filter",
        "filter_hint": "Name, number or county",
        "shown": "{shown} of {total} shown",
        "county": "County",
        "county_caption": "Open data by county",
        "no_county": "No county",
        "all_counties": "All",
        "covered": "{covered} of {total}",
        "covered_partial": "{covered} of {checked} checked, {unchecked} not checked",
        "covered_unchecked": "none of {total} checked",
        "redirect_title": "Redirecting to {target}",
        "redirect_text": "This page has moved to",
    },
    "nb": {
        "municipality": "Kommune",
        "nothing_found": "Ingenting funnet",
        "unchecked": "Ikke undersøkt",
        "checked": "sjekket {date}",  # the caption of a table with counts
        "checked_alone": "Sjekket {date}",
        "datasets": "{count} datasett",
        "dataset": "{count} datasett",
        "coverage": "{source}: {covered} av {total}",
        "coverage_partial": (
            "{source}: {covered} av {checked} undersøkte, {unchecked} av de {total} ikke undersøkte"
        ),
        "coverage_unchecked": "{source}: ingen av de {total} undersøkt",
        "region": "Åpne data per kommune",
        "filter": "Filtrer",
        "filter_hint": "Navn, nummer eller fylke",
        "shown": "Viser {shown} av {total}",
        "county": "Fylke",
        "county_caption": "Åpne data per fylke",
        "no_county": "Uten fylke",
        "all_counties": "Alle",
        "covered": "{covered} av {total}",
        "covered_partial": "{covered} av {checked} undersøkte, {unchecked} ikke undersøkte",
        "covered_unchecked": "ingen av {total} undersøkt",
        "redirect_title": "Videresender til {target}",
        "redirect_text": "Denne siden er flyttet til",
    },
    "nn": {
        "municipality": "Kommune",
        "nothing_found": "Ingenting funne",
        "unchecked": "Ikkje undersøkt",
        "checked": "sjekka {date}",  # the caption of a table with counts
        "checked_alone": "Sjekka {date}",
        "datasets": "{count} datasett",
        "dataset": "{count} datasett",
        "coverage": "{source}: {covered} av {total}",
        "coverage_partial": (
            "{source}: {covered} av {checked} undersøkte, {unchecked} av dei {total} ikkje undersøkte"
        ),
        "coverage_unchecked": "{source}: ingen av dei {total} undersøkt",
        "region": "Opne data per kommune",
        "filter": "Filtrer",
        "filter_hint": "Namn, nummer eller fylke",
        "shown": "Viser {shown} av {total}",
        "county": "Fylke",
        "county_caption": "Opne data per fylke",
        "no_county": "Utan fylke",
        "all_counties": "Alle",
        "covered": "{covered} av {total}",
        "covered_partial": "{covered} av {checked} undersøkte, {unchecked} ikkje undersøkte",
        "covered_unchecked": "ingen av {total} undersøkt",
        "redirect_title": "Vidaresender til {target}",
        "redirect_text": "Denne sida er flytta til",
    },
}


def strings(locale: str) -> dict[str, str]:
    return STRINGS[locale]


# The coverage map's words (kommune_map), kept apart from the table's.
MAP_STRINGS: Final[dict[str, dict[str, str]]] = {
    "en": {
        "map_title": "Open data by municipality",
        "map_title_source": "Datasets in {source} by municipality",
        "map_sources": "{count} of {total} sources",
        "map_sources_one": "{count} of {total} source",
        "map_linked": "Linked, not counted",
        "map_linked_in": "linked in {source}, datasets not counted",
        "map_datasets_in": "{datasets} in {source}",
        "map_nothing_in": "nothing found in {source}",
        "map_count_range": "{low}\u2013{high} datasets",
        "map_count_min": "{low} or more datasets",
        "map_unchecked_in": "not checked in {source}",
        "map_context": "Not selected",
        "map_norway": "Norway",
        "map_desc": "Map of {where}, {count} municipalities: {parts}.",
        "map_desc_context": "Municipalities not selected are grey.",
        "map_part": "{label}: {count}",
        "map_inset": "Oslo area",
        "map_attribution": "Boundaries \u00a9 Kartverket (CC BY 4.0), simplified",
    },
    "nb": {
        "map_title": "Åpne data per kommune",
        "map_title_source": "Datasett i {source} per kommune",
        "map_sources": "{count} av {total} kilder",
        "map_sources_one": "{count} av {total} kilde",
        "map_linked": "Lenket, ikke telt",
        "map_linked_in": "lenket i {source}, datasett ikke telt",
        "map_datasets_in": "{datasets} i {source}",
        "map_nothing_in": "ingenting funnet i {source}",
        "map_count_range": "{low}\u2013{high} datasett",
        "map_count_min": "{low} eller flere datasett",
        "map_unchecked_in": "ikke undersøkt i {source}",
        "map_context": "Ikke valgt",
        "map_norway": "Norge",
        "map_desc": "Kart over {where}, {count} kommuner: {parts}.",
        "map_desc_context": "Kommuner som ikke er valgt, er grå.",
        "map_part": "{label}: {count}",
        "map_inset": "Oslo-området",
        "map_attribution": "Kommunegrenser \u00a9 Kartverket (CC BY 4.0), forenklet",
    },
    "nn": {
        "map_title": "Opne data per kommune",
        "map_title_source": "Datasett i {source} per kommune",
        "map_sources": "{count} av {total} kjelder",
        "map_sources_one": "{count} av {total} kjelde",
        "map_linked": "Lenkja, ikkje talt",
        "map_linked_in": "lenkja i {source}, datasett ikkje talde",
        "map_datasets_in": "{datasets} i {source}",
        "map_nothing_in": "ingenting funne i {source}",
        "map_count_range": "{low}\u2013{high} datasett",
        "map_count_min": "{low} eller fleire datasett",
        "map_unchecked_in": "ikkje undersøkt i {source}",
        "map_context": "Ikkje valt",
        "map_norway": "Noreg",
        "map_desc": "Kart over {where}, {count} kommunar: {parts}.",
        "map_desc_context": "Kommunar som ikkje er valde, er grå.",
        "map_part": "{label}: {count}",
        "map_inset": "Oslo-området",
        "map_attribution": "Kommunegrenser \u00a9 Kartverket (CC BY 4.0), forenkla",
    },
}


def map_strings(locale: str) -> dict[str, str]:
    """The table's words and the map's, for the map template."""
    return {**STRINGS[locale], **MAP_STRINGS[locale]}


# The bundled dataset's own words (source names and link texts), as `init --locale` writes
# them: a Norwegian site gets Norwegian column headers. English is the file as packaged.
DATASET_WORDS: Final[dict[str, dict[str, str]]] = {
    "en": {},
    "nb": {"Map data": "Kartdata", "Other portals": "Andre portaler", "Other": "Annen portal"},
    "nn": {"Map data": "Kartdata", "Other portals": "Andre portalar", "Other": "Anna portal"},
}
