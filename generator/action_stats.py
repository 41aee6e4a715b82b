"""Action items across the knowledge base: overdue ones, completion and owners.

An item is overdue when it is open or in progress and its due date is before
today. An open or in-progress item without an owner or a due date is
flagged. The completion rate of a quarter is done items divided by the items
raised by incidents that started in that quarter, won't-do items left out of
both counts because they were decided against.

Every list and count is built in one pass over the items when the summary is
made, so pages that show them cost no more work per page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache

from markupsafe import Markup
from slugify import slugify

from generator.metrics import period_label, quarter_key
from generator.model import ActionItem, Postmortem

# Slug of the page of items without an owner.
NO_OWNER = "unassigned"
STATUS_ORDER = {"open": 1, "in-progress": 1, "done": 2, "wont-do": 3}


@cache
def owner_slug(owner: str) -> str:
    """Return the slug of an owner's page, NO_OWNER for items without an owner."""
    return slugify(owner) or NO_OWNER


def task_text(task_html: str) -> str:
    """Return the text of a task's HTML, without its tags and entities."""
    if "<" not in task_html and "&" not in task_html:
        return task_html
    return Markup(task_html).striptags()


@dataclass
class ActionRow:
    """One action item with the report it came from.

    The anchor names the item within its report. The item and the values
    derived from it are private fields, which page fingerprints skip: the
    report's fingerprint covers its items.
    """

    postmortem: Postmortem
    anchor: str
    overdue: bool
    _item: ActionItem
    _url: str = field(init=False, repr=False)
    _owner_slug: str = field(init=False, repr=False)
    _missing_details: bool = field(init=False, repr=False)
    _task_text: str = field(init=False, repr=False)

    def __post_init__(self) -> None:
        item = self._item
        self._url = f"{self.postmortem.id}/#{item.anchor}"
        self._owner_slug = owner_slug(item.owner)
        self._missing_details = item.is_open and (not item.owner or item.due is None)
        self._task_text = task_text(item.task_html or item.task)

    @property
    def item(self) -> ActionItem:
        """Return the action item."""
        return self._item

    @property
    def url(self) -> str:
        """Return the item's link, relative to the site root."""
        return self._url

    @property
    def owner_slug(self) -> str:
        """Return the slug of the owner's page, NO_OWNER for items without an owner."""
        return self._owner_slug

    @property
    def missing_details(self) -> bool:
        """Tell whether an open or in-progress item lacks an owner or a due date.

        Done and won't-do items need neither any more, so they are not flagged.
        """
        return self._missing_details

    @property
    def task_text(self) -> str:
        """Return the task as plain text, for tables that link the whole task."""
        return self._task_text


def _sort_key(row: ActionRow) -> tuple:
    due = row.item.due or date.max
    rank = 0 if row.overdue else STATUS_ORDER.get(row.item.status, 4)
    newest_first = -row.postmortem.sort_time.timestamp()
    return (rank, due if rank <= 1 else date.min, newest_first, row.item.anchor)


def action_rows(postmortems: list[Postmortem], today: date) -> list[ActionRow]:
    """Return every action item: overdue first, then open by due date, then closed."""
    rows = [
        ActionRow(postmortem, item.anchor, item.is_overdue(today), item)
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
        if key not in quarters:
            quarters[key] = Completion(key, period_label(key))
        _count(quarters[key], row)
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


# Lists of the summary by the slug of their page. "overdue" items are open or
# in progress and past due, and "missing-details" ones lack an owner or due date.
LISTS = ("overdue", "open", "in-progress", "done", "wont-do", "missing-details")


@dataclass
class ActionCounts:
    """How many items each status page and each owner page lists."""

    total: int
    by_status: dict[str, int]
    by_owner: list[OwnerCount]


@dataclass
class ActionSummary:
    """Every action item and the counts the pages show."""

    rows: list[ActionRow]
    by_quarter: list[Completion]
    by_owner: list[OwnerCount]
    # The rows of each list in LISTS, of "unfinished" (open and in progress)
    # and of each owner page, in the order of ``rows``. They follow from
    # ``rows``, so page fingerprints skip them.
    _lists: dict[str, list[ActionRow]] = field(init=False, repr=False)
    _owner_rows: dict[str, list[ActionRow]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._lists = {name: [] for name in (*LISTS, "unfinished")}
        self._owner_rows = {}
        for row in self.rows:
            status = row.item.status
            if status in self._lists:
                self._lists[status].append(row)
            if row.item.is_open:
                self._lists["unfinished"].append(row)
            if row.overdue:
                self._lists["overdue"].append(row)
            if row.missing_details:
                self._lists["missing-details"].append(row)
            self._owner_rows.setdefault(row.owner_slug, []).append(row)

    @property
    def open(self) -> list[ActionRow]:
        """Return the items still open or in progress."""
        return self._lists["unfinished"]

    @property
    def overdue(self) -> list[ActionRow]:
        """Return the overdue items."""
        return self._lists["overdue"]

    @property
    def missing_details(self) -> list[ActionRow]:
        """Return the open items without an owner or a due date."""
        return self._lists["missing-details"]

    def owner_rows(self, slug: str) -> list[ActionRow]:
        """Return the items of one owner page."""
        return self._owner_rows.get(slug, [])

    def with_status(self, status: str) -> list[ActionRow]:
        """Return the items of one status, or of one list in LISTS."""
        return self._lists.get(status, [])

    @property
    def counts(self) -> ActionCounts:
        """Return the number of items of every list and owner."""
        by_status = {name: len(self._lists[name]) for name in LISTS}
        return ActionCounts(len(self.rows), by_status, self.by_owner)


def summarize_actions(postmortems: list[Postmortem], today: date) -> ActionSummary:
    """Collect every action item of the published reports."""
    rows = action_rows(postmortems, today)
    return ActionSummary(rows, completion_by_quarter(rows), owner_counts(rows))
