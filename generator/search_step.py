"""The search step of a build: render the search documents, then run Pagefind
on them while the pages are rendered, or keep the last index."""

from __future__ import annotations

import hashlib
import logging
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from generator.pages import SiteData
from generator.render import render_site_pages
from generator.search import SEARCH_FOLDER, SearchIndexer, search_documents
from generator.write import FolderWriter, SiteWriter

if TYPE_CHECKING:
    from generator.build import BuildOptions
    from generator.publish import Manifest

log = logging.getLogger(__name__)


def search_source_folder(options: BuildOptions) -> Path:
    """Return the scratch folder of search documents for this output folder."""
    name = hashlib.sha256(str(options.output_dir.resolve()).encode()).hexdigest()[:12]
    base = options.cache_folder or Path(tempfile.gettempdir()) / "pmkb-search"
    return base / f"search-{name}"


class SearchStep:
    """Renders the search documents, runs Pagefind on them, or keeps the old index."""

    def __init__(
        self,
        data: SiteData,
        options: BuildOptions,
        writer: SiteWriter,
        previous: Manifest | None,
        theme: str,
    ):
        self.data = data
        self.options = options
        self.writer = writer
        self.previous = previous
        self.theme = theme
        self.keys: dict[str, str] = {}
        self.stale = False
        self.indexer: SearchIndexer | None = None

    def prepare(self) -> None:
        """Bring the search documents up to date and start Pagefind if they changed."""
        documents = search_documents(self.data)
        source = search_source_folder(self.options)
        folder = FolderWriter(source)
        old_keys = self.previous.search_keys if self.previous else {}
        self.keys = render_site_pages(
            self.data,
            documents,
            folder,
            old_keys,
            False,
            self.theme,
            self.options.jobs,
            "search documents",
        )
        folder.remove_others(set(self.keys))
        unchanged = self.previous is not None and self.previous.search_keys == self.keys
        if self.options.search_later:
            # pmkb serve swaps in a fresh index after the site, in the background.
            carried = self.writer.keep_live_tree(SEARCH_FOLDER)
            self.stale = not (carried and unchanged)
            return
        if unchanged and self.writer.keep_tree(SEARCH_FOLDER):
            log.info("search index unchanged")
            return
        self.writer.remove_tree(SEARCH_FOLDER)
        output = self.writer.staging_dir / SEARCH_FOLDER
        self.indexer = SearchIndexer(
            source, output, self.options.output_dir, len(documents)
        )
        self.indexer.start()

    @property
    def running(self) -> bool:
        """Tell whether Pagefind was started and may still be indexing."""
        return self.indexer is not None and self.indexer.process is not None

    def finish(self) -> None:
        """Wait for Pagefind and record its bundle as part of the site."""
        if self.indexer is not None:
            self.indexer.finish()
            self.writer.adopt_tree(SEARCH_FOLDER)

    def cancel(self) -> None:
        """Stop Pagefind after a failure elsewhere."""
        if self.indexer is not None:
            self.indexer.cancel()
