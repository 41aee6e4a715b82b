"""Compare the front matter `pmkb import` inferred with hand-written front matter.

Usage:

    pmkb import ../shared/corpus/dfds-original --output /tmp/dfds-imported
    python bench/import_agreement.py /tmp/dfds-imported ../shared/corpus/dfds

Files are paired by the report number at the start of their names
(``pm2020-002-…``). Per field, each pair counts as one of:

- agree: both have the field and the values match;
- disagree: both have it and the values differ;
- left out: only the hand-written file has it (a placeholder such as
  ``severity: unrated`` or a ``TODO:`` impact counts as left out);
- import only: only the imported file has it;
- neither: no file has it.

Times are compared as written (wall-clock ``YYYY-MM-DD HH:MM``), because
both files copy them from the same timeline. Zones are compared by their
UTC offset at the report's first time, so "+01:00" agrees with
"Europe/Copenhagen" in winter and not in summer. Lists (services, tags)
agree when every imported item is in the hand-written list, because the
import names only what a line of the text lists. ``--details`` prints every disagreement.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

from generator.parse import parse_document
from generator.timeparse import parse_time, parse_zone

FIELDS = (
    "title", "timezone", "started", "detected", "mitigated", "resolved",
    "severity", "category", "impact", "services", "tags",
)  # fmt: skip
OUTCOMES = ("agree", "disagree", "left out", "import only", "neither")
TIME_FIELDS = ("started", "detected", "mitigated", "resolved")
_NUMBER = re.compile(r"^(pm\d{4}-\d{3})", re.IGNORECASE)


def read_front_matter(path: Path) -> dict[str, Any]:
    """Return a file's front matter, with root_cause.category as 'category'."""
    document, problems = parse_document(str(path), path.read_text(encoding="utf-8"))
    if document is None:
        raise SystemExit(f"{path}: {problems[0].format()}")
    data = dict(document.metadata)
    root_cause = data.get("root_cause")
    if isinstance(root_cause, dict):
        data["category"] = root_cause.get("category")
    return data


def is_placeholder(name: str, value: Any) -> bool:
    """Tell whether an imported value only marks a field the text lacks."""
    if value in (None, "", []):
        return True
    if name == "severity" and str(value) == "unrated":
        return True
    if name == "category" and str(value) == "unknown":
        return True
    return isinstance(value, str) and value.startswith("TODO:")


def first_time(data: dict[str, Any]) -> datetime | None:
    """Return the file's first time value, read without a zone."""
    for name in TIME_FIELDS:
        if data.get(name):
            return parse_time(str(data[name]), parse_zone("UTC"))  # type: ignore[arg-type]
    return None


def offset_at(zone_name: Any, moment: datetime | None) -> str:
    """Return a zone's UTC offset at a wall-clock time, as text."""
    zone = parse_zone(str(zone_name))
    if zone is None:
        return f"unknown zone {zone_name}"
    local = (moment or datetime(2020, 1, 1)).replace(tzinfo=zone)
    return str(local.utcoffset())


def as_set(value: Any) -> set[str]:
    """Return a list value (or a lone string) as a set of lower-case names."""
    items = value if isinstance(value, list) else [value]
    return {str(item).lower() for item in items}


def same(name: str, imported: dict[str, Any], reference: dict[str, Any]) -> bool:
    """Tell whether the two files agree on one field."""
    mine, theirs = imported[name], reference[name]
    if name == "timezone":
        moment = first_time(reference) or first_time(imported)
        return offset_at(mine, moment) == offset_at(theirs, moment)
    if name in TIME_FIELDS:
        return " ".join(str(mine).split()) == " ".join(str(theirs).split())
    if name in ("services", "tags"):
        return as_set(mine) <= as_set(theirs)
    return str(mine).strip().lower() == str(theirs).strip().lower()


def outcome(name: str, imported: dict[str, Any], reference: dict[str, Any]) -> str:
    """Classify one field of one pair of files."""
    has_mine = not is_placeholder(name, imported.get(name))
    has_theirs = reference.get(name) not in (None, "", [])
    if has_mine and has_theirs:
        return "agree" if same(name, imported, reference) else "disagree"
    if has_theirs:
        return "left out"
    return "import only" if has_mine else "neither"


def pairs(imported_dir: Path, reference_dir: Path) -> list[tuple[str, Path, Path]]:
    """Pair the files of the two folders by their report number."""
    by_number = {}
    for path in sorted(reference_dir.glob("*.md")):
        match = _NUMBER.match(path.name)
        if match:
            by_number[match.group(1).lower()] = path
    found = []
    for path in sorted(imported_dir.glob("*.md")):
        match = _NUMBER.match(path.name)
        if match and match.group(1).lower() in by_number:
            found.append(
                (match.group(1).lower(), path, by_number[match.group(1).lower()])
            )
    return found


def main(argv: list[str] | None = None) -> int:
    """Print the agreement table, and every disagreement with --details."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("imported", type=Path, help="folder written by pmkb import")
    parser.add_argument(
        "reference", type=Path, help="folder with hand-written front matter"
    )
    parser.add_argument(
        "--details", action="store_true", help="list every disagreement"
    )
    args = parser.parse_args(argv)

    counts: dict[str, Counter[str]] = {name: Counter() for name in FIELDS}
    details = []
    matched = pairs(args.imported, args.reference)
    for number, imported_path, reference_path in matched:
        imported = read_front_matter(imported_path)
        reference = read_front_matter(reference_path)
        for name in FIELDS:
            result = outcome(name, imported, reference)
            counts[name][result] += 1
            if result == "disagree":
                details.append(
                    f"{number} {name}: imported {imported[name]!r}, by hand {reference[name]!r}"
                )

    print(f"{len(matched)} pairs of files\n")
    print("| field | " + " | ".join(OUTCOMES) + " |")
    print("|---|" + "---:|" * len(OUTCOMES))
    for name in FIELDS:
        print(
            f"| {name} | " + " | ".join(str(counts[name][o]) for o in OUTCOMES) + " |"
        )
    if args.details:
        print("\nDisagreements:\n")
        print("\n".join(f"- {line}" for line in details))
    return 0


if __name__ == "__main__":
    sys.exit(main())
