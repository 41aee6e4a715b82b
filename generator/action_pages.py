"""The action item pages: all items, and one page per status and per owner.

The pages filter by status and owner without JavaScript, and ``actions.js``
adds in-page filtering on top of the full list.
"""

from __future__ import annotations

from typing import Any

from generator.action_stats import ActionRow, ActionSummary
from generator.analysis import site_analysis
from generator.pages import Page, SiteData

# Status pages as (slug, title). "Overdue" items are open or in progress and past due.
STATUS_PAGES = (
    ("overdue", "Overdue"),
    ("open", "Open"),
    ("in-progress", "In progress"),
    ("done", "Done"),
    ("wont-do", "Won't do"),
)
MISSING_DETAILS = "missing-details"


def _context(
    summary: ActionSummary, rows: list[ActionRow], **extra: Any
) -> dict[str, Any]:
    context: dict[str, Any] = {
        "summary": summary,
        "rows": rows,
        "statuses": STATUS_PAGES,
        "current_status": "",
        "current_owner": "",
        "overview": False,
    }
    context.update(extra)
    return context


def action_pages(data: SiteData) -> list[Page]:
    """Return the overview of every action item and its filtered pages."""
    analysis = site_analysis(data)
    summary = analysis.actions
    pages = [
        Page(
            "actions/",
            "actions.html",
            "Action items",
            _context(summary, summary.rows, overview=True, analysis=analysis),
        )
    ]
    for status, title in STATUS_PAGES:
        pages.append(
            Page(
                f"actions/status/{status}/",
                "actions.html",
                f"Action items: {title.lower()}",
                _context(summary, summary.with_status(status), current_status=status),
            )
        )
    pages.append(
        Page(
            f"actions/status/{MISSING_DETAILS}/",
            "actions.html",
            "Open action items without an owner or due date",
            _context(summary, summary.missing_details, current_status=MISSING_DETAILS),
        )
    )
    for owner in summary.by_owner:
        rows = [row for row in summary.rows if row.owner_slug == owner.slug]
        name = owner.owner or "no owner"
        pages.append(
            Page(
                f"actions/owner/{owner.slug}/",
                "actions.html",
                f"Action items of {name}"
                if owner.owner
                else "Action items without an owner",
                _context(summary, rows, current_owner=owner.slug),
            )
        )
    return pages
