"""The search document of one report: the text, filters, result metadata and
sort key that Pagefind indexes for it.

A document depends on its report alone, so the load workers write it as soon
as they have loaded the report, and Pagefind can start when loading ends.
For that reason a service is filtered by its slug, which every spelling of
the service shares. The search page shows each slug's name from the index.
"""

from __future__ import annotations

import logging
from html import escape
from pathlib import Path

from generator.index import term_slug
from generator.markdown import search_text
from generator.model import Postmortem

log = logging.getLogger(__name__)

# The form of the documents: change it with what search_document writes, so
# that documents written before are written again.
DOCUMENT_FORMAT = 2


def _span(kind: str, key: str, value: str) -> str:
    return f'<span data-pagefind-{kind}="{key}:{escape(value)}"></span>'


def _filters(pm: Postmortem) -> list[str]:
    # The title is the element's text: in the attribute, a comma would end it.
    spans = [
        f'<span data-pagefind-meta="title">{escape(pm.title)}</span>',
        _span("meta", "date", pm.date.isoformat()) if pm.date else "",
        _span("meta", "severity", pm.severity.key),
        _span("sort", "date", pm.sort_time.isoformat()),
        # Pagefind leaves a report without a sort key out of sorted results,
        # so an undated one gets a late key for the oldest-first order.
        _span("sort", "oldest", pm.sort_time.isoformat() if pm.date else "9999"),
        _span("filter", "severity", pm.severity.key),
        _span("filter", "status", pm.status),
    ]
    spans += [
        _span("filter", "category", category)
        for category in pm.root_cause.categories or ["unknown"]
    ]
    services = sorted({term_slug(service) for service in pm.services})
    spans += [_span("filter", "service", slug) for slug in services]
    year = str(pm.date.year) if pm.date else "no date"
    spans.append(_span("filter", "year", year))
    return spans


def _facts(pm: Postmortem) -> str:
    """Return the line of causes, trigger, services, tags and authors."""
    text = ", ".join(pm.root_cause.categories)
    if pm.trigger:
        text += f", {pm.trigger}"
    for label, values in (
        ("Services", pm.services),
        ("Tags", pm.tags),
        ("Authors", pm.authors),
    ):
        if values:
            text += f". {label}: {', '.join(values)}"
    return escape(text + ".")


def search_document(pm: Postmortem) -> bytes:
    """Return the search document of a report, as the bytes of an HTML page."""
    title = escape(pm.title)
    parts = [
        '<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8">',
        f"<title>{title}</title></head>\n<body>\n<main data-pagefind-body>\n",
        "<div hidden data-pagefind-ignore>",
        *_filters(pm),
        f"</div>\n<h1>{title}</h1>\n",
    ]
    if pm.impact:
        parts.append(f"<p>{escape(pm.impact)}</p>\n")
    if pm.root_cause.summary:
        parts.append(f"<p>{escape(pm.root_cause.summary)}</p>\n")
    parts.append(f"<p>{_facts(pm)}</p>\n")
    if pm.contributing_factors:
        factors = escape("; ".join(pm.contributing_factors))
        parts.append(f"<p>Contributing factors: {factors}.</p>\n")
    if pm.summary_html:
        parts.append(f"<p>{pm.summary_html}</p>\n")
    parts.append(search_text(pm.body_html))
    parts += [
        f"\n<p>{item.task_html}</p>"
        for item in pm.action_items
        if item.source != "body"
    ]
    parts.append("\n</main>\n</body>\n</html>\n")
    return "".join(parts).encode("utf-8")


def write_search_document(folder: Path, pm: Postmortem) -> bool:
    """Write a report's search document into the folder; False if it cannot."""
    path = folder / pm.id / "index.html"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(search_document(pm))
    except OSError as error:
        # The build writes it again, and reports it if that fails too.
        log.debug("cannot write %s: %s", path, error)
        return False
    return True
