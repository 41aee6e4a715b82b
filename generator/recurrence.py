"""Find causes that keep coming back.

A root-cause category or a service recurs when at least
``recurrence_min_incidents`` of its incidents started within
``recurrence_window_days`` of each other (any window of that length, not only
the last one). Overlapping windows join into one recurrence, so each
recurrence is a run of incidents in time order with the gaps between them.
Names that give the same slug, like "User API" and "user-api", are one name,
as on their term pages. The category "unknown" is left out: it names no cause.

Incidents linked by ``related`` form chains: the connected groups of the
links, whichever report wrote them.

A recurrence is flagged when an earlier incident in it still had open action
items when a later one started: the fix did not land before it happened
again (``generator.carried`` defines when an item was still open).

A recurrence is active when one of its incidents started within the window
before today (or later). Recurrences are ranked: active ones first, then by
their incidents within that window, then flagged ones, then by size, then
the most recent first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from slugify import slugify

from generator.carried import CarriedOver, carried_over
from generator.index import SiteIndex
from generator.metrics import period_keys, period_label, quarter_key
from generator.model import Postmortem

# The heat map shows this many quarters (six years) up to the latest incident.
HEAT_MAP_MAX_QUARTERS = 24
HEAT_LEVELS = 5


@dataclass(eq=False)
class Recurrence:
    """Incidents that share a cause, service or links, in time order.

    The gaps and the action items carried over follow from the incidents, so
    they are private fields, which page fingerprints skip: a report's
    fingerprint covers its times and its action items.
    """

    kind: str
    name: str
    incidents: list[Postmortem]
    slug: str = ""
    # Incidents that started within the recurrence window before today, or later.
    recent: int = 0
    _gaps: list[timedelta | None] = field(init=False, repr=False)
    _median_gap: timedelta | None = field(init=False, repr=False)
    _carried: list[CarriedOver] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        pairs = zip(self.incidents, self.incidents[1:], strict=False)
        self._gaps = [
            later.sort_time - earlier.sort_time
            if has_time(earlier) and has_time(later)
            else None
            for earlier, later in pairs
        ]
        known = sorted(gap for gap in self._gaps if gap is not None)
        middle = len(known) // 2
        if not known:
            self._median_gap = None
        elif len(known) % 2:
            self._median_gap = known[middle]
        else:
            self._median_gap = (known[middle - 1] + known[middle]) / 2
        self._carried = carried_over(self.incidents)

    @property
    def gaps(self) -> list[timedelta | None]:
        """Return the time from each incident's start to the next one's.

        A gap is None when either incident has no time recorded, which only
        happens in a chain of related reports.
        """
        return self._gaps

    @property
    def median_gap(self) -> timedelta | None:
        """Return the median of the known gaps, or None when there is none."""
        return self._median_gap

    @property
    def carried_over(self) -> list[CarriedOver]:
        """Return the incidents whose action items were still open when it came back."""
        return self._carried

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
        """Return the recurrence's id on the recurring pages."""
        if self.kind == "related":
            return f"related-{self.first.id}"
        name = self.slug or slugify(self.name) or "none"
        day = self.first.date.isoformat() if self.first.date else self.first.id
        return f"{self.kind}-{name}-{day}"

    @property
    def active(self) -> bool:
        """Tell whether an incident started within the window before today."""
        return self.recent > 0

    @property
    def flagged(self) -> bool:
        """Tell whether a fix had not landed before the cause came back."""
        return bool(self._carried)

    @property
    def carried_items(self) -> int:
        """Return how many action items were still open when it came back."""
        return sum(len(carried.items) for carried in self._carried)


def has_time(postmortem: Postmortem) -> bool:
    """Tell whether a report has any of started, detected and resolved."""
    return postmortem.date is not None


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
    slugs: dict[str, str] = {}
    display_names: dict[str, str] = {}
    by_slug: dict[str, list[Postmortem]] = {}
    for postmortem in sorted(filter(has_time, postmortems), key=_time_order):
        for name in names_of[postmortem.id]:
            if name not in slugs:
                slugs[name] = slugify(name) or "none"
            slug = slugs[name]
            display_names.setdefault(slug, name)
            members = by_slug.setdefault(slug, [])
            if not members or members[-1] is not postmortem:
                members.append(postmortem)
    found = []
    for slug, incidents in by_slug.items():
        for run in clusters(incidents, min_incidents, timedelta(days=window_days)):
            found.append(Recurrence(kind, display_names[slug], run, slug))
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
        chains.append(Recurrence("related", members[0].title, members, members[0].id))
    return chains


def _time_order(postmortem: Postmortem) -> tuple[datetime, str]:
    return (postmortem.sort_time, postmortem.id)


def count_recent(recurrences: list[Recurrence], today: date, window_days: int) -> None:
    """Store in each recurrence how many incidents started within the window."""
    since = today - timedelta(days=window_days)
    for recurrence in recurrences:
        recurrence.recent = sum(
            1 for p in recurrence.incidents if p.date is not None and p.date >= since
        )


def rank_recurrences(recurrences: list[Recurrence]) -> list[Recurrence]:
    """Order recurrences by relevance, as the module docstring describes."""
    return sorted(
        recurrences,
        key=lambda r: (
            not r.active,
            -r.recent,
            not r.flagged,
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
