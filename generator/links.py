"""Links from a report's body to another report's Markdown file or to a file.

Postmortem collections kept in git link reports by file name, as a Git host
shows them: ``[PM2019-009](PM2019-009%20-%20IP%20starvation.md)``. The site
has no ``.md`` files, so such a link is rewritten to the other report's page,
``../<id>/``, and is recorded so that the check of the whole collection can
report a link to a report that does not exist.

Images and other files next to the reports, such as
``![Latency](img/latency.png)``, are published under ``files/`` at their
path in the content folder, so such a link becomes
``../files/2025/img/latency.png`` and the build copies the file.
"""

from __future__ import annotations

import posixpath
from pathlib import PurePosixPath
from urllib.parse import quote, unquote, urlsplit

from markdown_it.token import Token

from generator.model import FileLink, ReportLink
from generator.validate import make_id

# The site folder that holds the files the reports link to.
FILES_FOLDER = "files"


def linked_report(href: str) -> tuple[str, str] | None:
    """Return the id and the decoded path of a relative link to a ``.md`` file, or None.

    Folders in the path are ignored because a report's id is its file name
    alone, wherever the file sits below the content folder.
    """
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or parts.path.startswith("/"):
        return None
    path = unquote(parts.path).replace("\\", "/")
    if not path.lower().endswith(".md"):
        return None
    report_id = make_id(PurePosixPath(path).stem)
    if not report_id:
        return None
    return report_id, path


def linked_file(href: str, source_path: str) -> str | None:
    """Return the content-folder path of a relative link to a file that is no
    report, or None for any other link. A path that climbs out of the content
    folder is returned as it is written, starting with ``../``."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
        return None
    path = unquote(parts.path).replace("\\", "/")
    name = posixpath.basename(path)
    # A path without a file extension, like ../trends/, is a page of the site.
    if path.lower().endswith(".md") or "." not in name.strip("."):
        return None
    folder = posixpath.dirname(source_path)
    return posixpath.normpath(posixpath.join(folder, path))


def file_url(path: str, href: str) -> str:
    """Return the URL of a published file from a report's page, keeping the fragment."""
    fragment = urlsplit(href).fragment
    url = f"../{FILES_FOLDER}/{quote(path)}"
    return url + (f"#{fragment}" if fragment else "")


def report_url(report_id: str, href: str) -> str:
    """Return the URL of a report's page from another report's page, keeping the fragment."""
    fragment = urlsplit(href).fragment
    return f"../{report_id}/" + (f"#{fragment}" if fragment else "")


def _link_line(link: Token, paragraph_line: int, offset: int, references: dict) -> int:
    """Return the body line of a link, counted from 0.

    A reference link is placed on its definition, where the file name is
    written, so every use of one definition gives the same line.
    """
    label = link.meta.get("label")
    definition = references.get(label) if label else None
    if definition and definition.get("map"):
        return int(definition["map"][0])
    return paragraph_line + offset


def rewrite_links(
    tokens: list[Token], env: dict, body_line: int, source_path: str
) -> tuple[list[ReportLink], list[FileLink]]:
    """Point body links to other reports' ``.md`` files at their pages, and
    links and images to other files at their published copies; return both.

    Each link is returned once per target and line, with the line counted in
    the whole file (``body_line`` is the file line of the body's first line).
    NOTE: raw HTML anchors are left as written, and a line inside a paragraph
    is counted from its soft and hard breaks, so a code span that wraps a
    line puts later links one line too early.
    """
    references = env.get("references", {})
    reports: dict[tuple[str, int], ReportLink] = {}
    files: dict[tuple[str, int], FileLink] = {}
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        paragraph_line = token.map[0] if token.map else 0
        offset = 0
        for child in token.children:
            if child.type in ("softbreak", "hardbreak"):
                offset += 1
            elif child.type == "html_inline":
                offset += child.content.count("\n")
            elif child.type in ("link_open", "image"):
                attribute = "href" if child.type == "link_open" else "src"
                href = str(child.attrs.get(attribute, ""))
                line = body_line + _link_line(child, paragraph_line, offset, references)
                target = linked_report(href) if attribute == "href" else None
                if target is not None:
                    child.attrSet(attribute, report_url(target[0], href))
                    key = (target[0], line)
                    reports.setdefault(key, ReportLink(target[0], target[1], line))
                    continue
                path = linked_file(href, source_path)
                if path is None:
                    continue
                if not path.startswith("../"):
                    child.attrSet(attribute, file_url(path, href))
                files.setdefault((path, line), FileLink(path, line))
    return list(reports.values()), list(files.values())
