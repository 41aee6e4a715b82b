"""Related incidents: the reports a report links to, those linking to it, and
the closest ones that share a root-cause category or a service."""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta

from generator.model import Postmortem

# How many reports before and after an incident, in each of its categories and
# services, are scored as related. It bounds the work per report, so indexing
# stays linear in the number of reports.
RELATED_WINDOW = 8


Members = dict[tuple[str, str], tuple[list[datetime], list[Postmortem]]]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


class _Profile:
    """The time, categories and services of a report that scoring compares.

    They are worked out once per report, because about 50 neighbours are
    scored for each, and datetime arithmetic per pair took a quarter of the
    time of the report pages' contexts."""

    __slots__ = ("moment", "categories", "services")

    def __init__(self, postmortem: Postmortem) -> None:
        self.moment = (postmortem.sort_time - _EPOCH) // _MICROSECOND
        self.categories = frozenset(_causes(postmortem))
        self.services = frozenset(postmortem.services)


def _causes(postmortem: Postmortem) -> list[str]:
    """Return a report's categories, without 'unknown', which says nothing in common."""
    return [c for c in postmortem.root_cause.categories if c != "unknown"]


def _neighbours(postmortem: Postmortem, members: Members) -> dict[str, Postmortem]:
    """Return the reports closest in time that share a category or service."""
    found: dict[str, Postmortem] = {}
    keys = [("category", c) for c in _causes(postmortem)]
    keys += [("service", s) for s in postmortem.services]
    for key in keys:
        times, ordered = members.get(key, ([], []))
        position = bisect_left(times, postmortem.sort_time)
        start = max(0, position - RELATED_WINDOW)
        for other in ordered[start : position + RELATED_WINDOW + 1]:
            found[other.id] = other
    found.pop(postmortem.id, None)
    return found


def _related(
    postmortem: Postmortem,
    explicit: dict[str, list[str]],
    linked_from: dict[str, list[str]],
    by_id: dict[str, Postmortem],
    members: Members,
    profiles: dict[str, _Profile],
    limit: int = 6,
) -> list[tuple[Postmortem, str]]:
    """Return explicit related reports first, then ones sharing a category or
    service, the most shared first and then the closest in time."""
    result: list[tuple[Postmortem, str]] = []
    seen = {postmortem.id}
    for related_id in explicit[postmortem.id]:
        other = by_id.get(related_id)
        if other and other.id not in seen:
            result.append((other, "linked"))
            seen.add(other.id)
    for other_id in linked_from.get(postmortem.id, []):
        if other_id not in seen:
            result.append((by_id[other_id], "links here"))
            seen.add(other_id)
    own = profiles[postmortem.id]
    categories, services, moment = own.categories, own.services, own.moment
    scored = []
    for other in _neighbours(postmortem, members).values():
        if other.id in seen:
            continue
        profile = profiles[other.id]
        shared = 2 * len(categories & profile.categories)
        shared += len(services & profile.services)
        scored.append((-shared, abs(profile.moment - moment), other.id, other))
    # Reasons are written only for the few that are shown.
    for *_, other in heapq.nsmallest(
        max(0, limit - len(result)), scored, key=lambda item: item[:3]
    ):
        reasons = [
            f"same category ({c})"
            for c in sorted(categories.intersection(_causes(other)))
        ]
        reasons += [
            f"same service ({s})" for s in sorted(services.intersection(other.services))
        ]
        result.append((other, ", ".join(reasons[:2])))
    return result


class RelatedReports(Mapping[str, list[tuple[Postmortem, str]]]):
    """The related reports of every report, with the reason for each.

    Each report's list is made at its first look-up. Report pages need them
    all, but only after the search index has started, which needs none.
    """

    def __init__(self, published: list[Postmortem], explicit: dict[str, list[str]]):
        self.by_id = {p.id: p for p in published}
        self.explicit = explicit
        self.linked_from: dict[str, list[str]] = {}
        for postmortem in published:
            for target in explicit[postmortem.id]:
                self.linked_from.setdefault(target, []).append(postmortem.id)
        self.members: Members = {}
        for postmortem in sorted(published, key=lambda p: (p.sort_time, p.id)):
            keys = [("category", c) for c in _causes(postmortem)]
            keys += [("service", s) for s in postmortem.services]
            for key in keys:
                times, ordered = self.members.setdefault(key, ([], []))
                times.append(postmortem.sort_time)
                ordered.append(postmortem)
        self.profiles = {p.id: _Profile(p) for p in published}
        self.found: dict[str, list[tuple[Postmortem, str]]] = {}

    def __getitem__(self, report_id: str) -> list[tuple[Postmortem, str]]:
        found = self.found.get(report_id)
        if found is None:
            found = self.found[report_id] = _related(
                self.by_id[report_id],
                self.explicit,
                self.linked_from,
                self.by_id,
                self.members,
                self.profiles,
            )
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self.by_id)

    def __len__(self) -> int:
        return len(self.by_id)
