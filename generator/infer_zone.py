"""Find the zone that a report's times are in, for ``pmkb import``.

A zone is taken only from text that states it: "All times in CET", a
"Time (UTC)" column or "Timezone: Europe/Paris". An abbreviation becomes
the fixed offset it names, an IANA name or an offset is kept as written,
and ``--zone NAME=ZONE`` maps a name first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import tzinfo

from generator.import_scan import ScannedText
from generator.import_values import quote
from generator.timeparse import parse_zone, zone_name

# Fixed UTC offsets of zone abbreviations. An abbreviation names one offset:
# "CET" is +01:00 even in summer, when Central Europe is on CEST. Ambiguous
# ones map to None (CST is US Central or China, IST India, Ireland or
# Israel). Names missing here (BST, AST …) are unknown unless they are IANA
# keys. Both are reported instead of guessed, and --zone maps any name.
ZONE_ABBREVIATIONS = {
    "UTC": "UTC", "GMT": "UTC", "UT": "UTC", "Z": "UTC",
    "WET": "+00:00", "WEST": "+01:00", "IST": None,
    "CET": "+01:00", "CEST": "+02:00", "MET": "+01:00", "MEST": "+02:00",
    "EET": "+02:00", "EEST": "+03:00", "MSK": "+03:00",
    "EST": "-05:00", "EDT": "-04:00", "CST": None, "CDT": "-05:00",
    "MST": "-07:00", "MDT": "-06:00", "PST": "-08:00", "PDT": "-07:00",
    "AKST": "-09:00", "AKDT": "-08:00", "HST": "-10:00",
    "JST": "+09:00", "KST": "+09:00", "HKT": "+08:00", "SGT": "+08:00",
    "AWST": "+08:00", "ACST": "+09:30", "AEST": "+10:00", "AEDT": "+11:00",
    "NZST": "+12:00", "NZDT": "+13:00",
}  # fmt: skip


@dataclass(frozen=True)
class Zone:
    """The zone of a report's times, as written to front matter."""

    value: str
    zone: tzinfo
    source: str
    line: int


def resolve_zone(name: str, overrides: Mapping[str, str]) -> str | None:
    """Return the front matter value for a zone as written, or None if unknown."""
    name = name.strip()
    if name in overrides:
        return overrides[name]
    if name.upper() in ZONE_ABBREVIATIONS:
        return ZONE_ABBREVIATIONS[name.upper()]
    zone = parse_zone(name.replace("−", "-"))
    if zone is None:
        return None
    return (
        zone_name(zone)
        if "/" in name or name.upper() in ("UTC", "GMT")
        else _offset(zone)
    )


def _offset(zone: tzinfo) -> str:
    delta = zone.utcoffset(None)
    if delta is None:
        return zone_name(zone)
    minutes = int(delta.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{rest:02d}" if minutes else "UTC"


def find_zone(
    scanned: ScannedText, overrides: Mapping[str, str]
) -> tuple[Zone | None, str, list[tuple[int, str]]]:
    """Return the zone the text states if it states one, else why not, and notes."""
    known: dict[str, Zone] = {}
    notes: list[tuple[int, str]] = []
    for statement in scanned.zones:
        value = resolve_zone(statement.zone, overrides)
        if value is None:
            notes.append(
                (
                    statement.line,
                    f"unknown or ambiguous time zone '{statement.zone}' in {quote(statement.quote)}; "
                    f"map it with --zone {statement.zone}=ZONE",
                )
            )
            continue
        zone = parse_zone(value)
        if zone is None:
            continue
        source = "stated " + quote(statement.quote) + " (line {0})"
        if statement.zone in overrides:
            source += f", mapped by --zone {statement.zone}={value}"
        elif statement.zone.upper() in ZONE_ABBREVIATIONS and value != "UTC":
            source += f": {statement.zone.upper()} is UTC{value}"
        known.setdefault(value, Zone(value, zone, source, statement.line))
    if len(known) > 1:
        return None, "the text states several zones: " + ", ".join(known), notes
    if not known:
        return None, "not stated", notes
    return next(iter(known.values())), "", notes
