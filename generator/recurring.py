"""The recurring causes pages: repeated categories and services, related chains
and a category-by-quarter heat map.

On a large collection nearly every service recurs, so ``recurring/`` stays
bounded: per kind it has a table of the ``SUMMARY_ROWS`` most relevant
recurrences (ranked as ``generator.recurrence`` describes) and the latest
incidents of the ``DETAILS_PER_KIND`` first ones. The table of related chains
is cut the same way. Everything else is one click away: each name and chain
has its own page (``generator.recurring_detail``), and ``recurring/related/``
lists every chain, ``PAGE_SIZE`` per page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.analysis import SiteAnalysis, site_analysis
from generator.index import TAXONOMIES
from generator.pages import Page, SiteData
from generator.paging import PAGE_SIZE, page_title, paginate
from generator.recurrence import Recurrence
from generator.recurring_detail import (
    Block,
    RunRow,
    chain_pages,
    latest_block,
    name_page,
    run_url,
)

# Rows of the root-cause and of the service table on ``recurring/``.
SUMMARY_ROWS = 100
# Recurrences per kind, and chains, whose latest incidents ``recurring/`` lists.
DETAILS_PER_KIND = 5
CHAIN_DETAILS = 3
DETAIL_STEPS = 10
CHAIN_ROWS = 20
CHAINS_FOLDER = "recurring/related/"


@dataclass
class NameLink:
    """A name that recurred, with the URL of its page."""

    name: str
    url: str
    runs: int
    incidents: int


@dataclass
class KindSection:
    """The part of ``recurring/`` about root causes, services or chains."""

    kind: str
    anchor: str
    title: str
    total: int
    rows: list[RunRow]
    details: list[Block]
    # Every name with its page, listed when the table leaves some out.
    names: list[NameLink] = field(default_factory=list)


def runs_by_name(
    recurrences: list[Recurrence],
) -> dict[tuple[str, str], list[Recurrence]]:
    """Group recurrences by kind and name slug, each group in time order."""
    groups: dict[tuple[str, str], list[Recurrence]] = {}
    for recurrence in recurrences:
        groups.setdefault((recurrence.kind, recurrence.slug), []).append(recurrence)
    for runs in groups.values():
        runs.sort(key=lambda r: (r.first.sort_time, r.first.id))
    return groups


def kind_section(
    kind: str,
    ranked: list[Recurrence],
    groups: dict[tuple[str, str], list[Recurrence]],
    limits: tuple[int, int],
) -> KindSection:
    """Build the table and the details of one kind of recurrence."""
    row_limit, detail_limit = limits
    anchor, title = {
        "category": ("categories", "Recurring root causes"),
        "service": ("services", "Services hit again"),
        "related": ("chains", "Related incidents"),
    }[kind]
    details = []
    for recurrence in ranked[:detail_limit]:
        runs = groups[(kind, recurrence.slug)]
        number = next(n for n, run in enumerate(runs, 1) if run is recurrence)
        details.append(latest_block(recurrence, number, len(runs), DETAIL_STEPS))
    rows = [
        RunRow(r, run_url(r), len(groups[(kind, r.slug)]), n < detail_limit)
        for n, r in enumerate(ranked[:row_limit])
    ]
    section = KindSection(kind, anchor, title, len(ranked), rows, details)
    if len(ranked) > row_limit and kind != "related":
        section.names = [
            NameLink(runs[-1].name, f"recurring/{kind}/{slug}/", len(runs),
                     sum(len(r.incidents) for r in runs))
            for (group_kind, slug), runs in sorted(groups.items())
            if group_kind == kind
        ]  # fmt: skip
    return section


def recurring_context(analysis: SiteAnalysis) -> dict[str, Any]:
    """Return what ``recurring/`` shows."""
    groups = runs_by_name(analysis.recurrences + analysis.chains)
    limits = (SUMMARY_ROWS, DETAILS_PER_KIND)
    sections = [
        kind_section(kind, analysis.recurrences_of(kind), groups, limits)
        for kind in ("category", "service")
    ]
    chains = kind_section(
        "related", analysis.chains, groups, (CHAIN_ROWS, CHAIN_DETAILS)
    )
    everything = analysis.recurrences + analysis.chains
    return {
        "min_incidents": analysis.min_incidents,
        "window_days": analysis.window_days,
        "sections": sections,
        "chains": chains,
        "flagged": sum(1 for r in everything if r.flagged),
        "heat_map": analysis.heat_map,
    }


def chain_list_pages(analysis: SiteAnalysis) -> list[Page]:
    """Return ``recurring/related/``: every chain, ranked, PAGE_SIZE per page."""
    rows = [RunRow(chain, run_url(chain)) for chain in analysis.chains]
    pages = []
    for chunk, pagination in paginate(rows, CHAINS_FOLDER, PAGE_SIZE):
        context = {
            "rows": chunk,
            "pagination": pagination,
            "window_days": analysis.window_days,
        }
        title = page_title("Chains of related incidents", pagination)
        pages.append(Page(pagination.url, "recurring_chains.html", title, context))
    return pages


def recurring_pages(data: SiteData) -> list[Page]:
    """Return ``recurring/``, the page of every recurring name and chain, and the chain list."""
    analysis = site_analysis(data)
    context = recurring_context(analysis)
    pages = [Page("recurring/", "recurring.html", "Recurring causes", context)]
    settings = (analysis.min_incidents, analysis.window_days)
    for (kind, slug), runs in runs_by_name(analysis.recurrences).items():
        term_url = f"{TAXONOMIES[kind][0]}/{slug}/"
        pages.append(name_page(runs, *settings, term_url))
    for chain in analysis.chains:
        pages += chain_pages(chain, *settings)
    pages += chain_list_pages(analysis)
    return pages
