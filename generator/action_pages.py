"""The action item pages: an overview, and paginated pages per status and owner.

The overview lists the most overdue items and the open ones due next, then
completion per quarter and counts per owner. Every item is on the page of
its status and of its owner, ``PAGE_SIZE`` items per page
(``actions/status/done/``, ``actions/status/done/page/2/``, …). The pages
filter by status and owner without JavaScript, and ``actions.js`` adds
in-page filtering of the items each page lists.
"""

from __future__ import annotations

from typing import Any

from generator.action_stats import ActionCounts, ActionRow, ActionSummary
from generator.analysis import site_analysis
from generator.pages import Page, SiteData
from generator.paging import PAGE_SIZE, page_title, paginate

# Status pages as (slug, title). "Overdue" items are open or in progress and past due.
STATUS_PAGES = (
    ("overdue", "Overdue"),
    ("open", "Open"),
    ("in-progress", "In progress"),
    ("done", "Done"),
    ("wont-do", "Won't do"),
)
MISSING_DETAILS = "missing-details"
# Items the overview lists in each of its two tables: overdue, and open or in
# progress but not overdue. The status pages list them all.
OVERVIEW_ROWS = 100


def _context(counts: ActionCounts, **extra: Any) -> dict[str, Any]:
    context: dict[str, Any] = {
        "counts": counts,
        "statuses": STATUS_PAGES,
        "current_status": "",
        "current_owner": "",
        "overview": False,
        "pagination": None,
        "rows": [],
    }
    context.update(extra)
    return context


def overview_page(summary: ActionSummary, counts: ActionCounts) -> Page:
    """Return ``actions/``: the most pressing items, then the summaries."""
    not_overdue = [row for row in summary.open if not row.overdue]
    context = _context(
        counts,
        overview=True,
        overdue_rows=summary.overdue[:OVERVIEW_ROWS],
        upcoming_rows=not_overdue[:OVERVIEW_ROWS],
        upcoming_total=len(not_overdue),
        by_quarter=summary.by_quarter,
    )
    return Page("actions/", "actions.html", "Action items", context)


def list_pages(
    folder: str, title: str, rows: list[ActionRow], counts: ActionCounts, **extra: Any
) -> list[Page]:
    """Return the pages of one list of items, PAGE_SIZE items per page."""
    pages = []
    for chunk, pagination in paginate(rows, folder, PAGE_SIZE):
        context = _context(counts, rows=chunk, pagination=pagination, **extra)
        pages.append(
            Page(pagination.url, "actions.html", page_title(title, pagination), context)
        )
    return pages


def action_pages(data: SiteData) -> list[Page]:
    """Return the overview of the action items and their paginated lists."""
    summary = site_analysis(data).actions
    counts = summary.counts
    pages = [overview_page(summary, counts)]
    for status, title in STATUS_PAGES:
        pages += list_pages(
            f"actions/status/{status}/",
            f"Action items: {title.lower()}",
            summary.with_status(status),
            counts,
            current_status=status,
        )
    pages += list_pages(
        f"actions/status/{MISSING_DETAILS}/",
        "Open action items without an owner or due date",
        summary.missing_details,
        counts,
        current_status=MISSING_DETAILS,
    )
    for owner in summary.by_owner:
        title = (
            f"Action items of {owner.owner}"
            if owner.owner
            else "Action items without an owner"
        )
        pages += list_pages(
            f"actions/owner/{owner.slug}/",
            title,
            summary.owner_rows(owner.slug),
            counts,
            current_owner=owner.slug,
        )
    return pages
