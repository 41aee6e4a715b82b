"""Action items written in front matter, as a list of ``task``, ``owner``,
``due``, ``done`` and ``status`` entries (or plain strings)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from generator.errors import Level
from generator.model import ActionItem
from generator.parse import KeyPath
from generator.vocabulary import ACTION_STATUSES, did_you_mean

if TYPE_CHECKING:
    from generator.validate import FrontMatterValidator

_DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%d %b %Y",
    "%d %B %Y",
    "%b %d, %Y",
    "%B %d, %Y",
)
_FIELDS = ("task", "owner", "due", "done", "status")


def _text(value: object) -> str:
    """Return a scalar as stripped text, or '' for a missing value, list or mapping."""
    if value is None or isinstance(value, dict | list | bool):
        return ""
    return str(value).strip()


def parse_date(value: object) -> date | None:
    """Parse a due or done date written as a date, ``YYYY-MM-DD`` or ``15 Feb 2025``."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def read_action_items(validator: FrontMatterValidator) -> list[ActionItem]:
    """Return the front matter's action items, reporting every bad entry."""
    value = validator.values.get("action_items")
    if value is None or value == "":
        return []
    where = validator.where("action_items")
    if not isinstance(value, list):
        validator.report(
            Level.ERROR,
            where,
            "'action_items' must be a list",
            "write one '- task: …' entry per item",
            value=True,
        )
        return []
    items = []
    for index, entry in enumerate(value):
        key_path = where + (index,)
        line = validator.document.position(key_path)[0]
        if isinstance(entry, str):
            items.append(
                ActionItem(
                    anchor="", task=entry.strip(), source="front matter", line=line
                )
            )
        elif not isinstance(entry, dict) or not _text(entry.get("task")):
            hint = "write it as '- task: …' with owner, due and status"
            validator.report(
                Level.ERROR, key_path, f"action item {index + 1} needs a 'task'", hint
            )
        else:
            items.append(_read_entry(validator, entry, key_path, line))
    return items


def _read_entry(
    validator: FrontMatterValidator, entry: dict[str, Any], key_path: KeyPath, line: int
) -> ActionItem:
    owner = entry.get("owner")
    if isinstance(owner, list) and all(_text(name) for name in owner):
        owner = ", ".join(_text(name) for name in owner)
    elif owner is not None and not _text(owner) and owner != "":
        validator.report(
            Level.ERROR,
            key_path + ("owner",),
            "'owner' must be text or a list of names",
            "write it as owner: team-name",
            value=True,
        )
        owner = ""
    item = ActionItem(
        anchor="",
        task=_text(entry["task"]),
        owner=_text(owner),
        source="front matter",
        line=line,
    )
    for key in entry:
        if key not in _FIELDS:
            hint = "use task, owner, due, done and status"
            validator.report(
                Level.WARNING,
                key_path + (key,),
                f"unknown action item field '{key}'",
                hint,
            )
    for key in ("due", "done"):
        if entry.get(key) in (None, ""):
            continue
        parsed = parse_date(entry[key])
        if parsed is None:
            message = f"invalid date {entry[key]!r} for '{key}'"
            validator.report(
                Level.ERROR,
                key_path + (key,),
                message,
                "write it as YYYY-MM-DD",
                value=True,
            )
        elif key == "due":
            item.due = parsed
        else:
            item.done_on = parsed
            item.status = "done"
    status = (
        str(entry.get("status") or "")
        .strip()
        .lower()
        .replace(" ", "-")
        .replace("_", "-")
    )
    if status in ACTION_STATUSES:
        item.status = status
    elif status:
        message = f"unknown action item status '{entry['status']}'"
        hint = did_you_mean(status, list(ACTION_STATUSES))
        validator.report(Level.ERROR, key_path + ("status",), message, hint, value=True)
    return item
