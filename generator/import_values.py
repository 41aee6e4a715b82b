"""Values as people state them in a report, for ``pmkb import``.

Quotes of the report's text for comments, durations such as "54 minutes"
or "19 hours 43 minutes.", and the day that timeline times without a date
belong to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from generator.front_actions import parse_date
from generator.import_scan import Fact, plain
from generator.timeparse import parse_duration

_QUOTE_LENGTH = 60
_UNSTATED = re.compile(r"^(?:\?+|n/?a|none|unknown|-+|tbd|tba)$", re.IGNORECASE)
_UNIT_TOLERANCE = (
    (re.compile(r"\d\s*(?:d|days?)\b", re.IGNORECASE), timedelta(hours=12)),
    (re.compile(r"\d\s*(?:h|hours?|hrs?)\b", re.IGNORECASE), timedelta(minutes=30)),
)


@dataclass(frozen=True)
class Duration:
    """A stated duration such as "Time to detection: 54 minutes"."""

    delta: timedelta
    # How far an entry may be from the computed time and still match it.
    tolerance: timedelta
    fact: Fact


def quote(text: str) -> str:
    """Return a short quote of user text, safe inside a comment format string."""
    text = plain(re.sub(r"[*_`]+", "", text))
    if len(text) > _QUOTE_LENGTH:
        text = text[: _QUOTE_LENGTH - 1].rstrip() + "…"
    return '"' + text.replace("{", "{{").replace("}", "}}") + '"'


def stated(fact: Fact, index: int = 0) -> str:
    """Return ``"Label: value" (line {index})`` for a fact, as comment text."""
    return quote(f"{fact.label}: {fact.value}") + f" (line {{{index}}})"


def is_unstated(value: str) -> bool:
    """Tell whether a value marks something as not known ("?", "N/A", "TBD")."""
    return bool(_UNSTATED.match(value.strip(" .")))


def read_duration(fact: Fact) -> Duration | None:
    """Read a stated duration, ignoring footnote marks and a closing full stop."""
    text = re.sub(r"\[\^?[^\]]*\]", "", fact.value).strip(" .")
    delta = parse_duration(re.sub(r"\band\b", " ", text)) if text else None
    if delta is None:
        return None
    tolerance = timedelta()
    if not re.search(r"\d\s*(?:m|mins?|minutes?|s|secs?|seconds?)\b", text, re.I):
        for pattern, unit_tolerance in _UNIT_TOLERANCE:
            if pattern.search(text):
                tolerance = unit_tolerance
    return Duration(delta, tolerance, fact)


def timeline_day(facts: dict[str, list[Fact]], stem: str) -> date | None:
    """Return the day that timeline times without a date belong to, if stated."""
    for fact in facts.get("date", []):
        day = parse_date(fact.value)
        if day is not None:
            return day
    match = re.match(r"^(\d{4}-\d{2}-\d{2})", stem)
    if match:
        try:
            return date.fromisoformat(match.group(1))
        except ValueError:
            return None
    return None
