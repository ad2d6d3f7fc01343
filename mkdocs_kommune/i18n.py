"""The few words the plugin writes itself, per locale."""

from __future__ import annotations

from typing import Final

LOCALES: Final = ("en", "nb", "nn")

STRINGS: Final[dict[str, dict[str, str]]] = {
    "en": {
        "municipality": "Municipality",
        "nothing_found": "Nothing found",
        "datasets": "{count} datasets",
        "dataset": "{count} dataset",
        "coverage": "{source}: {covered} of {total}",
        "region": "Open data by municipality",
        "filter": "Filter",
        "filter_hint": "Name, number or county",
        "shown": "{shown} of {total} shown",
        "county": "County",
        "no_county": "No county",
        "all_counties": "All",
        "covered": "{covered} of {total}",
        "redirect_title": "Redirecting to {target}",
        "redirect_text": "This page has moved to",
    },
    "nb": {
        "municipality": "Kommune",
        "nothing_found": "Ingenting funnet",
        "datasets": "{count} datasett",
        "dataset": "{count} datasett",
        "coverage": "{source}: {covered} av {total}",
        "region": "Åpne data per kommune",
        "filter": "Filtrer",
        "filter_hint": "Navn, nummer eller fylke",
        "shown": "Viser {shown} av {total}",
        "county": "Fylke",
        "no_county": "Uten fylke",
        "all_counties": "Alle",
        "covered": "{covered} av {total}",
        "redirect_title": "Videresender til {target}",
        "redirect_text": "Denne siden er flyttet til",
    },
    "nn": {
        "municipality": "Kommune",
        "nothing_found": "Ingenting funne",
        "datasets": "{count} datasett",
        "dataset": "{count} datasett",
        "coverage": "{source}: {covered} av {total}",
        "region": "Opne data per kommune",
        "filter": "Filtrer",
        "filter_hint": "Namn, nummer eller fylke",
        "shown": "Viser {shown} av {total}",
        "county": "Fylke",
        "no_county": "Utan fylke",
        "all_counties": "Alle",
        "covered": "{covered} av {total}",
        "redirect_title": "Vidaresender til {target}",
        "redirect_text": "Denne sida er flytta til",
    },
}


def strings(locale: str) -> dict[str, str]:
    return STRINGS[locale]
