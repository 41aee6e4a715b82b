"""The write stage: every page, the search index, the static and linked files,
written through a staging folder that replaces the output folder at the end.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from generator.analysis_pages import analysis_pages
from generator.errors import Problem, plural
from generator.feeds import postmortems_json
from generator.markdown import highlight_stylesheet
from generator.pages import Page, SiteData, core_pages
from generator.render import render_site_pages
from generator.search import search_page
from generator.search_step import SearchStep
from generator.site_files import write_linked_files
from generator.templates import theme_dirs
from generator.write import SiteWriter

if TYPE_CHECKING:
    from generator.build import BuildOptions

log = logging.getLogger(__name__)


@dataclass
class Manifest:
    """Record of the last build's output, so the next one can skip unchanged work."""

    fingerprint: str
    output_dir: str
    page_keys: dict[str, str]
    files: dict[str, str]
    problems: list[Problem]
    postmortems: int
    pages: int
    search_keys: dict[str, str] = field(default_factory=dict)
    search_stale: bool = False
    # The pages rendered again by this build, for pmkb serve's reload.
    changed_pages: list[str] = field(default_factory=list)
    # The linked files, and the size and time of those that exist, to notice a change.
    linked_files: list[str] = field(default_factory=list)
    file_stamps: list[tuple[str, str]] = field(default_factory=list)


def site_pages(data: SiteData) -> list[Page]:
    """Return every page of the site."""
    pages = core_pages(data)
    pages.extend(analysis_pages(data))
    pages.append(search_page(data))
    # The 30 newest reports, which is what feed readers fetch.
    entries = data.index.postmortems[:30]
    pages.append(
        Page(
            "feed.xml",
            "feed.xml",
            data.config.title,
            {"entries": entries},
            in_sitemap=False,
        )
    )
    sitemap_urls = [p.url for p in pages if p.in_sitemap]
    pages.append(
        Page(
            "sitemap.xml",
            "sitemap.xml",
            "Sitemap",
            {"sitemap_urls": sitemap_urls},
            in_sitemap=False,
        )
    )
    return pages


def write_site(
    data: SiteData,
    options: BuildOptions,
    previous: Manifest | None,
    theme: str,
    build_id: str,
    search: SearchStep | None = None,
) -> Manifest:
    """Render and write the whole site through a staging folder.

    Pagefind indexes the search documents while the pages are rendered.
    """
    log.info("rendering %s", plural(len(data.index.postmortems), "postmortem"))
    writer = SiteWriter(options.output_dir, previous.files if previous else None)
    writer.start()
    pages: list[Page] = []
    try:
        if search is not None:
            # Started here when the load found problems that --strict may forgive.
            search.start_if_changed()
        pages = site_pages(data)
        changed: list[str] = []
        # While Pagefind runs it keeps the other CPUs busy, so forked workers
        # would only add a copy of the memory without finishing sooner.
        jobs = 1 if search is not None and search.running else options.jobs
        page_keys = render_site_pages(
            data,
            pages,
            writer,
            previous.page_keys if previous else {},
            options.serving,
            theme,
            jobs,
            changed=changed,
        )
        writer.write(
            "api/postmortems.json",
            postmortems_json(data.index.postmortems, data.config.base_url, data.today),
        )
        writer.write("static/highlight.css", highlight_stylesheet())
        changed_files = write_linked_files(writer, options.content_dir, data.files)
        # A report whose image changed is shown again by pmkb serve's reload.
        changed.extend(
            f"{p.id}/index.html"
            for p in data.index.postmortems
            if any(link.path in changed_files for link in p.file_links)
            and f"{p.id}/index.html" not in changed
        )
        for folder in reversed(theme_dirs(data.config)):
            static = folder / "static"
            if static.is_dir():
                writer.copy_tree(static, "static")
        if search is not None:
            search.finish(writer)
        if options.commit_lock is not None:
            with options.commit_lock:
                writer.commit(build_id)
        else:
            writer.commit(build_id)
    except BaseException:
        if search is not None:
            search.cancel()
        writer.abort()
        raise
    return Manifest(
        build_id, str(options.output_dir.resolve()), page_keys, writer.files, [], 0, len(pages),
        search_keys=search.keys if search else {}, search_stale=bool(search and search.stale),
        # Pages that are gone count as changed, so browsers showing them reload.
        changed_pages=changed + [path for path in (previous.page_keys if previous else {}) if path not in page_keys],
    )  # fmt: skip
