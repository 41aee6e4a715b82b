"""Time zones, time values and durations as written by people."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_OFFSET = re.compile(r"^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)
_DATETIME = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,6})\d*)?)?)?"
    r"\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$",
    re.IGNORECASE,
)
_DURATION_PART = re.compile(
    r"(\d+(?:\.\d+)?)\s*(days?|d|hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s)(?![a-z])",
    re.IGNORECASE,
)


def parse_zone(name: str) -> tzinfo | None:
    """Return the zone for an IANA name or a UTC offset, or None if unknown."""
    name = name.strip()
    if name.upper() in ("UTC", "Z", "GMT"):
        return UTC
    offset = _OFFSET.match(name)
    if offset:
        sign, hours, minutes = offset.groups()
        delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
        if delta >= timedelta(hours=24):
            return None
        return timezone(-delta if sign == "-" else delta)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _offset_zone(text: str) -> tzinfo:
    if text.upper() in ("Z", "UTC", "GMT"):
        return UTC
    zone = parse_zone(text)
    assert zone is not None
    return zone


def parse_time(value: object, zone: tzinfo) -> datetime | None:
    """Parse a front matter time value into an aware datetime, or None.

    Accepts ``YYYY-MM-DD``, ``YYYY-MM-DD HH:MM[:SS]``, the ISO ``T`` form, an
    offset or ``Z``, and the datetime or date objects a YAML tag may produce.
    A value without an offset is taken to be in ``zone``.
    """
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    elif isinstance(value, str):
        match = _DATETIME.match(value.strip())
        if not match:
            return None
        year, month, day, hour, minute, second, fraction, offset = match.groups()
        try:
            moment = datetime(
                int(year),
                int(month),
                int(day),
                int(hour or 0),
                int(minute or 0),
                int(second or 0),
                int((fraction or "0").ljust(6, "0")),
            )
        except ValueError:
            return None
        if offset:
            moment = moment.replace(tzinfo=_offset_zone(offset))
    else:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment


def parse_duration(text: str | int | float) -> timedelta | None:
    """Parse ``"5m"``, ``"1h 30m"``, ``"90 minutes"`` or a number of minutes."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int | float):
        return timedelta(minutes=text) if text >= 0 else None
    text = text.strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return timedelta(minutes=float(text))
    total = timedelta()
    position = 0
    for match in _DURATION_PART.finditer(text):
        if text[position : match.start()].strip(" ,and"):
            return None
        amount = float(match.group(1))
        unit = match.group(2)[0].lower()
        scale = {"d": 86400, "h": 3600, "m": 60, "s": 1}[unit]
        total += timedelta(seconds=amount * scale)
        position = match.end()
    if position == 0 or text[position:].strip():
        return None
    return total


def format_duration(delta: timedelta | None) -> str:
    """Format a duration in human units: ``45 s``, ``2 min``, ``1 h 58 min``, ``3 d 4 h``."""
    if delta is None:
        return "–"
    seconds = int(round(delta.total_seconds()))
    sign = "−" if seconds < 0 else ""
    seconds = abs(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    if days:
        text = f"{days} d {hours} h" if hours else f"{days} d"
    elif hours:
        text = f"{hours} h {minutes} min" if minutes else f"{hours} h"
    elif minutes:
        text = f"{minutes} min"
    else:
        text = f"{seconds} s"
    return sign + text


def zone_name(zone: tzinfo) -> str:
    """Return the name to show for a zone: the IANA key or the UTC offset."""
    if isinstance(zone, ZoneInfo):
        return zone.key
    if zone is UTC:
        return "UTC"
    return str(zone)
