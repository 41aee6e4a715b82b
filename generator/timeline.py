"""Read timeline entries: the time at the start of a list item or table row.

Entries look like ``03:00 - Alert fired``, ``2025-01-15 03:02 — Paged``,
``**23:40** Rollback started`` or a table row whose first cell is a time.
A time without a date belongs to the day of the entry before it (the
incident's start date for the first one) and rolls over to the next day
when it is more than 12 hours earlier than the entry before it, so
``23:40`` then ``00:15`` means the next day while ``03:10`` then ``03:05``
stays on one day and shows up as out of order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from markdown_it.token import Token

from generator.timeparse import parse_zone

_STAMP = (
    r"(?:(?P<date>\d{4}-\d{1,2}-\d{1,2}|\d{4}/\d{1,2}/\d{1,2})(?:[ T,]+|$))?"
    r"(?:(?P<time>\d{1,2}:\d{2}(?::\d{2})?|(?:\d{1,2}|-{1,2}|[Hh]{1,2}):(?:-{1,2}|[Mm]{2}))"
    r"(?:\s*(?P<ampm>[AaPp]\.?[Mm]\.?))?)?"
    r"(?:\s*(?P<zone>UTC|GMT|Z|[A-Z]{2,5}T?|[+-]\d{2}:?\d{2})(?![A-Za-z]))?"
)
_MARKUP = r"[*_`\[\]~]*"
_LIST_ENTRY = re.compile(
    rf"^\s*{_MARKUP}\s*{_STAMP}\s*{_MARKUP}\s*(?:[-–—:|]+|(?=\s))\s*(?P<text>.*)$", re.S
)
_CELL = re.compile(rf"^\s*{_MARKUP}\s*{_STAMP}\s*[~+]?\s*{_MARKUP}\s*$")
_UTC_NAMES = {"UTC", "GMT", "Z"}
ROLLOVER = timedelta(hours=12)


@dataclass
class Stamp:
    """The date and time parts written at the start of an entry."""

    text: str
    day: date | None
    hour: int | None
    minute: int
    second: int
    zone: str
    rest: str = ""


def _to_stamp(match: re.Match[str], text_start: int) -> Stamp | None:
    day_text, time_text, ampm, zone = match.group("date", "time", "ampm", "zone")
    if not day_text and not time_text:
        return None
    day = None
    if day_text:
        year, month, day_number = (int(p) for p in re.split(r"[-/]", day_text))
        try:
            day = date(year, month, day_number)
        except ValueError:
            return None
    hour: int | None = None
    minute = second = 0
    if time_text and re.match(r"\d{1,2}:\d{2}", time_text):
        parts = [int(p) for p in time_text.split(":")]
        hour, minute = parts[0], parts[1]
        second = parts[2] if len(parts) > 2 else 0
        if ampm:
            meridiem = ampm[0].lower()
            if hour > 12 or hour == 0:
                return None
            hour = hour % 12 + (12 if meridiem == "p" else 0)
        if hour > 23 or minute > 59 or second > 59:
            return None
    return Stamp(
        text=match.string[:text_start].strip(" -–—:|*_`[]"),
        day=day,
        hour=hour,
        minute=minute,
        second=second,
        zone=zone or "",
    )


def parse_list_entry(text: str) -> Stamp | None:
    """Read the stamp at the start of a list item, or None if it has none."""
    match = _LIST_ENTRY.match(text)
    if not match or not match.group("text").strip():
        return None
    stamp = _to_stamp(match, match.start("text"))
    if stamp:
        stamp.rest = match.group("text").strip()
    return stamp


def parse_cell(text: str) -> Stamp | None:
    """Read a table cell that holds only a date and/or time."""
    match = _CELL.match(text)
    if not match:
        return None
    return _to_stamp(match, len(text))


def impossible_stamp(text: str, cell: bool = False) -> str:
    """Return the date or time that starts an entry but names no real moment,
    like ``25:99`` or ``2021-02-30``, or "" when there is none."""
    match = (_CELL if cell else _LIST_ENTRY).match(text)
    if not match or not (match.group("date") or match.group("time")):
        return ""
    if not cell and not match.group("text").strip():
        return ""
    if _to_stamp(match, len(text)) is not None:
        return ""
    return " ".join(part for part in match.group("date", "time", "ampm") if part)


class TimelineClock:
    """Gives each entry its full time, carrying the day from entry to entry."""

    def __init__(self, zone: tzinfo, start: datetime | None):
        self.zone = zone
        self.day = start.astimezone(zone).date() if start else None
        self.previous: datetime | None = None

    def resolve(self, stamp: Stamp) -> datetime | None:
        """Return the entry's aware time, or None when it has no usable time."""
        if stamp.day:
            self.day = stamp.day
        if stamp.hour is None or self.day is None:
            return None
        zone = self.zone
        if stamp.zone in _UTC_NAMES or stamp.zone[:1] in "+-":
            zone = parse_zone(stamp.zone) or self.zone
        if zone is not self.zone and not stamp.day:
            return self._resolve_elsewhere(stamp, zone)
        moment = datetime(
            self.day.year, self.day.month, self.day.day,
            stamp.hour, stamp.minute, stamp.second, tzinfo=zone,
        )  # fmt: skip
        if not stamp.day and self.previous and self.previous - moment > ROLLOVER:
            moment += timedelta(days=1)
            self.day = moment.date()
        self.previous = moment
        return moment

    def _resolve_elsewhere(self, stamp: Stamp, zone: tzinfo) -> datetime:
        """Place a time given in another zone on the day nearest the entry before it.

        The day carried from entry to entry is the report's local day, and in
        another zone the same moment may fall on the day before or after.
        """
        assert self.day is not None and stamp.hour is not None
        reference = self.previous or datetime(
            self.day.year, self.day.month, self.day.day, tzinfo=self.zone
        )
        candidates = [
            datetime(
                day.year,
                day.month,
                day.day,
                stamp.hour,
                stamp.minute,
                stamp.second,
                tzinfo=zone,
            )
            for day in (
                self.day - timedelta(days=1),
                self.day,
                self.day + timedelta(days=1),
            )
        ]
        moment = min(
            candidates,
            key=lambda candidate: abs((candidate - reference).total_seconds()),
        )
        self.previous = moment
        self.day = moment.astimezone(self.zone).date()
        return moment


def anchor_for(stamp: Stamp, moment: datetime | None, multi_day: bool) -> str:
    """Return the anchor base for an entry: ``t-0302`` or ``t-2025-01-16-0015``."""
    if moment is None:
        base = re.sub(r"[^0-9a-z]+", "-", stamp.text.lower()).strip("-") or "entry"
        return f"t-{base}"
    clock = f"{moment:%H%M}" + (f"{moment:%S}" if moment.second else "")
    return f"t-{moment:%Y-%m-%d}-{clock}" if multi_day else f"t-{clock}"


_MARKUP_TOKENS = {
    "strong_open",
    "strong_close",
    "em_open",
    "em_close",
    "s_open",
    "s_close",
}
_SEPARATORS = " \t-–—:|"


def strip_stamp(children: list[Token], stamp: Stamp) -> list[Token] | None:
    """Return an entry's inline tokens after its time stamp, reusing the parse.

    Returns None when the tokens do not start with the stamp as expected, and
    the caller parses the rest of the text again instead.
    """
    remaining = stamp.text.strip("[]")
    position = 0
    while position < len(children) and remaining:
        token = children[position]
        position += 1
        if token.type in _MARKUP_TOKENS:
            continue
        if token.type not in ("text", "code_inline"):
            return None
        content = token.content.lstrip(" [")
        if content.startswith(remaining):
            leftover = content[len(remaining) :]
            remaining = ""
            if leftover.strip(_SEPARATORS + "]"):
                rest = Token(token.type, "", 0)
                rest.content = leftover
                position -= 1
                children = [*children[:position], rest, *children[position + 1 :]]
        elif content and remaining.startswith(content.rstrip()):
            remaining = remaining[len(content.rstrip()) :].lstrip()
        elif content:
            return None
    if remaining:
        return None
    tail = children[position:]
    while tail and tail[0].type in _MARKUP_TOKENS and tail[0].type.endswith("_close"):
        tail = tail[1:]
    if tail and tail[0].type == "text":
        first = Token("text", "", 0)
        first.content = tail[0].content.lstrip(_SEPARATORS + "]")
        tail = [first, *tail[1:]]
    plain = "".join(
        t.content for t in tail if t.type in ("text", "code_inline")
    ).strip()
    expected = re.sub(r"[*_`~\[\]]", "", stamp.rest)[:8]
    if not plain.startswith(expected.strip()[:8]) and expected.strip():
        return None
    return tail
