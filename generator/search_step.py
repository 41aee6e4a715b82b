"""The search step of a build: keep a scratch folder of search documents in
step with the published reports, run Pagefind on it, or keep the last index.

The load workers write the document of every report they load. Once loading
ends, ``prepare`` writes the missing documents of reports from the cache and
removes those of reports that are gone or left out. Pagefind then starts and
runs while the index and the pages are made. A record in the build cache
names the report each file was written from, so a rebuild rewrites only
what changed.
"""

from __future__ import annotations

import logging
import shutil
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from generator.cache import BuildCache
from generator.errors import BuildError
from generator.model import Postmortem
from generator.search import SEARCH_FOLDER, SearchIndexer
from generator.search_doc import DOCUMENT_FORMAT, search_document
from generator.write import FolderWriter, SiteWriter

if TYPE_CHECKING:
    from generator.build import BuildOptions
    from generator.publish import Manifest

log = logging.getLogger(__name__)

# The build cache's record of the scratch folder: document path -> the
# document key (form and report fingerprint) it was written from.
RECORD = "search-documents"


def search_source_folder(options: BuildOptions) -> Path:
    """Return the scratch folder of search documents for this output folder."""
    # In the cache folder also with --clean, which only ignores the cache file,
    # because a shared temporary folder would let other users plant links in it.
    return options.cache_folder / f"search-{options.output_tag}"


def document_key(postmortem: Postmortem) -> str:
    """Return what a report's search document is made from: its form and the report."""
    return f"{DOCUMENT_FORMAT}:{postmortem.fingerprint}"


def document_path(postmortem: Postmortem) -> str:
    """Return where a report's search document lies in the scratch folder."""
    return f"{postmortem.id}/index.html"


class SearchStep:
    """The search step of one build: the documents, and a Pagefind run or the old index."""

    def __init__(
        self, options: BuildOptions, cache: BuildCache, previous: Manifest | None
    ):
        self.options = options
        self.cache = cache
        self.previous = previous
        self.source = search_source_folder(options)
        # Pagefind writes here; the bundle joins the staging folder at the end.
        self.bundle = self.source.with_name(self.source.name + "-bundle")
        self.record: dict[str, str] = {}
        self.keys: dict[str, str] = {}
        # The documents the load workers wrote, and whether the folder was
        # new, so that it contains no other files.
        self.written: set[str] = set()
        self.fresh = False
        self.stale = False
        self.failure = ""
        self.indexer: SearchIndexer | None = None

    def load_folder(self) -> Path:
        """Return the folder the load workers write documents into.

        The record is cleared until the load is over, so that a build that
        stops half way leaves no record of files it may have replaced.
        """
        record = self.cache.get_state(RECORD)
        self.record = record if isinstance(record, dict) else {}
        self.cache.put_state(RECORD, None)
        self.fresh = not self.source.exists()
        return self.source

    def loaded(self, written: list[Postmortem]) -> None:
        """Record the documents the load workers wrote, from these reports."""
        times = Counter(p.id for p in written)
        for postmortem in written:
            path = document_path(postmortem)
            self.written.add(path)
            if times[postmortem.id] == 1:
                self.record[path] = document_key(postmortem)
            else:
                # Two files share the id: which one wrote last is unknown.
                self.record.pop(path, None)
        self.cache.put_state(RECORD, self.record)

    def prepare(self, published: list[Postmortem]) -> None:
        """Bring the documents in step with the published reports."""
        folder = FolderWriter(self.source)
        # One report per document, also when two share an id (an error that
        # the index reports), so that the record names the report written.
        chosen = {document_path(p): p for p in published}
        self.keys = {path: document_key(p) for path, p in chosen.items()}
        try:
            for path, postmortem in chosen.items():
                if self.record.get(path) != self.keys[path] or (
                    path not in self.written and not (self.source / path).is_file()
                ):
                    folder.write(path, search_document(postmortem))
            if self.fresh:
                # Only the workers wrote here: remove drafts and duplicates.
                for path in self.written - self.keys.keys():
                    (self.source / path).unlink()
                    (self.source / path).parent.rmdir()
            else:
                folder.remove_others(set(self.keys))
        except OSError as error:
            # Reported when the site is written, after any problem with the
            # output folder itself, which would explain this one.
            self.failure = f"cannot write {error.filename}: {error.strerror}"
            return
        self.record = dict(self.keys)
        self.cache.put_state(RECORD, self.record)

    def start_if_changed(self) -> None:
        """Start Pagefind unless the last build indexed the same documents,
        or pmkb serve indexes after the site is swapped in."""
        if self.indexer is None and not (
            self.failure or self.options.search_later or self.unchanged
        ):
            self.start()

    @property
    def unchanged(self) -> bool:
        """Tell whether the last build indexed the same documents."""
        return self.previous is not None and self.previous.search_keys == self.keys

    def start(self) -> None:
        """Start Pagefind on the documents, into the bundle folder."""
        shutil.rmtree(self.bundle, ignore_errors=True)
        self.indexer = SearchIndexer(
            self.source, self.bundle, self.options.output_dir, len(self.keys)
        )
        self.indexer.start()

    @property
    def running(self) -> bool:
        """Tell whether Pagefind was started and may still be indexing."""
        return self.indexer is not None and self.indexer.process is not None

    def finish(self, writer: SiteWriter) -> None:
        """Put the new index, or the old one, into the staging folder."""
        if self.failure:
            raise BuildError.at(
                str(self.source), 1, 1,
                f"cannot write the search documents: {self.failure}",
                "make the folder beside the output folder writable, or build with --no-search",
            )  # fmt: skip
        if self.options.search_later:
            # pmkb serve swaps in a fresh index after the site, in the background.
            carried = writer.keep_live_tree(SEARCH_FOLDER)
            self.stale = not (carried and self.unchanged)
            return
        if self.indexer is None:
            if writer.keep_tree(SEARCH_FOLDER):
                log.info("search index unchanged")
                return
            self.start()  # The old index is gone from the output folder.
        assert self.indexer is not None
        self.indexer.finish()
        writer.remove_tree(SEARCH_FOLDER)
        if self.bundle.is_dir():
            shutil.move(self.bundle, writer.staging_dir / SEARCH_FOLDER)
            writer.adopt_tree(SEARCH_FOLDER)

    def cancel(self) -> None:
        """Stop Pagefind after a failure elsewhere."""
        if self.indexer is not None:
            self.indexer.cancel()
        shutil.rmtree(self.bundle, ignore_errors=True)
