"""Full-text search: index the reports with Pagefind.

The build writes a small search document per report (its text, filters,
result metadata and sort key; ``search_doc.py``) into a scratch folder, and
the Pagefind binary indexes that folder while the build renders the site.
Pagefind writes its bundle beside that folder, and the bundle joins the
staging folder as ``pagefind/`` when it is complete, so a failed index
leaves the existing site as it was. Search documents carry only the
report's text, so no page chrome reaches an excerpt.

The ``pagefind[bin]`` package ships the Pagefind binary, and this module runs
it as one command. NOTE: the package's async API (``PagefindIndex``) is not
used, as of pagefind 1.5.2. It reads one response from the binary every
0.1 s, so passing pages from memory with ``add_html_file`` took 4.0 s for 40
pages against 0.1 s for reading them from disk (measured on a 2-core Linux
machine). When the binary dies, the pending request never completes, and
closing the service then raises ``CancelledError`` or ``ProcessLookupError``
in place of the cause.
"""

from __future__ import annotations

import json
import logging
import subprocess
import tempfile
import time
from pathlib import Path
from typing import IO

from generator.errors import BuildError, plural
from generator.pages import Page, SiteData

log = logging.getLogger(__name__)

# The folder of the index bundle inside the site. search.js loads it from here.
SEARCH_FOLDER = "pagefind"
# Search documents are ``<id>/index.html``, at the URL of their report page.
REPORT_GLOB = "*/index.html"
# The link symbols after headings, timeline entries and action items.
EXCLUDE_SELECTORS = (".anchor-link", ".header-anchor")

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
    # Services are filtered by slug; the page shows each slug's name.
    service_names = {t.slug: t.name for t in data.index.taxonomies["service"]}
    context = {
        "severities": severities,
        "service_names": service_names,
        "search_index": state,
    }
    return Page("search/", "search.html", "Search", context)


class SearchIndexer:
    """One Pagefind run over a folder of search documents, in the background."""

    def __init__(
        self, source_dir: Path, output_path: Path, shown_dir: Path, reports: int
    ):
        self.source_dir = source_dir
        self.output_path = output_path
        # The output folder that messages name: the staging folder is gone after a failure.
        self.shown_path = str(shown_dir / SEARCH_FOLDER)
        self.reports = reports
        self.process: subprocess.Popen[bytes] | None = None
        self.output: IO[bytes] | None = None
        self.problem = ""
        self.started = 0.0

    def start(self) -> None:
        """Start Pagefind; when there are no reports there is nothing to index."""
        if self.reports == 0:
            # Pagefind fails on a site without pages, so there is no index, and
            # the search page shows that there is nothing to search yet.
            log.info("no reports to index for search")
            return
        command = pagefind_command(self.source_dir, self.output_path)
        if isinstance(command, str):
            self.problem = command
            return
        log.debug("running %s", " ".join(command))
        self.started = time.perf_counter()
        self.output = tempfile.TemporaryFile()  # noqa: SIM115 - closed in _wait
        try:
            # Run inside the documents' folder so that no pagefind.toml or
            # pagefind.yml of the user's working folder changes the index.
            self.process = subprocess.Popen(
                command,
                cwd=self.source_dir,
                stdout=self.output,
                stderr=subprocess.STDOUT,
            )
        except OSError as error:
            self.problem = f"cannot run {command[0]}: {error.strerror or error}"

    def finish(self) -> int:
        """Wait for Pagefind and check its bundle; return the pages indexed."""
        if self.reports == 0:
            return 0
        if not self.problem and self.process is not None:
            self.problem = self._wait()
        if self.problem:
            raise BuildError.at(
                self.shown_path, 1, 1,
                f"search indexing with Pagefind failed: {self.problem}",
                "check that the 'pagefind[bin]' package is installed, or build with --no-search",
            )  # fmt: skip
        pages = indexed_pages(self.output_path, self.shown_path)
        log.info(
            "indexed %s for search in %.2f s",
            plural(pages, "report"),
            time.perf_counter() - self.started,
        )
        if pages != self.reports:
            log.warning(
                "the search index has %d pages but the site has %d reports",
                pages,
                self.reports,
            )
        return pages

    def _wait(self) -> str:
        assert self.process is not None and self.output is not None
        try:
            self.process.wait(timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            self.cancel()
            return f"Pagefind did not finish within {TIMEOUT_SECONDS} s"
        self.output.seek(0)
        output = self.output.read().decode("utf-8", errors="replace")
        self.output.close()
        log.debug("Pagefind exited")
        if output.strip():
            log.debug("Pagefind output:\n%s", output.strip())
        if self.process.returncode != 0:
            failure = f"Pagefind exited with code {self.process.returncode}"
            detail = _first_error(output)
            return f"{failure}: {detail}" if detail else failure
        return ""

    def cancel(self) -> None:
        """Stop Pagefind if it still runs."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


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
