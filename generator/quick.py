"""Render edited reports straight into the live site, before the full rebuild.

While ``pmkb serve`` runs, the page of the report being edited should change
as soon as the file is saved. The new page is rendered with the rest of the
last build (neighbours, related reports, terms, metrics) and replaces the old
file atomically. The full rebuild then brings every other page up to date.
"""

from __future__ import annotations

import os
from pathlib import Path

from generator import __version__
from generator.build import BuildOptions
from generator.collection import display_root
from generator.discover import is_postmortem_file
from generator.errors import Level, Problem
from generator.load import load_postmortem
from generator.pages import SiteData, common_context, report_page
from generator.templates import make_environment
from generator.write import safe_join


def changed_sources(content_dir: Path, changed: set[Path]) -> list[str] | None:
    """Return the changed files as report paths, or None if anything else changed."""
    content = content_dir.resolve()
    sources = []
    for path in changed:
        resolved = path.resolve()
        if resolved.is_dir():
            continue
        if not resolved.exists() and resolved.suffix != ".md":
            continue  # An editor's temporary file that came and went.
        if content not in resolved.parents or not resolved.is_file():
            return None
        relative = resolved.relative_to(content)
        if not is_postmortem_file(relative):
            return None
        sources.append(relative.as_posix())
    return sorted(sources)


def render_changed_reports(
    data: SiteData, options: BuildOptions, changed: set[Path]
) -> tuple[list[str], list[Problem]] | None:
    """Render the changed reports into the live site.

    Return their URLs and the problems that stopped any of them, or None
    when only a full build will do.
    """
    sources = changed_sources(options.content_dir, changed)
    if not sources:
        return None
    shown_root = display_root(options.content_dir)
    environment = make_environment(data.config)
    ordered = data.index.postmortems
    positions = {postmortem.id: number for number, postmortem in enumerate(ordered)}
    urls: list[str] = []
    problems: list[Problem] = []
    for source in sources:
        result = load_postmortem(
            source, (options.content_dir / source).read_bytes(), data.config
        )
        errors = [p for p in result.problems if p.level is Level.ERROR]
        if errors:
            problems.extend(
                Problem(
                    f"{shown_root}/{p.path}",
                    p.line,
                    p.column,
                    p.level,
                    p.message,
                    p.hint,
                    p.rule,
                )
                for p in errors
            )
            continue
        postmortem = result.postmortem
        assert postmortem is not None
        position = positions.get(postmortem.id)
        if position is None:
            return None
        old = ordered[position]
        if old.source_path != source or old.sort_time != postmortem.sort_time:
            return None
        newer = ordered[position - 1] if position else None
        older = ordered[position + 1] if position + 1 < len(ordered) else None
        page = report_page(data, postmortem, newer, older)
        context = common_context(data, page, __version__, serving=True)
        context.update(page.context)
        html = environment.get_template(page.template).render(context)
        target = safe_join(options.output_dir, page.output_path)
        temporary = target.with_name(f".{target.name}.pmkb-new")
        temporary.write_text(html, "utf-8")
        os.replace(temporary, target)
        urls.append(f"/{page.url}")
    return urls, problems
