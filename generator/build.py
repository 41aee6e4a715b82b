"""The build: from a content folder to a complete site in the output folder.

``build()`` reads as its steps: read the settings, find and read the files,
stop early when nothing changed since the last build, load and validate the
reports (from the cache when their files did not change), index them, and
write the site through a staging folder.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import pickle
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from generator import __version__
from generator.analysis_pages import analysis_pages
from generator.cache import BuildCache
from generator.config import Config, load_config
from generator.discover import discover
from generator.errors import ConfigError, Level, PmkbError, Problem, Report
from generator.feeds import postmortems_json
from generator.gitinfo import read_history
from generator.index import SiteIndex, build_index
from generator.load import LoadResult, fingerprint, load_postmortem
from generator.markdown import highlight_stylesheet
from generator.model import Postmortem
from generator.pages import Page, SiteData, core_pages
from generator.parallel import map_positions
from generator.render import render_site_pages
from generator.search import SEARCH_FOLDER, SearchIndexer, search_documents, search_page
from generator.templates import theme_dirs, theme_hash
from generator.write import FolderWriter, SiteWriter, read_marker

log = logging.getLogger(__name__)

MANIFEST = "manifest"


@dataclass
class BuildOptions:
    """What to build, from where, and how."""

    content_dir: Path = Path("content")
    output_dir: Path = Path("site")
    config_path: Path | None = None
    strict: bool = False
    drafts: bool = False
    base_url: str | None = None
    jobs: int | None = None
    today: date | None = None
    serving: bool = False
    search: bool = True
    cache_dir: Path | None = None
    use_cache: bool = True
    # pmkb serve: index for search after the site is swapped in, not before.
    search_later: bool = False
    # pmkb serve: load results kept in memory between rebuilds.
    memory: dict[str, LoadResult] | None = None
    # Load and index even when nothing changed, to have the site's data at hand.
    always_load: bool = False
    # pmkb serve: held while the new site replaces the old one.
    commit_lock: threading.Lock | None = None

    @property
    def cache_folder(self) -> Path | None:
        """Return the cache folder: given, or ``.pmkb-cache`` beside the output folder."""
        if not self.use_cache:
            return None
        return self.cache_dir or self.output_dir.resolve().parent / ".pmkb-cache"


@dataclass
class BuildResult:
    """The outcome of one build."""

    report: Report
    postmortems: int = 0
    pages: int = 0
    seconds: float = 0.0
    written: bool = False
    unchanged: bool = False
    search_stale: bool = False
    changed_pages: list[str] = field(default_factory=list)
    data: SiteData | None = None
    index: SiteIndex | None = None
    loaded: list[Postmortem] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


@dataclass
class Manifest:
    """What the last build wrote, so the next one can skip unchanged work."""

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


def display_root(content_dir: Path) -> str:
    """Return how paths of content files are shown: relative to the working folder."""
    try:
        return content_dir.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return content_dir.as_posix()


def _relocate(problem: Problem, shown_root: str) -> Problem:
    path = problem.path if shown_root in ("", ".") else f"{shown_root}/{problem.path}"
    return Problem(
        path,
        problem.line,
        problem.column,
        problem.level,
        problem.message,
        problem.hint,
        problem.rule,
    )


def read_sources(content_dir: Path, sources: list[str]) -> dict[str, bytes]:
    """Read every postmortem file."""
    return {source: (content_dir / source).read_bytes() for source in sources}


def load_all(
    content_dir: Path,
    config: Config,
    files: dict[str, bytes],
    cache: BuildCache | None = None,
    jobs: int | None = 1,
) -> list[LoadResult]:
    """Load every postmortem, from the cache where possible, the rest in parallel."""
    shown = display_root(content_dir)
    config_fingerprint = config.fingerprint()
    keys = {
        source: fingerprint(source, data, config_fingerprint)
        for source, data in files.items()
    }
    cached = cache.get_loads(keys.values()) if cache else {}
    missing = [source for source in files if keys[source] not in cached]
    started = time.perf_counter()
    # Workers send their results pickled, and the same bytes go into the cache.
    blobs = map_positions(
        lambda i: pickle.dumps(
            load_postmortem(missing[i], files[missing[i]], config),
            pickle.HIGHEST_PROTOCOL,
        ),
        len(missing),
        jobs,
    )
    for source, blob in zip(missing, blobs, strict=True):
        cached[keys[source]] = pickle.loads(blob)
    if missing:
        log.info(
            "loaded %d changed files in %.2f s (%d from the cache)",
            len(missing),
            time.perf_counter() - started,
            len(keys) - len(missing),
        )
    if cache:
        fresh = {keys[s]: cached[keys[s]] for s in missing}
        cache.put_loads(
            fresh,
            keep=set(keys.values()),
            blobs=dict(zip((keys[s] for s in missing), blobs, strict=True)),
        )

    results = []
    for source in files:
        stored = cached[keys[source]]
        # Problems name the file as the user would open it from here.
        problems = [_relocate(p, shown) for p in stored.problems]
        results.append(LoadResult(stored.source_path, stored.postmortem, problems))
    return results


def git_state(content_dir: Path) -> tuple[str, str]:
    """Return the commit checked out and the content folder's path in the repository."""
    try:
        result = subprocess.run(
            ["git", "-C", str(content_dir), "rev-parse", "HEAD", "--show-prefix"],
            capture_output=True, text=True, timeout=30, check=False,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired):
        return "", ""
    lines = result.stdout.split("\n")
    if result.returncode != 0 or len(lines) < 2:
        return "", ""
    return lines[0].strip(), lines[1].strip()


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


def load_settings(options: BuildOptions, report: Report) -> Config | None:
    """Check the content folder and read kb.toml; return None after recording why not."""
    content_dir = options.content_dir
    if not content_dir.is_dir():
        report.add(
            Problem(
                str(content_dir),
                1,
                1,
                Level.ERROR,
                "content folder not found",
                "run from the folder that contains it or pass --content",
            )
        )
        return None
    try:
        config = load_config(content_dir, options.config_path)
    except ConfigError as error:
        report.extend(error.problems)
        return None
    if options.base_url is not None:
        config.base_url = options.base_url.rstrip("/") + "/" if options.base_url else ""
    return config


def load_and_index(
    config: Config,
    options: BuildOptions,
    result: BuildResult,
    files: dict[str, bytes] | None = None,
    cache: BuildCache | None = None,
) -> SiteIndex:
    """Load and validate every postmortem, index them, and record it all in result."""
    content_dir = options.content_dir
    log.info("reading %s", display_root(content_dir))
    if files is None:
        files = read_sources(content_dir, discover(content_dir, options.output_dir))
    loaded = load_all(content_dir, config, files, cache, options.jobs)
    for item in loaded:
        result.report.extend(item.problems)
    postmortems = [item.postmortem for item in loaded if item.postmortem]
    index, problems = build_index(postmortems, config, options.drafts)
    shown = display_root(content_dir)
    result.report.extend(_relocate(p, shown) for p in problems)
    result.index = index
    result.loaded = postmortems
    result.sources = list(files)
    result.postmortems = len(index.postmortems)
    return index


def build_fingerprint(
    config: Config,
    options: BuildOptions,
    files: dict[str, bytes],
    today: date,
    theme: str,
    git: tuple[str, str],
) -> str:
    """Return a hash of every input of the build, to detect a build with nothing to do."""
    digest = hashlib.sha256()
    settings = (__version__, config.fingerprint(), config.base_url, theme, str(today), options.drafts,
                options.strict, options.search, options.serving, git, str(options.content_dir.resolve()))  # fmt: skip
    digest.update(repr(settings).encode())
    for source, data in files.items():
        digest.update(source.encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()


def build(options: BuildOptions) -> BuildResult:
    """Validate the knowledge base and write the site; never writes on errors."""
    started = time.perf_counter()
    report = Report()
    result = BuildResult(report=report)
    config = load_settings(options, report)
    if config is None:
        return result
    try:
        SiteWriter(options.output_dir).check_output_dir()
        theme = theme_hash(config)
    except PmkbError as error:
        report.extend(error.problems)
        return result

    content_dir = options.content_dir
    files = read_sources(content_dir, discover(content_dir, options.output_dir))
    today = options.today or date.today()
    git = git_state(content_dir)
    build_id = build_fingerprint(config, options, files, today, theme, git)
    cache = BuildCache(options.cache_folder, options.memory)
    try:
        previous = _previous_manifest(cache, options)
        unchanged = previous is not None and previous.fingerprint == build_id
        if (
            previous
            and unchanged
            and not options.always_load
            and read_marker(options.output_dir) == build_id
        ):
            log.info("nothing changed since the last build of %s", options.output_dir)
            report.extend(previous.problems)
            result.postmortems, result.pages = previous.postmortems, previous.pages
            result.written = result.unchanged = True
            result.seconds = time.perf_counter() - started
            return result

        index = load_and_index(config, options, result, files, cache)
        files.clear()  # The reports are loaded; their bytes are not needed again.
        # The loaded reports live until the end of the build: keeping them out
        # of garbage collection saves a third of the analysis and render time,
        # and forked workers then share their memory pages longer.
        gc.freeze()
        if report.fails(options.strict):
            result.seconds = time.perf_counter() - started
            return result
        data = SiteData(
            config=config, index=index, today=today, histories=read_history(content_dir),
            drafts=options.drafts, extra={"content_prefix": git[1], "search": options.search},
        )  # fmt: skip
        result.data = data
        manifest = write_site(data, options, previous, theme, build_id)
        result.search_stale = manifest.search_stale
        result.changed_pages = manifest.changed_pages
        manifest.problems = list(report.problems)
        manifest.postmortems = result.postmortems
        cache.put_state(MANIFEST, manifest)
        result.pages = manifest.pages
    except PmkbError as error:
        report.extend(error.problems)
        return result
    finally:
        cache.close()
        gc.unfreeze()
    result.written = True
    result.seconds = time.perf_counter() - started
    return result


def _previous_manifest(cache: BuildCache, options: BuildOptions) -> Manifest | None:
    manifest = cache.get_state(MANIFEST)
    if not isinstance(manifest, Manifest) or manifest.output_dir != str(
        options.output_dir.resolve()
    ):
        return None
    if not options.output_dir.is_dir():
        return None
    return manifest


def write_site(
    data: SiteData,
    options: BuildOptions,
    previous: Manifest | None,
    theme: str,
    build_id: str,
) -> Manifest:
    """Render and write the whole site through a staging folder.

    Pagefind indexes the search documents while the pages are rendered.
    """
    log.info("rendering %d postmortems", len(data.index.postmortems))
    writer = SiteWriter(options.output_dir, previous.files if previous else None)
    writer.start()
    search = SearchStep(data, options, writer, previous, theme)
    pages: list[Page] = []
    try:
        # Pagefind starts first, so it runs while the analysis and pages are made.
        if options.search:
            search.prepare()
        pages = site_pages(data)
        changed: list[str] = []
        page_keys = render_site_pages(
            data,
            pages,
            writer,
            previous.page_keys if previous else {},
            options.serving,
            theme,
            options.jobs,
            changed=changed,
        )
        writer.write(
            "api/postmortems.json",
            postmortems_json(data.index.postmortems, data.config.base_url, data.today),
        )
        writer.write("static/highlight.css", highlight_stylesheet())
        for folder in reversed(theme_dirs(data.config)):
            static = folder / "static"
            if static.is_dir():
                writer.copy_tree(static, "static")
        search.finish()
        if options.commit_lock is not None:
            with options.commit_lock:
                writer.commit(build_id)
        else:
            writer.commit(build_id)
    except BaseException:
        search.cancel()
        writer.abort()
        raise
    return Manifest(
        build_id, str(options.output_dir.resolve()), page_keys, writer.files, [], 0, len(pages),
        search_keys=search.keys, search_stale=search.stale,
        changed_pages=changed,
    )  # fmt: skip


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

    def finish(self) -> None:
        """Wait for Pagefind and record its bundle as part of the site."""
        if self.indexer is not None:
            self.indexer.finish()
            self.writer.adopt_tree(SEARCH_FOLDER)

    def cancel(self) -> None:
        """Stop Pagefind after a failure elsewhere."""
        if self.indexer is not None:
            self.indexer.cancel()
