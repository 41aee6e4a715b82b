"""Read action items written in the body.

An item is a list item under an "Action Items" heading. Its owner, due date
and status come from a parenthesis such as ``(Owner: sre, Due: 2025-02-15)``
or ``(Owner: sre, Done: 1/16)``, from the same ``Key: value`` pairs after a
dash, from a trailing ``@owner``, and from a task-list box.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from generator.vocabulary import ACTION_STATUSES

_KEYS = r"owner|owners|assignee|due|due date|deadline|done|completed|status"
_PAIRS = re.compile(
    rf"\b({_KEYS})\s*:\s*([^,;()\n]+?)\s*(?=[,;)]|$|\b(?:{_KEYS})\s*:)", re.I
)
_PAREN = re.compile(rf"\s*\(([^()]*\b(?:{_KEYS})\s*:[^()]*)\)", re.I)
_TRAILER = re.compile(rf"\s*[-–—|]\s*((?:{_KEYS})\s*:.*)$", re.I)
_HANDLE = re.compile(r"\s+@([A-Za-z0-9][\w.-]*)\s*$")
_MONTH_DAY = re.compile(r"^(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?$")
_DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%d %b %Y",
    "%d %B %Y",
    "%b %d %Y",
    "%B %d %Y",
    "%b %d, %Y",
    "%B %d, %Y",
)
_SHORT_FORMATS = ("%b %d", "%B %d", "%d %b", "%d %B")


PLACEHOLDER_TEXT = ("TODO", "TBD", "?", "NAME", "TEAM")
PLACEHOLDER_DATES = ("YYYY-MM-DD", *PLACEHOLDER_TEXT)


@dataclass
class ParsedItem:
    """What an action item's text states."""

    task: str
    owner: str = ""
    due: date | None = None
    done_on: date | None = None
    status: str = ""
    invalid: str = ""


def read_date(text: str, reference: date | None) -> date | None:
    """Read a date; one without a year takes the first such date on or after
    60 days before ``reference``, so "1/16" in a January report means that
    January."""
    text = text.strip().rstrip(".")
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    month_day = _MONTH_DAY.match(text)
    candidates: list[tuple[int, int]] = []
    if month_day:
        month, day, year = month_day.groups()
        if year:
            full_year = int(year) + (2000 if len(year) == 2 else 0)
            try:
                return date(full_year, int(month), int(day))
            except ValueError:
                return None
        candidates.append((int(month), int(day)))
    else:
        for pattern in _SHORT_FORMATS:
            try:
                parsed = datetime.strptime(f"{text} 2000", f"{pattern} %Y")
            except ValueError:
                continue
            candidates.append((parsed.month, parsed.day))
            break
    if not candidates or reference is None:
        return None
    month, day = candidates[0]
    for year in (reference.year - 1, reference.year, reference.year + 1):
        try:
            moment = date(year, month, day)
        except ValueError:
            continue
        if (moment - reference).days >= -60:
            return moment
    return None


def _normalise_status(text: str) -> str:
    status = text.strip().lower().replace(" ", "-").replace("_", "-")
    return {"todo": "open", "to-do": "open", "doing": "in-progress", "wip": "in-progress",
            "complete": "done", "completed": "done", "closed": "done", "won't-do": "wont-do",
            "wontfix": "wont-do", "cancelled": "wont-do", "canceled": "wont-do"}.get(status, status)  # fmt: skip


def parse_item(text: str, checked: bool | None, reference: date | None) -> ParsedItem:
    """Split an item's text into the task and its owner, dates and status."""
    task = text.strip()
    pairs: list[tuple[str, str]] = []
    paren = _PAREN.search(task)
    if paren:
        pairs = _PAIRS.findall(paren.group(1))
        task = (task[: paren.start()] + task[paren.end() :]).strip()
    else:
        trailer = _TRAILER.search(task)
        if trailer:
            pairs = _PAIRS.findall(trailer.group(1))
            task = task[: trailer.start()].strip()
    item = ParsedItem(task=task)
    handle = _HANDLE.search(item.task)
    if handle and not any(
        key.lower().startswith(("owner", "assignee")) for key, _ in pairs
    ):
        item.owner = handle.group(1)
        item.task = item.task[: handle.start()].strip()
    for key, value in pairs:
        key = key.lower()
        value = value.strip()
        if key in ("owner", "owners", "assignee"):
            # Template text is no owner, and the placeholder rule reports it.
            item.owner = "" if value.upper() in PLACEHOLDER_TEXT else value
        elif key in ("due", "due date", "deadline"):
            item.due = read_date(value, reference)
            # Template text such as YYYY-MM-DD is the placeholder rule's to report.
            if item.due is None and value.upper() not in PLACEHOLDER_DATES:
                item.invalid = f"invalid due date '{value}'"
        elif key in ("done", "completed"):
            item.status = "done"
            item.done_on = read_date(value, reference)
        elif key == "status":
            item.status = _normalise_status(value)
            if item.status not in ACTION_STATUSES:
                item.invalid = f"unknown action item status '{value}'"
                item.status = ""
    if not item.status and checked is not None:
        item.status = "done" if checked else "open"
    item.task = item.task.rstrip(" -–—:;,")
    return item
