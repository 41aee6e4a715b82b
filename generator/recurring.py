"""The recurring causes page: repeated categories and services, related chains
and a category-by-quarter heat map."""

from __future__ import annotations

from generator.analysis import site_analysis
from generator.pages import Page, SiteData


def recurring_page(data: SiteData) -> Page:
    """Return the recurring causes page."""
    analysis = site_analysis(data)
    context = {
        "analysis": analysis,
        "categories": analysis.recurrences_of("category"),
        "services": analysis.recurrences_of("service"),
        "chains": analysis.chains,
        "heat_map": analysis.heat_map,
    }
    return Page("recurring/", "recurring.html", "Recurring causes", context)
