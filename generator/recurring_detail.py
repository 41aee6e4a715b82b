"""The pages of single recurrences: one per recurring category, service and chain.

``recurring/category/<slug>/`` and ``recurring/service/<slug>/`` list every
recurrence of one name, newest first. Each has the timeline of its latest
``NAME_PAGE_STEPS`` incidents in time order, with the gaps between them. At
each incident it lists the action items that were still open when the cause
came back. Every incident of the name, recurring or not, is on its term page
(``services/<slug>/``), so the timeline stops there.
``recurring/related/<first id>/`` shows one chain of related reports, which
has no term page, so its whole timeline is split over pages of
``PAGE_SIZE`` incidents: the first page holds the latest ones and older ones
follow on ``page/2/`` and after.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from generator.model import Postmortem
from generator.pages import Page
from generator.paging import PAGE_SIZE, Pagination, page_title
from generator.recurrence import CarriedOver, Recurrence

# Incidents of each recurrence that the page of its name lists, the latest ones.
NAME_PAGE_STEPS = 100

KIND_TITLES = {
    "category": "Recurring root cause",
    "service": "Recurring service",
    "related": "Related incidents",
}


@dataclass
class Step:
    """One incident of a recurrence's timeline, with the time since the one before.

    The gap and the items carried over follow from the recurrence, which the
    page lists too, so they are private fields that page fingerprints skip.
    """

    postmortem: Postmortem
    has_previous: bool
    _gap: timedelta | None
    _carried: CarriedOver | None

    @property
    def gap(self) -> timedelta | None:
        """Return the time since the incident before, None when unknown."""
        return self._gap

    @property
    def carried(self) -> CarriedOver | None:
        """Return the incident's action items still open when it came back."""
        return self._carried


@dataclass
class Block:
    """The incidents of one recurrence that one page lists."""

    recurrence: Recurrence
    # The recurrence's position among those of its name, oldest first, and their count.
    number: int
    runs: int
    steps: list[Step]
    # Incidents of the recurrence before the first and after the last step listed.
    before: int
    after: int
    # The page (and anchor) that lists the recurrence's latest incident.
    url: str


@dataclass
class RunRow:
    """A row of a recurrences table: the recurrence and where its details are."""

    recurrence: Recurrence
    url: str
    runs: int = 1
    detailed: bool = False


def timeline_steps(recurrence: Recurrence) -> list[Step]:
    """Return every incident of a recurrence as a step of its timeline."""
    carried = {entry.earlier.id: entry for entry in recurrence.carried_over}
    steps = []
    for position, postmortem in enumerate(recurrence.incidents):
        gap = recurrence.gaps[position - 1] if position else None
        steps.append(Step(postmortem, position > 0, gap, carried.get(postmortem.id)))
    return steps


def detail_folder(recurrence: Recurrence) -> str:
    """Return the URL of the first page about a recurrence's name or chain."""
    return f"recurring/{recurrence.kind}/{recurrence.slug}/"


def run_url(recurrence: Recurrence) -> str:
    """Return the page and anchor that list a recurrence's latest incident."""
    return f"{detail_folder(recurrence)}#{recurrence.anchor}"


def latest_block(recurrence: Recurrence, number: int, runs: int, count: int) -> Block:
    """Return a block of the latest ``count`` incidents of a recurrence."""
    steps = timeline_steps(recurrence)
    listed = steps[-count:] if count else []
    before = len(steps) - len(listed)
    return Block(recurrence, number, runs, listed, before, 0, run_url(recurrence))


def _context(recurrence: Recurrence, **extra: object) -> dict[str, object]:
    context: dict[str, object] = {
        "kind": recurrence.kind,
        "name": recurrence.name,
        "term_url": "",
        "pagination": None,
    }
    context.update(extra)
    return context


def name_page(
    runs: list[Recurrence], min_incidents: int, window_days: int, term_url: str
) -> Page:
    """Return the page of one category's or service's recurrences."""
    latest = runs[-1]
    rows = [RunRow(run, run_url(run), len(runs)) for run in reversed(runs)]
    blocks = [
        latest_block(run, number, len(runs), NAME_PAGE_STEPS)
        for number, run in reversed(list(enumerate(runs, start=1)))
    ]
    context = _context(
        latest,
        term_url=term_url,
        incidents=sum(len(run.incidents) for run in runs),
        rows=rows,
        blocks=blocks,
        step_limit=NAME_PAGE_STEPS,
        min_incidents=min_incidents,
        window_days=window_days,
    )
    title = f"{KIND_TITLES[latest.kind]}: {latest.name}"
    return Page(detail_folder(latest), "recurring_detail.html", title, context)


def chain_pages(
    chain: Recurrence, min_incidents: int, window_days: int, size: int = PAGE_SIZE
) -> list[Page]:
    """Return the pages of one chain, the latest incidents first, ``size`` per page."""
    folder = detail_folder(chain)
    steps = timeline_steps(chain)
    total = len(steps)
    count = max(1, -(-total // size))
    title = f"{KIND_TITLES['related']}: {chain.first.title}"
    row = RunRow(chain, run_url(chain))
    pages = []
    for number in range(1, count + 1):
        end = total - (number - 1) * size
        start = max(0, end - size)
        block = Block(chain, 1, 1, steps[start:end], start, total - end, row.url)
        pagination = Pagination(folder, number, count, total, start + 1, end)
        context = _context(
            chain,
            incidents=total,
            rows=[row],
            blocks=[block],
            pagination=pagination,
            min_incidents=min_incidents,
            window_days=window_days,
        )
        pages.append(
            Page(pagination.url, "recurring_detail.html",
                 page_title(title, pagination), context)
        )  # fmt: skip
    return pages
