"""The pages of the site: what each one shows and where it is written.

Every page's URL is relative to the site root and ends in '/' (written as
``index.html`` in that folder) or names a file. Templates build links with
``root``, the way back from the page to the site root, so the site works
under any sub-path; only the feed, the sitemap and canonical links use the
configured base URL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from generator.analysis import report_metrics, site_analysis
from generator.config import Config
from generator.gitinfo import FileHistory
from generator.index import TAXONOMIES, SiteIndex, Term, term_slug
from generator.model import Postmortem
from generator.paging import paginate


@dataclass
class Page:
    """One output file: its URL, template and data."""

    url: str
    template: str
    title: str
    context: dict[str, Any] = field(default_factory=dict)
    in_sitemap: bool = True

    @property
    def output_path(self) -> str:
        """Return the file the page is written to, relative to the output folder."""
        if self.url == "" or self.url.endswith("/"):
            return f"{self.url}index.html"
        return self.url

    @property
    def root(self) -> str:
        """Return the relative path from this page back to the site root."""
        return "../" * self.url.count("/")


class TermLink(NamedTuple):
    """A term as a report page links to it."""

    name: str
    url: str


@dataclass
class SiteData:
    """Everything pages are made from."""

    config: Config
    index: SiteIndex
    today: date
    histories: dict[str, FileHistory]
    drafts: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
    # Files of the content folder that reports link to, published under files/.
    files: list[str] = field(default_factory=list)


NAV = (
    ("postmortems/", "Reports"),
    ("categories/", "Causes"),
    ("services/", "Services"),
    ("severities/", "Severity"),
    ("trends/", "Trends"),
    ("recurring/", "Recurring"),
    ("actions/", "Action items"),
    ("search/", "Search"),
)


def edit_link(config: Config, source_path: str, content_prefix: str) -> str:
    """Return the "edit this page" URL of a report, or '' when none is set up."""
    if config.edit_url:
        return config.edit_url.replace("{path}", source_path)
    if config.repo_url:
        base = config.repo_url.rstrip("/")
        separator = "/-/edit/" if "gitlab" in base else "/edit/"
        return f"{base}{separator}{config.repo_branch}/{content_prefix}{source_path}"
    return ""


def own_order(postmortem: Postmortem, taxonomy: str, terms: list[Term]) -> list[Term]:
    """Return a report's terms in the order its front matter lists them."""
    written = {
        "category": postmortem.root_cause.categories,
        "service": postmortem.services,
        "tag": postmortem.tags,
    }
    slugs = [term_slug(name) for name in written.get(taxonomy, [])]
    return sorted(
        terms,
        key=lambda term: slugs.index(term.slug) if term.slug in slugs else len(slugs),
    )


def report_page(
    data: SiteData,
    postmortem: Postmortem,
    newer: Postmortem | None,
    older: Postmortem | None,
) -> Page:
    """Return the page of one report, with its neighbours in time."""
    prefix = data.extra.get("content_prefix", "")
    # Names and URLs only: a report page need not change when another
    # report joins one of its terms.
    terms = {
        key: [
            TermLink(t.name, t.url)
            for t in own_order(postmortem, key, data.index.terms_of(postmortem, key))
        ]
        for key in TAXONOMIES
    }
    context = {
        "pm": postmortem,
        "terms": terms,
        "related": data.index.related.get(postmortem.id, []),
        "history": data.histories.get(postmortem.source_path),
        "edit_url": edit_link(data.config, postmortem.source_path, prefix),
        "newer": newer,
        "older": older,
        "report_metrics": report_metrics(data, postmortem),
    }
    return Page(f"{postmortem.id}/", "postmortem.html", postmortem.title, context)


def postmortem_pages(data: SiteData) -> list[Page]:
    """Return one page per report, plus a redirect page per alias."""
    ordered = data.index.postmortems
    pages = []
    for position, postmortem in enumerate(ordered):
        newer = ordered[position - 1] if position > 0 else None
        older = ordered[position + 1] if position + 1 < len(ordered) else None
        pages.append(report_page(data, postmortem, newer, older))
    for alias, target in sorted(data.index.aliases.items()):
        postmortem = data.index.by_id[target]
        pages.append(
            Page(
                f"{alias}/",
                "alias.html",
                postmortem.title,
                {"pm": postmortem},
                in_sitemap=False,
            )
        )
    return pages


def taxonomy_pages(data: SiteData) -> list[Page]:
    """Return an overview page per taxonomy and a page per term."""
    pages = []
    for key, (folder, title, singular) in TAXONOMIES.items():
        terms = data.index.taxonomies[key]
        pages.append(
            Page(
                f"{folder}/",
                "taxonomy.html",
                title,
                {"taxonomy": key, "terms": terms, "singular": singular},
            )
        )
        for term in terms:
            page_title = f"{singular}: {term.name}"
            for chunk, pagination in paginate(term.postmortems, term.url):
                context = {
                    "taxonomy": key,
                    "term": term,
                    "postmortems": chunk,
                    "pagination": pagination,
                    "singular": singular,
                    "plural_title": title,
                }
                pages.append(
                    Page(
                        pagination.url,
                        "term.html",
                        page_title,
                        context,
                        in_sitemap=pagination.number == 1,
                    )
                )
    return pages


def core_pages(data: SiteData) -> list[Page]:
    """Return the home page, the report list, report pages, taxonomies and 404."""
    index = data.index
    pages = [
        Page(
            "",
            "home.html",
            data.config.title,
            {
                "recent": index.postmortems[:10],
                "analysis": site_analysis(data),
                # The page shows counts from the whole index, so any report counts.
                "collection": [p.fingerprint for p in index.postmortems],
            },
        ),
        Page("404.html", "404.html", "Page not found", in_sitemap=False),
    ]
    for chunk, pagination in paginate(index.postmortems, "postmortems/"):
        context = {
            "postmortems": chunk,
            "pagination": pagination,
            "total": len(index.postmortems),
        }
        pages.append(
            Page(
                pagination.url,
                "list.html",
                "All postmortems",
                context,
                in_sitemap=pagination.number == 1,
            )
        )
    pages.extend(postmortem_pages(data))
    pages.extend(taxonomy_pages(data))
    return pages


def page_root(page: Page, base_url: str) -> str:
    """Return the prefix that leads from a page to the site root.

    Hosts serve 404.html at whatever address was missing, at any depth, so
    that page links from the site's own path: the base URL's, or the host's
    root when no base URL is set.
    """
    if page.output_path == "404.html":
        return (urlsplit(base_url).path or "/") if base_url else "/"
    return page.root


def common_context(
    data: SiteData, page: Page, version: str, serving: bool
) -> dict[str, Any]:
    """Return what every template sees besides the page's own data."""
    base_url = data.config.base_url
    return {
        "site": data.config,
        "index": data.index,
        "page": page,
        # pmkb serve publishes the site at the server's root, whatever base_url is.
        "root": page_root(page, "" if serving else base_url),
        "nav": NAV,
        "today": data.today,
        "version": version,
        "serving": serving,
        "drafts": data.drafts,
        "canonical": f"{base_url}{page.url}" if base_url else "",
        "taxonomies": TAXONOMIES,
    }


def sort_by_date(postmortems: list[Postmortem]) -> list[Postmortem]:
    """Return reports newest first."""
    return sorted(postmortems, key=lambda p: (p.sort_time, p.id), reverse=True)
