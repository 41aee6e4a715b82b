"""Full-text search: index the report pages with Pagefind.

Pagefind reads the rendered pages from the staging folder and writes its
index bundle (``pagefind/``) there, before the staging folder replaces the
output folder, so a failed index leaves the existing site as it was. Only
the report's ``data-pagefind-body`` element is indexed; the filters,
metadata and sort key come from ``data-pagefind-*`` attributes in
``postmortem.html``.

The ``pagefind[bin]`` package ships the Pagefind binary, and this module runs
it as one command. NOTE: the package's async API (``PagefindIndex``) is not
used, as of pagefind 1.5.2. It reads one response from the binary every
0.1 s, so passing pages from memory with ``add_html_file`` took 4.0 s for 40
pages against 0.1 s for reading them from disk (measured on a 2-core Linux
machine). When the binary dies, the
pending request never completes, and closing the service then raises
``CancelledError`` or ``ProcessLookupError`` in place of the cause.
"""

from __future__ import annotations

import json
import logging
import subprocess
import time
from pathlib import Path

from generator.errors import BuildError
from generator.pages import Page, SiteData

log = logging.getLogger(__name__)

# The folder of the index bundle inside the site. search.js loads it from here.
SEARCH_FOLDER = "pagefind"
# Report pages are ``<id>/index.html`` and an id is one slug, so this glob
# finds them all. Pagefind skips the other pages it matches (alias redirects,
# list overviews) because they have no data-pagefind-body element.
REPORT_GLOB = "*/index.html"

# Parts of a report page that are not worth finding or showing in excerpts:
# link symbols, the table of contents (a copy of the headings), the summary
# card's labels, timestamps and durations, and table headers. The class names
# are the default theme's. A theme override with other names still works but
# gets noisier excerpts.
EXCLUDE_SELECTORS = (
    ".anchor-link",
    ".header-anchor",
    ".toc",
    ".report-kicker",
    ".facts dt",
    ".facts .severity",
    ".facts time",
    ".facts .metric",
    ".no-data",
    ".missing",
    ".times-note",
    ".action-items thead",
)

# NOTE: a guessed, generous limit. Pagefind indexed a collection of 39
# reports in about 0.2 s on a 2-core machine. The limit only stops a build
# that would otherwise wait forever on a hung binary.
TIMEOUT_SECONDS = 300


def search_page(data: SiteData) -> Page:
    """Return the search page, with the severity scale for ordering its filters."""
    if not data.extra.get("search", True):
        state = "off"
    elif not data.index.postmortems:
        state = "empty"
    else:
        state = "built"
    severities = [
        {"key": level.key, "label": level.label, "rank": level.rank}
        for level in data.config.severities
    ]
    return Page(
        "search/",
        "search.html",
        "Search",
        {"severities": severities, "search_index": state},
    )


def write_search_index(site_dir: Path, reports: int, shown_dir: Path) -> int:
    """Index the report pages in ``site_dir`` and write the Pagefind bundle there.

    ``reports`` is how many report pages the site has, and ``shown_dir`` the
    output folder that error messages name (``site_dir`` is the staging
    folder, which is removed after a failure). Return the pages indexed.
    """
    if reports == 0:
        # Pagefind fails on a site without pages, so there is no index, and
        # the search page shows that there is nothing to search yet.
        log.info("no reports to index for search")
        return 0
    started = time.perf_counter()
    shown_path = str(shown_dir / SEARCH_FOLDER)
    output_path = site_dir / SEARCH_FOLDER
    problem = run_pagefind(site_dir, output_path)
    if problem:
        raise BuildError.at(
            shown_path, 1, 1,
            f"search indexing with Pagefind failed: {problem}",
            "check that the 'pagefind[bin]' package is installed, or build with --no-search",
        )  # fmt: skip
    pages = indexed_pages(output_path, shown_path)
    log.info(
        "indexed %d report pages for search in %.2f s",
        pages,
        time.perf_counter() - started,
    )
    if pages != reports:
        log.warning(
            "the search index has %d pages but the site has %d reports "
            "(check that the theme's postmortem.html keeps data-pagefind-body)",
            pages,
            reports,
        )
    return pages


def pagefind_command(site_dir: Path, output_path: Path) -> list[str] | str:
    """Return the Pagefind command line, or why there is none."""
    try:
        # Finds the binary of pagefind[bin], or the one that
        # PAGEFIND_BINARY_PATH or the PATH names.
        from pagefind.service import get_executable
    except ImportError:
        return "the 'pagefind' Python package is not installed"
    binary = get_executable()
    if binary is None:
        return "no Pagefind binary found"
    command = [str(binary), "--site", str(site_dir), "--glob", REPORT_GLOB]
    command += ["--output-path", str(output_path), "--quiet"]
    for selector in EXCLUDE_SELECTORS:
        command += ["--exclude-selectors", selector]
    return command


def run_pagefind(site_dir: Path, output_path: Path) -> str:
    """Run Pagefind on the site; return '' on success, else what went wrong."""
    command = pagefind_command(site_dir, output_path)
    if isinstance(command, str):
        return command
    log.debug("running %s", " ".join(command))
    try:
        # Run inside the site so that no pagefind.toml or pagefind.yml of the
        # user's working folder changes the index.
        result = subprocess.run(
            command, cwd=site_dir, capture_output=True, text=True,
            timeout=TIMEOUT_SECONDS, check=False,
        )  # fmt: skip
    except OSError as error:
        return f"cannot run {command[0]}: {error.strerror or error}"
    except subprocess.TimeoutExpired:
        return f"Pagefind did not finish within {TIMEOUT_SECONDS} s"
    output = "\n".join(part for part in (result.stdout, result.stderr) if part)
    if output.strip():
        log.debug("Pagefind output:\n%s", output.strip())
    if result.returncode != 0:
        failure = f"Pagefind exited with code {result.returncode}"
        detail = _first_error(output)
        return f"{failure}: {detail}" if detail else failure
    return ""


def _first_error(output: str) -> str:
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    for line in lines:
        if line.startswith("Error:"):
            return line.removeprefix("Error:").strip()
    return lines[-1] if lines else ""


def indexed_pages(output_path: Path, shown_path: str) -> int:
    """Return the number of pages in a written Pagefind bundle, over all languages."""
    try:
        entry = json.loads((output_path / "pagefind-entry.json").read_text("utf-8"))
        return sum(language["page_count"] for language in entry["languages"].values())
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        reason = error.strerror if isinstance(error, OSError) else repr(error)
        raise BuildError.at(
            shown_path, 1, 1,
            f"Pagefind wrote no readable pagefind-entry.json: {reason}",
            "run the build again with --debug to see Pagefind's output",
        ) from error  # fmt: skip
