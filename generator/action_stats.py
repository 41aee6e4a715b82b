"""Action items across the knowledge base: overdue ones, completion and owners.

An item is overdue when it is open or in progress and its due date is before
today. An open or in-progress item without an owner or a due date is flagged. The completion rate of a quarter is done items divided by the items
raised by incidents that started in that quarter, won't-do items left out of
both counts because they were decided against.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from slugify import slugify

from generator.metrics import period_label, quarter_key
from generator.model import ActionItem, Postmortem

# Slug of the page of items without an owner.
NO_OWNER = "unassigned"
STATUS_ORDER = {"open": 1, "in-progress": 1, "done": 2, "wont-do": 3}


@dataclass
class ActionRow:
    """One action item with the report it came from."""

    postmortem: Postmortem
    item: ActionItem
    overdue: bool

    @property
    def url(self) -> str:
        """Return the item's link, relative to the site root."""
        return f"{self.postmortem.id}/#{self.item.anchor}"

    @property
    def owner_slug(self) -> str:
        """Return the slug of the owner's page, NO_OWNER for items without an owner."""
        return slugify(self.item.owner) or NO_OWNER

    @property
    def missing_details(self) -> bool:
        """Tell whether an open or in-progress item lacks an owner or a due date.

        Done and won't-do items need neither any more, so they are not flagged.
        """
        return self.item.is_open and (not self.item.owner or self.item.due is None)


def _sort_key(row: ActionRow) -> tuple:
    due = row.item.due or date.max
    rank = 0 if row.overdue else STATUS_ORDER.get(row.item.status, 4)
    newest_first = -row.postmortem.sort_time.timestamp()
    return (rank, due if rank <= 1 else date.min, newest_first, row.item.anchor)


def action_rows(postmortems: list[Postmortem], today: date) -> list[ActionRow]:
    """Return every action item: overdue first, then open by due date, then closed."""
    rows = [
        ActionRow(postmortem, item, item.is_overdue(today))
        for postmortem in postmortems
        for item in postmortem.action_items
    ]
    return sorted(rows, key=_sort_key)


@dataclass
class Completion:
    """Action items raised by one quarter's incidents and how many are done."""

    key: str
    label: str
    raised: int = 0
    done: int = 0
    open: int = 0
    overdue: int = 0
    wont_do: int = 0

    @property
    def rate(self) -> float | None:
        """Return done over raised items without won't-do ones, or None if there are none."""
        counted = self.raised - self.wont_do
        return self.done / counted if counted else None


def _count(completion: Completion, row: ActionRow) -> None:
    completion.raised += 1
    status = row.item.status
    if status == "done":
        completion.done += 1
    elif status == "wont-do":
        completion.wont_do += 1
    else:
        completion.open += 1
    if row.overdue:
        completion.overdue += 1


def completion_by_quarter(rows: list[ActionRow]) -> list[Completion]:
    """Count items per quarter of the incident that raised them, oldest first."""
    quarters: dict[str, Completion] = {}
    undated = Completion("none", "No date")
    for row in rows:
        day = row.postmortem.date
        if day is None:
            _count(undated, row)
            continue
        key = quarter_key(day)
        _count(quarters.setdefault(key, Completion(key, period_label(key))), row)
    result = [quarters[key] for key in sorted(quarters)]
    if undated.raised:
        result.append(undated)
    return result


@dataclass
class OwnerCount:
    """How many items one owner has, by state."""

    owner: str
    slug: str
    total: int = 0
    open: int = 0
    overdue: int = 0
    done: int = 0
    wont_do: int = 0


def owner_counts(rows: list[ActionRow]) -> list[OwnerCount]:
    """Count items per owner page: most overdue first, items without an owner last.

    Owners whose names give the same slug, like "SRE team" and "sre-team",
    share one page and one count, shown under the first name seen.
    """
    owners: dict[str, OwnerCount] = {}
    for row in rows:
        name = row.item.owner if row.owner_slug != NO_OWNER else ""
        count = owners.setdefault(row.owner_slug, OwnerCount(name, row.owner_slug))
        count.total += 1
        if row.item.status == "done":
            count.done += 1
        elif row.item.status == "wont-do":
            count.wont_do += 1
        else:
            count.open += 1
        if row.overdue:
            count.overdue += 1
    return sorted(
        owners.values(),
        key=lambda c: (not c.owner, -c.overdue, -c.open, c.owner.lower()),
    )


@dataclass
class ActionSummary:
    """Every action item and the counts the pages show."""

    rows: list[ActionRow]
    by_quarter: list[Completion]
    by_owner: list[OwnerCount]

    @property
    def open(self) -> list[ActionRow]:
        """Return the items still open or in progress."""
        return [row for row in self.rows if row.item.is_open]

    @property
    def overdue(self) -> list[ActionRow]:
        """Return the overdue items."""
        return [row for row in self.rows if row.overdue]

    @property
    def missing_details(self) -> list[ActionRow]:
        """Return the open items without an owner or a due date."""
        return [row for row in self.rows if row.missing_details]

    def with_status(self, status: str) -> list[ActionRow]:
        """Return the items of one status, or the overdue ones for 'overdue'."""
        if status == "overdue":
            return self.overdue
        return [row for row in self.rows if row.item.status == status]


def summarize_actions(postmortems: list[Postmortem], today: date) -> ActionSummary:
    """Collect every action item of the published reports."""
    rows = action_rows(postmortems, today)
    return ActionSummary(rows, completion_by_quarter(rows), owner_counts(rows))
