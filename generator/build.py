"""The build: from a content folder to a complete site in the output folder."""

from __future__ import annotations

import logging
import subprocess
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from generator import __version__
from generator.analysis_pages import analysis_pages
from generator.config import Config, load_config
from generator.discover import discover
from generator.errors import ConfigError, Level, PmkbError, Problem, Report
from generator.feeds import postmortems_json
from generator.gitinfo import read_history
from generator.index import SiteIndex, build_index
from generator.load import LoadResult, load_postmortem
from generator.markdown import highlight_stylesheet
from generator.model import Postmortem
from generator.pages import Page, SiteData, common_context, core_pages
from generator.search import search_page, write_search_index
from generator.templates import make_environment, theme_dirs
from generator.write import SiteWriter

log = logging.getLogger(__name__)


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


@dataclass
class BuildResult:
    """The outcome of one build."""

    report: Report
    postmortems: int = 0
    pages: int = 0
    seconds: float = 0.0
    written: bool = False
    index: SiteIndex | None = None
    loaded: list[Postmortem] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


def display_root(content_dir: Path) -> str:
    """Return how paths of content files are shown: relative to the working folder."""
    try:
        return content_dir.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return content_dir.as_posix()


def load_all(content_dir: Path, config: Config, sources: list[str]) -> list[LoadResult]:
    """Load every postmortem file, in order."""
    shown = display_root(content_dir)
    results = []
    for source in sources:
        data = (content_dir / source).read_bytes()
        result = load_postmortem(source, data, config)
        # Problems name the file as the user would open it from here.
        result.problems = [_relocate(p, shown) for p in result.problems]
        results.append(result)
    return results


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


def content_prefix(content_dir: Path) -> str:
    """Return the content folder's path inside its git repository, for edit links."""
    try:
        result = subprocess.run(
            ["git", "-C", str(content_dir), "rev-parse", "--show-prefix"],
            capture_output=True, text=True, timeout=30, check=False,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


def render_pages(data: SiteData, pages: list[Page], serving: bool) -> dict[str, str]:
    """Render every page to text, keyed by its output path."""
    environment = make_environment(data.config)
    rendered = {}
    for page in pages:
        template = environment.get_template(page.template)
        context = common_context(data, page, __version__, serving)
        context.update(page.context)
        rendered[page.output_path] = template.render(context)
    return rendered


def site_pages(data: SiteData) -> list[Page]:
    """Return every page of the site."""
    pages = core_pages(data)
    pages.extend(analysis_pages(data))
    pages.append(search_page(data))
    pages.append(Page("feed.xml", "feed.xml", data.config.title, in_sitemap=False))
    pages.append(Page("sitemap.xml", "sitemap.xml", "Sitemap", {}, in_sitemap=False))
    sitemap = pages[-1]
    sitemap.context["sitemap_pages"] = [p for p in pages if p.in_sitemap]
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
    config: Config, options: BuildOptions, result: BuildResult
) -> SiteIndex:
    """Load and validate every postmortem, index them, and record it all in result."""
    content_dir = options.content_dir
    log.info("reading %s", display_root(content_dir))
    sources = discover(content_dir, options.output_dir)
    loaded = load_all(content_dir, config, sources)
    for item in loaded:
        result.report.extend(item.problems)
    postmortems = [item.postmortem for item in loaded if item.postmortem]
    index, problems = build_index(postmortems, config, options.drafts)
    shown = display_root(content_dir)
    result.report.extend(_relocate(p, shown) for p in problems)
    result.index = index
    result.loaded = postmortems
    result.sources = sources
    result.postmortems = len(index.postmortems)
    return index


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
    except PmkbError as error:
        report.extend(error.problems)
        return result

    index = load_and_index(config, options, result)
    content_dir = options.content_dir
    if report.fails(options.strict):
        result.seconds = time.perf_counter() - started
        return result

    data = SiteData(
        config=config,
        index=index,
        today=options.today or date.today(),
        histories=read_history(content_dir),
        drafts=options.drafts,
        extra={"content_prefix": content_prefix(content_dir), "search": options.search},
    )
    try:
        result.pages = write_site(data, options)
    except PmkbError as error:
        report.extend(error.problems)
        return result
    result.written = True
    result.seconds = time.perf_counter() - started
    return result


def write_site(data: SiteData, options: BuildOptions) -> int:
    """Render and write the whole site through a staging folder; return the page count."""
    log.info("rendering %d postmortems", len(data.index.postmortems))
    pages = site_pages(data)
    rendered = render_pages(data, pages, options.serving)
    writer = SiteWriter(options.output_dir)
    writer.start()
    try:
        for output_path, text in rendered.items():
            writer.write(output_path, text)
        writer.write(
            "api/postmortems.json",
            postmortems_json(data.index.postmortems, data.config.base_url, data.today),
        )
        writer.write("static/highlight.css", highlight_stylesheet())
        for folder in reversed(theme_dirs(data.config)):
            static = folder / "static"
            if static.is_dir():
                writer.copy_tree(static, "static")
        if options.search:
            write_search_index(
                writer.staging_dir, len(data.index.postmortems), options.output_dir
            )
        writer.commit()
    except BaseException:
        writer.abort()
        raise
    return len(pages)
