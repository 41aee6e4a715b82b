"""Find causes that keep coming back.

A root-cause category or a service recurs when at least
``recurrence_min_incidents`` of its incidents started within
``recurrence_window_days`` of each other (any window of that length, not only
the last one). Overlapping windows join into one recurrence, so each
recurrence is a run of incidents in time order with the gaps between them.
The category "unknown" is left out: it names no cause.

Incidents linked by ``related`` form chains: the connected groups of the
links, whichever report wrote them.

A recurrence is flagged when an earlier incident in it still had open action
items when a later one started: the fix did not land before it happened
again. An item with a ``done_on`` date counts as landed when that date is
before the later incident's local start date. An item without one counts by
its current status: open and in-progress items are still open, done items
are taken as landed, and won't-do items are not counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from slugify import slugify

from generator.index import SiteIndex
from generator.metrics import period_keys, period_label, quarter_key
from generator.model import ActionItem, Postmortem

# The heat map shows this many quarters (six years) up to the latest incident.
HEAT_MAP_MAX_QUARTERS = 24
HEAT_LEVELS = 5


@dataclass
class CarriedOver:
    """Action items of an earlier incident that were still open when a later one began."""

    earlier: Postmortem
    later: Postmortem
    items: list[ActionItem]


@dataclass
class Recurrence:
    """Incidents that share a cause, service or links, in time order."""

    kind: str
    name: str
    incidents: list[Postmortem]
    carried_over: list[CarriedOver] = field(default_factory=list)

    @property
    def gaps(self) -> list[timedelta | None]:
        """Return the time from each incident's start to the next one's.

        A gap is None when either incident has no time recorded, which only
        happens in a chain of related reports.
        """
        pairs = zip(self.incidents, self.incidents[1:], strict=False)
        return [
            later.sort_time - earlier.sort_time
            if has_time(earlier) and has_time(later)
            else None
            for earlier, later in pairs
        ]

    @property
    def first(self) -> Postmortem:
        """Return the earliest incident."""
        return self.incidents[0]

    @property
    def latest(self) -> Postmortem:
        """Return the most recent incident."""
        return self.incidents[-1]

    @property
    def anchor(self) -> str:
        """Return the recurrence's id on the recurring page."""
        name = "chain" if self.kind == "related" else slugify(self.name) or "none"
        day = self.first.date.isoformat() if self.first.date else self.first.id
        return f"{self.kind}-{name}-{day}"

    @property
    def flagged(self) -> bool:
        """Tell whether a fix had not landed before the cause came back."""
        return bool(self.carried_over)


def has_time(postmortem: Postmortem) -> bool:
    """Tell whether a report has any of started, detected and resolved."""
    return postmortem.date is not None


def open_at(item: ActionItem, later: Postmortem) -> bool:
    """Tell whether an action item was still open when a later incident started."""
    if item.status == "wont-do":
        return False
    if item.done_on is not None:
        start_date = later.date
        return start_date is not None and item.done_on >= start_date
    return item.is_open


def carried_over(incidents: list[Postmortem]) -> list[CarriedOver]:
    """Return, for each later incident, earlier ones whose items were still open."""
    found = []
    for position, later in enumerate(incidents):
        for earlier in incidents[:position]:
            items = [item for item in earlier.action_items if open_at(item, later)]
            if items:
                found.append(CarriedOver(earlier, later, items))
    return found


def clusters(
    incidents: list[Postmortem], min_incidents: int, window: timedelta
) -> list[list[Postmortem]]:
    """Split time-ordered incidents into runs where enough fall within a window."""
    times = [p.sort_time for p in incidents]
    member = [False] * len(incidents)
    end = 0
    for start in range(len(incidents)):
        end = max(end, start)
        while end + 1 < len(incidents) and times[end + 1] - times[start] <= window:
            end += 1
        if end - start + 1 >= min_incidents:
            for position in range(start, end + 1):
                member[position] = True
    runs: list[list[Postmortem]] = []
    previous: int | None = None
    for position, is_member in enumerate(member):
        if not is_member:
            continue
        joined = previous is not None and times[position] - times[previous] <= window
        if joined and runs:
            runs[-1].append(incidents[position])
        else:
            runs.append([incidents[position]])
        previous = position
    return runs


def recurring(
    postmortems: list[Postmortem],
    kind: str,
    names_of: dict[str, list[str]],
    min_incidents: int,
    window_days: int,
) -> list[Recurrence]:
    """Return the recurrences of every name (category or service) of one kind."""
    by_name: dict[str, list[Postmortem]] = {}
    for postmortem in sorted(filter(has_time, postmortems), key=_time_order):
        for name in names_of[postmortem.id]:
            by_name.setdefault(name, []).append(postmortem)
    found = []
    for name, incidents in by_name.items():
        for run in clusters(incidents, min_incidents, timedelta(days=window_days)):
            found.append(Recurrence(kind, name, run, carried_over(run)))
    return found


def related_chains(index: SiteIndex) -> list[Recurrence]:
    """Return groups of two or more incidents connected by ``related`` links."""
    neighbours: dict[str, set[str]] = {p.id: set() for p in index.postmortems}
    for source, targets in index.explicit_related.items():
        for target in targets:
            if source in neighbours and target in neighbours and source != target:
                neighbours[source].add(target)
                neighbours[target].add(source)
    seen: set[str] = set()
    chains = []
    for postmortem in sorted(index.postmortems, key=_time_order):
        if postmortem.id in seen or not neighbours[postmortem.id]:
            continue
        component, stack = set(), [postmortem.id]
        while stack:
            current = stack.pop()
            if current not in component:
                component.add(current)
                stack.extend(neighbours[current] - component)
        seen |= component
        members = sorted((index.by_id[i] for i in component), key=_time_order)
        chains.append(
            Recurrence("related", members[0].title, members, carried_over(members))
        )
    return chains  # fmt: skip


def _time_order(postmortem: Postmortem) -> tuple[datetime, str]:
    return (postmortem.sort_time, postmortem.id)


def is_active(recurrence: Recurrence, today: date, window_days: int) -> bool:
    """Tell whether the latest incident started within the window before today."""
    latest = recurrence.latest.date
    return latest is not None and (today - latest).days <= window_days


def rank_recurrences(
    recurrences: list[Recurrence], today: date, window_days: int
) -> list[Recurrence]:
    """Order recurrences: active ones first, then by size, then most recent."""
    return sorted(
        recurrences,
        key=lambda r: (
            not is_active(r, today, window_days),
            -len(r.incidents),
            -r.latest.sort_time.timestamp(),
            r.name,
        ),
    )


@dataclass
class HeatMap:
    """Incident counts per category and quarter, with a shade level per cell.

    The first column, "earlier", gathers incidents before the quarters shown
    and is left out when there are none.
    """

    columns: list[tuple[str, str]]
    rows: list[tuple[str, list[int], int]]
    maximum: int

    def level(self, count: int) -> int:
        """Return the shade of a cell, 0 for none up to HEAT_LEVELS - 1.

        The scale runs to the largest count but at least to HEAT_LEVELS - 1,
        so that where no cell has more than one incident, one is a light shade.
        """
        if count <= 0:
            return 0
        scale = max(self.maximum, HEAT_LEVELS - 1)
        level = round(count / scale * (HEAT_LEVELS - 1))
        return min(max(1, level), HEAT_LEVELS - 1)


def heat_map(postmortems: list[Postmortem]) -> HeatMap:
    """Count incidents per root-cause category over the last quarters with data."""
    dated = [p for p in postmortems if p.date is not None]
    if not dated:
        return HeatMap([], [], 0)
    days = [p.date for p in dated if p.date]
    keys = period_keys(min(days), max(days), "quarter")[-HEAT_MAP_MAX_QUARTERS:]
    columns = [(key, period_label(key)) for key in keys]
    # The quarters shown end at the latest incident, so any other one is earlier.
    if any(quarter_key(day) not in keys for day in days):
        columns.insert(0, ("earlier", f"Before {period_label(keys[0])}"))
    position = {key: number for number, (key, _) in enumerate(columns)}
    counts: dict[str, list[int]] = {}
    for postmortem in dated:
        assert postmortem.date is not None
        key = quarter_key(postmortem.date)
        column = position.get(key, 0)
        for category in postmortem.root_cause.categories or ["unknown"]:
            counts.setdefault(category, [0] * len(columns))[column] += 1
    rows = [(name, cells, sum(cells)) for name, cells in counts.items()]
    rows.sort(key=lambda row: (-row[2], row[0]))
    maximum = max((max(cells) for _, cells, _ in rows), default=0)
    return HeatMap(columns, rows, maximum)
