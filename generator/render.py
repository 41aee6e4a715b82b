"""Render the pages of the site, skipping those whose data did not change.

Every page gets a key from its template, URL, title, context and the parts
of the build that all pages share. A page whose key matches the last build's
is carried over from the old output. The others are rendered, in worker
processes when there are many.
"""

from __future__ import annotations

import logging
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from jinja2 import Environment, TemplateSyntaxError

from generator import __version__
from generator.collection import display_root
from generator.digest import Fingerprinter, page_key
from generator.errors import BuildError
from generator.pages import Page, SiteData, common_context
from generator.parallel import map_positions
from generator.templates import make_environment, theme_dirs

log = logging.getLogger(__name__)


class PageWriter(Protocol):
    """Destination of rendered pages: the staging folder, or a scratch folder."""

    files: dict[str, str]

    def keep(self, relative: str) -> bool: ...

    def write(self, relative: str, content: str | bytes) -> str: ...


@dataclass
class RenderJob:
    """Work shared with the workers: the pages, the data and the writer."""

    data: SiteData
    pages: list[Page]
    keys: list[str]
    writer: PageWriter
    previous_keys: dict[str, str]
    serving: bool
    environment: Environment | None = None

    def run(self, position: int) -> tuple[str, str, bool]:
        """Render or keep one page; return its output path, hash and whether it was rendered."""
        page = self.pages[position]
        path = page.output_path
        previous = self.previous_keys.get(path)
        if (
            previous is not None
            and previous == self.keys[position]
            and self.writer.keep(path)
        ):
            return path, self.writer.files[path], False
        if self.environment is None:
            self.environment = make_environment(self.data.config)
        context = common_context(self.data, page, __version__, self.serving)
        context.update(page.context)
        try:
            html = self.environment.get_template(page.template).render(context)
        except Exception as error:
            problem = template_error(error, page, theme_dirs(self.data.config))
            if problem is None:
                raise
            raise problem from None
        return path, self.writer.write(path, html), True


def template_error(
    error: Exception, page: Page, themes: list[Path]
) -> BuildError | None:
    """Return the error to show for a template that failed on a page, naming
    the template's file and line, or None when no template line caused it."""
    if isinstance(error, TemplateSyntaxError) and error.filename:
        where = (error.filename, error.lineno)
    else:
        # Jinja gives the frames of template code the template's file and line.
        frames = [
            (frame.f_code.co_filename, line)
            for frame, line in traceback.walk_tb(error.__traceback__)
        ]
        folders = [(folder / "templates").resolve() for folder in themes]
        templates = [
            (name, line)
            for name, line in frames
            if any(Path(name).resolve().is_relative_to(f) for f in folders)
        ]
        if not templates:
            return None
        where = templates[-1]
    name, line = where
    message = getattr(error, "message", None) or str(error)
    return BuildError.at(
        display_root(Path(name)), line, 1,
        f"template failed on page /{page.url}: {type(error).__name__}: {message}",
        "fix the template, or compare it with the same file of pmkb's default theme",
    )  # fmt: skip


def shared_key_parts(data: SiteData, serving: bool, theme: str) -> tuple[Any, ...]:
    """Return what every page depends on besides its own context."""
    config = data.config
    parts: tuple[Any, ...] = (
        __version__,
        theme,
        config.fingerprint(),
        config.base_url,
        data.today,
        data.drafts,
        serving,
    )
    if has_own_templates(data):
        # A user's template may read anything from ``index``, so with one in
        # use every page depends on every report.
        parts += ([p.fingerprint for p in data.index.postmortems],)
    return parts


def has_own_templates(data: SiteData) -> bool:
    """Tell whether the knowledge base overrides any template of the default theme."""
    folder = data.config.theme_dir
    if folder is None or not (folder / "templates").is_dir():
        return False
    templates = (folder / "templates").rglob("*")
    return any(path.is_file() and not path.name.startswith(".") for path in templates)


def page_keys(
    data: SiteData, pages: list[Page], serving: bool, theme: str
) -> list[str]:
    """Return the key of every page."""
    fingerprinter = Fingerprinter()
    shared = shared_key_parts(data, serving, theme)
    return [
        page_key(fingerprinter, shared, p.template, p.url, p.title, p.context)
        for p in pages
    ]


def render_site_pages(
    data: SiteData,
    pages: list[Page],
    writer: PageWriter,
    previous_keys: dict[str, str],
    serving: bool,
    theme: str,
    jobs: int | None,
    what: str = "pages",
    changed: list[str] | None = None,
) -> dict[str, str]:
    """Write every page through the writer; return the page keys by output path.

    The output paths of the pages rendered again are added to ``changed``.
    """
    started = time.perf_counter()
    # With no keys to compare (a cold build), every page is rendered anyway, so
    # the keys are worked out afterwards. By then Pagefind has less left to do
    # and needs less of the second core.
    keys_first = bool(previous_keys)
    keys = page_keys(data, pages, serving, theme) if keys_first else []
    job = RenderJob(data, pages, keys, writer, previous_keys, serving)
    results = map_positions(job.run, len(pages), jobs)
    rendered = 0
    for path, sha, was_rendered in results:
        writer.files[path] = sha
        rendered += was_rendered
        if was_rendered and changed is not None:
            changed.append(path)
    if not keys_first:
        keys = page_keys(data, pages, serving, theme)
    log.info(
        "rendered %d of %d %s in %.2f s",
        rendered,
        len(pages),
        what,
        time.perf_counter() - started,
    )
    return {page.output_path: key for page, key in zip(pages, keys, strict=True)}
