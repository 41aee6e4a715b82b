"""The analysis pages of the site: trends, recurring causes, action items and
``api/metrics.json``."""

from __future__ import annotations

from generator.action_pages import action_pages
from generator.analysis import site_analysis
from generator.metrics_json import metrics_json
from generator.pages import Page, SiteData
from generator.recurring import recurring_pages
from generator.trends import trends_pages


def analysis_pages(data: SiteData) -> list[Page]:
    """Return the trends, recurring and action item pages and the metrics export."""
    document = metrics_json(site_analysis(data), data.config.base_url)
    pages = trends_pages(data)
    pages.extend(recurring_pages(data))
    pages.extend(action_pages(data))
    pages.append(
        Page("api/metrics.json", "metrics.json", "Metrics", {"document": document},
             in_sitemap=False)
    )  # fmt: skip
    return pages
