"""Fingerprints of page data, so unchanged pages are not rendered again.

A page's key is a hash of its template, URL, title and everything in its
context. A report stands for itself by its ``fingerprint`` (a hash of its
file, the settings and pmkb's version), so a page that lists a report is
rendered again exactly when that report changed.
"""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import date, datetime, time, timedelta, tzinfo
from enum import Enum
from typing import Any

from generator.model import Postmortem

# Types whose repr is their stable text. They are checked by exact type first,
# because most values are of these.
_PLAIN = {type(None), bool, int, float, str}


class Fingerprinter:
    """Turns nested page data into stable text, remembering shared objects."""

    def __init__(self) -> None:
        self.memo: dict[int, str] = {}
        # The field names of each dataclass, read once per type.
        self.fields: dict[type, list[str]] = {}

    def text(self, value: Any) -> str:
        """Return a stable text form of ``value``, or raise TypeError for an unknown type."""
        if type(value) in _PLAIN or isinstance(value, bool | int | float | str):
            return repr(value)
        if isinstance(value, Postmortem):
            return f"P({value.fingerprint})"
        if isinstance(value, datetime | date | time):
            return f"{type(value).__name__}({value.isoformat()})"
        if isinstance(value, timedelta):
            return f"td({value.total_seconds()})"
        if isinstance(value, tzinfo):
            return f"tz({value})"
        if isinstance(value, Enum):
            return f"{type(value).__name__}.{value.name}"
        known = self.memo.get(id(value))
        if known is not None:
            return known
        text = self.compound(value)
        if len(text) > 64:
            text = "#" + hashlib.sha1(text.encode()).hexdigest()
        self.memo[id(value)] = text
        return text

    def compound(self, value: Any) -> str:
        if isinstance(value, dict):
            items = sorted((self.text(k), self.text(v)) for k, v in value.items())
            return "{" + ",".join(f"{k}:{v}" for k, v in items) + "}"
        if isinstance(value, list | tuple):
            return "[" + ",".join(self.text(item) for item in value) + "]"
        if isinstance(value, set | frozenset):
            return "{" + ",".join(sorted(self.text(item) for item in value)) + "}"
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            names = self.fields.get(type(value))
            if names is None:
                names = self.fields[type(value)] = [
                    f.name
                    for f in dataclasses.fields(value)
                    if not f.name.startswith("_")
                ]
            fields = ",".join(
                f"{name}={self.text(getattr(value, name))}" for name in names
            )
            return f"{type(value).__name__}({fields})"
        if hasattr(value, "_asdict"):
            return self.compound(value._asdict())
        raise TypeError(f"cannot fingerprint a {type(value).__name__} in page data")


def page_key(fingerprinter: Fingerprinter, *parts: Any) -> str:
    """Return the hash of the given page parts."""
    text = "|".join(fingerprinter.text(part) for part in parts)
    return hashlib.sha256(text.encode()).hexdigest()
