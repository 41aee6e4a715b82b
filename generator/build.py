"""The build: from a content folder to a complete site in the output folder.

``build()`` reads as its steps. It reads the settings, finds and reads the
files, and stops early when nothing changed since the last build. Then it
loads and validates the reports (from the cache when their files did not
change), indexes them, and writes the site through a staging folder.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath

from generator import __version__
from generator.cache import BuildCache
from generator.collection import (
    display_root,
    load_all,
    read_sources,
    relocate_problem,
    shown_path,
)
from generator.config import Config, load_config
from generator.config_reader import WEB_ADDRESS
from generator.discover import discover
from generator.errors import (
    BuildError,
    ConfigError,
    Level,
    PmkbError,
    Problem,
    Report,
    plural,
)
from generator.gitinfo import git_state, read_history
from generator.index import SiteIndex, build_index, is_published
from generator.load import LoadResult
from generator.model import Postmortem
from generator.pages import SiteData
from generator.publish import Manifest, write_site
from generator.search_step import SearchStep
from generator.site_files import check_file_links, file_stamps
from generator.templates import theme_hash
from generator.validate import make_id
from generator.write import SiteWriter, read_marker, remove_leftovers

log = logging.getLogger(__name__)

MANIFEST = "manifest"


@dataclass
class BuildOptions:
    """Options of one build: the folders, the settings and the switches."""

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
    def cache_folder(self) -> Path:
        """Return the folder of the build cache and the search documents: given,
        or ``.pmkb-cache`` beside the output folder."""
        return self.cache_dir or self.output_dir.resolve().parent / ".pmkb-cache"

    @property
    def output_tag(self) -> str:
        """Return a short hash of the output folder's path, which names this
        site's files in the cache folder, so that sites built side by side do
        not take each other's place."""
        return hashlib.sha256(str(self.output_dir.resolve()).encode()).hexdigest()[:12]

    @property
    def cache_file(self) -> Path | None:
        """Return this output folder's cache file, or None when the cache is not used."""
        if not self.use_cache:
            return None
        return self.cache_folder / f"build-{self.output_tag}.sqlite3"


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
    # Report files that could not be read.
    unreadable: list[str] = field(default_factory=list)
    # Files the published reports link to, and those of them that exist.
    linked_files: list[str] = field(default_factory=list)
    published_files: list[str] = field(default_factory=list)


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
        if options.base_url and not WEB_ADDRESS.match(options.base_url):
            message = f"invalid --base-url {options.base_url!r}"
            report.add(
                Problem(
                    "--base-url",
                    1,
                    1,
                    Level.ERROR,
                    message,
                    "use an absolute URL such as 'https://example.com/postmortems/'",
                )
            )
            return None
        config.base_url = options.base_url.rstrip("/") + "/" if options.base_url else ""
    return config


def load_and_index(
    config: Config,
    options: BuildOptions,
    result: BuildResult,
    files: dict[str, bytes] | None = None,
    cache: BuildCache | None = None,
    search: SearchStep | None = None,
) -> SiteIndex:
    """Load and validate every postmortem, index them, and record it all in result.

    With a search step, Pagefind starts as soon as the reports are loaded.
    """
    content_dir = options.content_dir
    log.info("reading %s", display_root(content_dir))
    if files is None:
        files = find_sources(options, result.report, result.unreadable)
    folder = search.load_folder() if search else None
    loaded = load_all(content_dir, config, files, cache, options.jobs, folder)
    for item in loaded:
        result.report.extend(item.problems)
    postmortems = [item.postmortem for item in loaded if item.postmortem]
    if search:
        search.loaded(
            [i.postmortem for i in loaded if i.search_written and i.postmortem]
        )
        search.prepare([p for p in postmortems if is_published(p, options.drafts)])
        if not result.report.fails(options.strict):
            search.start_if_changed()
    # Ids of every file, also those that failed to load, so that a link to a
    # broken report is not reported a second time in the report that links.
    known_ids = {
        make_id(PurePosixPath(source).stem) for source in [*files, *result.unreadable]
    }
    index, problems = build_index(postmortems, config, options.drafts, known_ids)
    published_files, file_problems = check_file_links(index.postmortems, content_dir)
    shown = display_root(content_dir)
    result.report.extend(relocate_problem(p, shown) for p in problems + file_problems)
    result.linked_files = sorted(
        {link.path for p in index.postmortems for link in p.file_links}
    )
    result.published_files = published_files
    result.index = index
    result.loaded = postmortems
    result.sources = list(files)
    result.postmortems = len(index.postmortems)
    return index


def find_sources(
    options: BuildOptions, report: Report, unreadable: list[str]
) -> dict[str, bytes]:
    """Find and read every postmortem file, reporting the links that are left
    out and the files that cannot be read, which are added to ``unreadable``."""
    problems: list[Problem] = []
    sources = discover(options.content_dir, options.output_dir, problems)
    files = read_sources(options.content_dir, sources, problems)
    unreadable.extend(source for source in sources if source not in files)
    shown = display_root(options.content_dir)
    report.extend(relocate_problem(problem, shown) for problem in problems)
    return files


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


def _check_folders(options: BuildOptions) -> None:
    """Refuse an output folder whose replacement would delete the content."""
    writer = SiteWriter(options.output_dir)  # rejects '/' and the home folder
    output, content = options.output_dir.resolve(), options.content_dir.resolve()
    if output == content:
        where = "the content folder"
    elif output in content.parents:
        where = "a folder that holds the content folder"
    else:
        writer.check_output_dir()
        return
    raise BuildError.at(
        str(options.output_dir),
        1,
        1,
        f"the output folder is {where}, and each build replaces the output folder",
        "write the site to another folder with --output",
    )


def build(options: BuildOptions) -> BuildResult:
    """Validate the knowledge base and write the site; never writes on errors."""
    started = time.perf_counter()
    report = Report()
    result = BuildResult(report=report)
    config = load_settings(options, report)
    if config is None:
        return result
    try:
        _check_folders(options)
        theme = theme_hash(config)
    except PmkbError as error:
        report.extend(error.problems)
        return result

    if not config.base_url and not options.serving:
        log.info(
            "base_url is not set, so the feed and sitemap use relative addresses (set it in kb.toml or pass --base-url)"
        )
    content_dir = options.content_dir
    found = Report()
    files = find_sources(options, found, result.unreadable)
    today = options.today or date.today()
    git = git_state(content_dir)
    build_id = build_fingerprint(config, options, files, today, theme, git)
    build_id = hashlib.sha256((build_id + repr(found.problems)).encode()).hexdigest()
    cache = BuildCache(options.cache_file, options.memory)
    search: SearchStep | None = None
    try:
        previous = _previous_manifest(cache, options)
        if _nothing_changed(previous, build_id, options):
            assert previous is not None
            log.info("nothing changed since the last build of %s", options.output_dir)
            remove_leftovers(options.output_dir)
            report.extend(previous.problems)
            result.postmortems, result.pages = previous.postmortems, previous.pages
            result.written = result.unchanged = True
        else:
            report.extend(found.problems)
            search = SearchStep(options, cache, previous) if options.search else None
            index = load_and_index(config, options, result, files, cache, search)
            if not options.drafts:
                _drop_draft_warnings(result, content_dir)
            files.clear()  # The reports are loaded; their bytes are not needed again.
            # The loaded reports live until the end of the build: keeping them out
            # of garbage collection saves a third of the analysis and render time,
            # and forked workers then share their memory pages longer.
            gc.freeze()
            if not report.fails(options.strict):
                data = SiteData(
                    config=config, index=index, today=today, histories=read_history(content_dir),
                    drafts=options.drafts, extra={"content_prefix": git[1], "search": options.search},
                    files=result.published_files,
                )  # fmt: skip
                _write_and_record(
                    data, options, previous, theme, build_id, cache, result, search
                )
    except PmkbError as error:
        report.extend(error.problems)
        result.written = False
    finally:
        if search is not None and not result.written:
            search.cancel()
        cache.close()
        gc.unfreeze()
    result.seconds = time.perf_counter() - started
    return result


def _drop_draft_warnings(result: BuildResult, content_dir: Path) -> None:
    """Drop the warnings of drafts, which the site leaves out, so that --strict
    does not fail on them. Their errors still count; pmkb check shows both."""
    shown_root = display_root(content_dir)
    drafts = {
        shown_path(shown_root, p.source_path)
        for p in result.loaded
        if p.status == "draft"
    }
    if drafts:
        log.info(
            "left out %s (build with --drafts to include them)",
            plural(len(drafts), "draft"),
        )
    problems = result.report.problems
    result.report.problems = [
        p for p in problems if p.level is Level.ERROR or p.path not in drafts
    ]


def _nothing_changed(
    previous: Manifest | None, build_id: str, options: BuildOptions
) -> bool:
    """Tell whether the last build had the same inputs and its output is still there."""
    if previous is None or previous.fingerprint != build_id or options.always_load:
        return False
    stamps = file_stamps(options.content_dir, previous.linked_files)
    if stamps != previous.file_stamps:
        return False  # A linked image or other file changed, came or went.
    return read_marker(options.output_dir) == build_id


def _write_and_record(
    data: SiteData, options: BuildOptions, previous: Manifest | None, theme: str,
    build_id: str, cache: BuildCache, result: BuildResult, search: SearchStep | None,
) -> None:  # fmt: skip
    """Write the site and store what was written for the next build."""
    result.data = data
    manifest = write_site(data, options, previous, theme, build_id, search)
    manifest.problems = list(result.report.problems)
    manifest.postmortems = result.postmortems
    manifest.linked_files = result.linked_files
    manifest.file_stamps = file_stamps(options.content_dir, result.linked_files)
    cache.put_state(MANIFEST, manifest)
    result.search_stale = manifest.search_stale
    result.changed_pages = manifest.changed_pages
    result.pages = manifest.pages
    result.written = True


def _previous_manifest(cache: BuildCache, options: BuildOptions) -> Manifest | None:
    manifest = cache.get_state(MANIFEST)
    if not isinstance(manifest, Manifest) or manifest.output_dir != str(
        options.output_dir.resolve()
    ):
        return None
    if not options.output_dir.is_dir():
        return None
    return manifest
