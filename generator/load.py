"""Load one postmortem file into a validated, rendered ``Postmortem``.

``load_postmortem`` depends only on the file's bytes, its path and the
configuration, so the build can run it in worker processes and cache it.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from slugify import slugify

from generator import __version__
from generator.body import read_body
from generator.config import Config
from generator.errors import Level, Problem
from generator.markdown import render_inline
from generator.model import ActionItem, Postmortem
from generator.parse import parse_document
from generator.validate import (
    make_id,
    missing_action_items_problem,
    validate_front_matter,
)

log = logging.getLogger(__name__)


@dataclass
class LoadResult:
    """A loaded postmortem (None when it has errors) and its problems."""

    source_path: str
    postmortem: Postmortem | None
    problems: list[Problem] = field(default_factory=list)
    # Set by the build, never cached: the search document was written.
    search_written: bool = False


def decode(path: str, data: bytes) -> tuple[str | None, list[Problem]]:
    """Decode UTF-8 text, reporting the line and column of the first bad byte."""
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        message = f"file is not valid UTF-8 (byte 0x{data[error.start]:02x})"
        hint = "save the file as UTF-8"
        return None, [Problem(path, line, column, Level.ERROR, message, hint)]


def _merge_action_items(
    front: list[ActionItem], body: list[ActionItem]
) -> list[ActionItem]:
    """Merge front matter and body items; a task written in both is kept once."""
    used = {item.anchor for item in body}
    body_by_task = {" ".join(item.task.lower().split()): item for item in body}
    merged = []
    for item in front:
        twin = body_by_task.pop(" ".join(item.task.lower().split()), None)
        if twin is not None:
            # The body's list item carries the anchor; the tracker row links to it.
            item.anchor = twin.anchor
            item.group = twin.group
            item.source = "front matter and body"
        else:
            base = "action-" + (
                slugify(item.task, max_length=48, word_boundary=True) or "item"
            )
            anchor, number = base, 2
            while anchor in used:
                anchor, number = f"{base}-{number}", number + 1
            item.anchor = anchor
        used.add(item.anchor)
        merged.append(item)
    merged.extend(item for item in body if item in body_by_task.values())
    return merged


def fingerprint(source_path: str, data: bytes, config_fingerprint: str) -> str:
    """Return the cache key of one file: its path, bytes, the settings and pmkb's version."""
    digest = hashlib.sha256()
    for part in (__version__, config_fingerprint, source_path):
        digest.update(part.encode())
        digest.update(b"\0")
    digest.update(data)
    return digest.hexdigest()


def load_postmortem(source_path: str, data: bytes, config: Config) -> LoadResult:
    """Parse, validate and render one postmortem; never raises for bad input."""
    log.debug("loading %s", source_path)
    text, problems = decode(source_path, data)
    if text is None:
        return LoadResult(source_path, None, problems)
    document, problems = parse_document(source_path, text)
    if document is None:
        return LoadResult(source_path, None, problems)

    values, lines, problems = validate_front_matter(document, source_path, config)
    if not document.has_front_matter and any(
        p.message.startswith("missing required") for p in problems
    ):
        # One clear message instead of one per required field.
        message = (
            "no front matter: a postmortem starts with its fields between '---' lines"
        )
        hint = (
            "add the front matter, or convert plain Markdown reports with pmkb import"
        )
        return LoadResult(
            source_path, None, [Problem(source_path, 1, 1, Level.ERROR, message, hint)]
        )
    zone = values["timezone"]
    started = values["started"] or values["detected"] or values["resolved"]
    body = read_body(
        document.body, source_path, document.body_line, values["title"], zone, started
    )
    problems.extend(body.problems)
    action_items = _merge_action_items(values.pop("action_items"), body.action_items)
    if not action_items:
        missing = missing_action_items_problem(source_path, config)
        if missing:
            problems.append(missing)

    stem = PurePosixPath(source_path).stem
    if not make_id(stem):
        message = f"file name '{PurePosixPath(source_path).name}' has no letters or digits to make an id from"
        problems.append(
            Problem(
                source_path,
                1,
                1,
                Level.ERROR,
                message,
                "rename the file, like 2025-01-15-short-title.md",
            )
        )
    if any(p.level is Level.ERROR for p in problems):
        return LoadResult(source_path, None, problems)
    for item in action_items:
        item.task_html = render_inline(item.task)
    postmortem = Postmortem(
        id=make_id(stem),
        source_path=source_path,
        action_items=action_items,
        body_html=body.html,
        headings=body.headings,
        sections=body.sections,
        timeline=body.timeline,
        report_links=body.report_links,
        file_links=body.file_links,
        lines=lines,
        summary_html=render_inline(values["summary"]) if values["summary"] else "",
        fingerprint=fingerprint(source_path, data, config.fingerprint()),
        **values,
    )
    return LoadResult(source_path, postmortem, problems)
