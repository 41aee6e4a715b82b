"""Action items still open when a recurring cause came back.

An item counts as still open at a later incident of the same recurrence
unless it landed before: an item with a ``done_on`` date landed when that
date is before the later incident's local start date. An item without one
counts by its current status: open and in-progress items are still open,
done items are taken as landed, and won't-do items are not counted.

Each incident is listed once, with its items that were still open, the first
later incident they were open at, and how many later incidents of the
recurrence started while any of them was open. Counting those for every
incident costs O(n log n) per recurrence, not a comparison of every pair.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date

from generator.model import ActionItem, Postmortem


@dataclass
class CarriedOver:
    """Action items of an incident that were still open when its cause came back."""

    earlier: Postmortem
    # The first later incident of the recurrence that started while an item was open.
    later: Postmortem
    items: list[ActionItem]
    # Later incidents of the recurrence that started while any of the items was open.
    later_count: int = 1


def open_at(item: ActionItem, later: Postmortem) -> bool:
    """Tell whether an action item was still open when a later incident started."""
    if item.status == "wont-do":
        return False
    if item.done_on is not None:
        start_date = later.date
        return start_date is not None and item.done_on >= start_date
    return item.is_open


class DayCounter:
    """Count the days added so far that fall on or before a given day.

    A Fenwick tree over the sorted distinct days of one recurrence, so each
    step costs O(log n).
    """

    def __init__(self, days: list[date]) -> None:
        self.days = days
        self.tree = [0] * (len(days) + 1)

    def add(self, day: date) -> None:
        """Count one more day."""
        position = bisect_left(self.days, day) + 1
        while position < len(self.tree):
            self.tree[position] += 1
            position += position & -position

    def until(self, day: date) -> int:
        """Return how many of the added days are on or before ``day``."""
        position, total = bisect_right(self.days, day), 0
        while position > 0:
            total += self.tree[position]
            position -= position & -position
        return total


def carried_over(incidents: list[Postmortem]) -> list[CarriedOver]:
    """Return each incident whose action items were open when a later one started.

    The incidents are walked from the latest back, adding the start date of
    each to a counter, so the later incidents an item was open at are counted
    without comparing every pair.
    """
    days = [p.date for p in incidents]
    counter = DayCounter(sorted({day for day in days if day is not None}))
    found = []
    for position in range(len(incidents) - 1, -1, -1):
        entry = _carried_from(incidents, days, position, counter)
        if entry:
            found.append(entry)
        day = days[position]
        if day is not None:
            counter.add(day)
    found.reverse()
    return found


def _carried_from(
    incidents: list[Postmortem],
    days: list[date | None],
    position: int,
    counter: DayCounter,
) -> CarriedOver | None:
    later_total = len(incidents) - position - 1
    if not later_total:
        return None
    items, reach, date_free = [], 0, False
    for item in incidents[position].action_items:
        if item.status == "wont-do":
            continue
        if item.done_on is not None:
            count = counter.until(item.done_on)
        elif item.is_open:
            count, date_free = later_total, True
        else:
            continue
        if count:
            items.append(item)
            reach = max(reach, count)
    if not items:
        return None
    later = position + 1
    if not date_free:
        # The first later incident that started on or before the latest done date.
        # Local dates may step back a day between zones, so this looks past a few.
        landed = max(item.done_on for item in items if item.done_on is not None)
        while days[later] is None or days[later] > landed:  # type: ignore[operator]
            later += 1
    return CarriedOver(incidents[position], incidents[later], items, reach)
