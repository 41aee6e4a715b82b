"""Links from a report's body to another report's Markdown file or to a file.

Postmortem collections kept in git link reports by file name, as a Git host
shows them: ``[PM2019-009](PM2019-009%20-%20IP%20starvation.md)``. The site
has no ``.md`` files, so such a link is rewritten to the other report's page,
``../<id>/``. The link is also recorded, so that the check of the whole
collection can report a link to a report, or to an anchor in it, that does
not exist.

Images and other files next to the reports, such as
``![Latency](img/latency.png)``, are published under ``files/`` at their
path in the content folder, so such a link becomes
``../files/2025/img/latency.png`` and the build copies the file.

Raw HTML ``<a href>`` and ``<img src>`` tags are rewritten in the same way,
because ``<img>`` is how Markdown authors set an image's width.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Mapping
from html import escape, unescape
from pathlib import PurePosixPath
from urllib.parse import quote, unquote, urlsplit

from markdown_it.token import Token

from generator.errors import Level, Problem
from generator.model import FileLink, Postmortem, ReportLink
from generator.validate import make_id
from generator.vocabulary import did_you_mean

# The site folder that contains the files the reports link to.
FILES_FOLDER = "files"

# Ids that every report page has, whatever its content: the title and the
# main element of the default theme.
PAGE_IDS = ("top", "main")

# Text in which a tag is only text: a comment, or the content of an element
# that browsers read as raw text. An unclosed one runs to the end.
_INERT_HTML = re.compile(
    r"<!--.*?(?:-->|\Z)|<(script|style|textarea)\b.*?(?:</\1\s*>|\Z)",
    re.IGNORECASE | re.DOTALL,
)
_LINK_TAG = re.compile(r"<(a|img)(?=[\s/>])", re.IGNORECASE)
# One attribute of a start tag, parsed as browsers do: the name ends at
# whitespace, '/', '>' or '=', and an unquoted value ends at whitespace or '>'.
_ATTRIBUTE = re.compile(
    r"""[\s/]*([^\s"'>/=][^\s>/=]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?"""
)
_ID = re.compile(r'<[a-zA-Z][^<>]*?\sid="([^"]*)"')


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
    """Return the URL of a published file from a report's page, keeping the
    query and the fragment."""
    parts = urlsplit(href)
    url = f"../{FILES_FOLDER}/{quote(path)}"
    url += f"?{parts.query}" if parts.query else ""
    return url + (f"#{parts.fragment}" if parts.fragment else "")


def report_url(report_id: str, href: str) -> str:
    """Return the URL of a report's page from another report's page, keeping the fragment."""
    fragment = urlsplit(href).fragment
    return f"../{report_id}/" + (f"#{fragment}" if fragment else "")


def page_anchors(postmortem: Postmortem, has_related: bool) -> set[str]:
    """Return the ids of a report's page: the body's, the action items' and the page's own.

    NOTE: the ids come from the default theme's report page, so a theme that
    overrides that template may add ids that a link check does not know.
    """
    anchors = {unescape(anchor) for anchor in _ID.findall(postmortem.body_html)}
    anchors.update(PAGE_IDS)
    anchors.update(item.anchor for item in postmortem.action_items)
    if postmortem.action_items:
        anchors.add("action-items-table")
    if postmortem.summary:
        anchors.add("summary-front")
    if has_related:
        anchors.add("related-heading")
    return anchors


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


class _LinkRewriter:
    """Rewrites the links of one body and records each target once per line."""

    def __init__(self, source_path: str) -> None:
        self.source_path = source_path
        self.reports: dict[tuple[str, str, int], ReportLink] = {}
        self.files: dict[tuple[str, int], FileLink] = {}

    def rewrite(self, href: str, attribute: str, line: int) -> str | None:
        """Record a link and return its URL on the site, or None to keep it as written."""
        target = linked_report(href) if attribute == "href" else None
        if target is not None:
            fragment = unquote(urlsplit(href).fragment)
            key = (target[0], fragment, line)
            link = ReportLink(target[0], target[1], line, fragment)
            self.reports.setdefault(key, link)
            return report_url(target[0], href)
        path = linked_file(href, self.source_path)
        if path is None:
            return None
        self.files.setdefault((path, line), FileLink(path, line))
        return None if path.startswith("../") else file_url(path, href)

    def rewrite_inline(self, token: Token, references: dict, body_line: int) -> None:
        """Rewrite the links, images and raw HTML tags of one inline token."""
        paragraph_line = token.map[0] if token.map else 0
        offset = 0
        for child in token.children or []:
            if child.type in ("softbreak", "hardbreak"):
                offset += 1
            elif child.type == "html_inline":
                line = body_line + paragraph_line + offset
                offset += child.content.count("\n")
                child.content = self.rewrite_html(child.content, line)
            elif child.type in ("link_open", "image"):
                attribute = "href" if child.type == "link_open" else "src"
                href = str(child.attrs.get(attribute, ""))
                line = _link_line(child, paragraph_line, offset, references)
                url = self.rewrite(href, attribute, body_line + line)
                if url is not None:
                    child.attrSet(attribute, url)

    def rewrite_html(self, html: str, line: int) -> str:
        """Rewrite ``href`` of ``<a>`` and ``src`` of ``<img>`` in raw HTML
        that starts on a line, changing no other byte."""
        if _LINK_TAG.search(html) is None:
            return html
        inert = [match.span() for match in _INERT_HTML.finditer(html)]
        edits: list[tuple[int, int, str]] = []
        for tag in _LINK_TAG.finditer(html):
            if any(start <= tag.start() < end for start, end in inert):
                continue
            attribute = "href" if tag.group(1).lower() == "a" else "src"
            value = _attribute_span(html, tag.end(), attribute)
            if value is None:
                continue
            start, end = value
            raw = html[start:end]
            quoted = len(raw) > 1 and raw[0] in "'\"" and raw[-1] == raw[0]
            href = unescape(raw[1:-1] if quoted else raw)
            value_line = line + html.count("\n", 0, start)
            url = self.rewrite(href, attribute, value_line)
            if url is not None:
                mark = raw[0] if quoted else '"'
                edits.append((start, end, f"{mark}{escape(url)}{mark}"))
        for start, end, text in reversed(edits):
            html = html[:start] + text + html[end:]
        return html


def _attribute_span(html: str, position: int, name: str) -> tuple[int, int] | None:
    """Return where the value of a tag's first attribute of a name sits, quotes
    included, reading the tag's attributes from a position up to its '>'."""
    while True:
        match = _ATTRIBUTE.match(html, position)
        if match is None:
            return None
        if match.group(1).lower() == name:
            return match.span(2) if match.group(2) else None
        position = match.end()


def rewrite_links(
    tokens: list[Token], env: dict, body_line: int, source_path: str
) -> tuple[list[ReportLink], list[FileLink]]:
    """Point body links to other reports' ``.md`` files at their pages, and
    links and images to other files at their published copies; return both.

    Raw HTML ``<a href>`` and ``<img src>`` count as links and images. Each
    link is returned once per target, fragment and line, with the line
    counted in the whole file (``body_line`` is the file line of the body's
    first line).
    NOTE: a line inside a paragraph is counted from its soft and hard breaks,
    so a code span that wraps a line puts later links one line too early.
    """
    references = env.get("references", {})
    rewriter = _LinkRewriter(source_path)
    for token in tokens:
        if token.type == "inline":
            rewriter.rewrite_inline(token, references, body_line)
        elif token.type == "html_block":
            line = body_line + (token.map[0] if token.map else 0)
            token.content = rewriter.rewrite_html(token.content, line)
    return list(rewriter.reports.values()), list(rewriter.files.values())


def _warning(postmortem: Postmortem, line: int, message: str, hint: str) -> Problem:
    return Problem(postmortem.source_path, line, 1, Level.WARNING, message, hint)


def _link_hint(path: str, by_id: dict[str, Postmortem]) -> str:
    file_names = sorted(PurePosixPath(p.source_path).name for p in by_id.values())
    suggestion = did_you_mean(PurePosixPath(path).name, file_names)
    return (
        "fix the file name, or use a full URL for a file that is not a postmortem. "
        + suggestion[:1].upper()
        + suggestion[1:]
    )


def check_report_links(
    published: list[Postmortem],
    by_id: dict[str, Postmortem],
    aliases: dict[str, str],
    related: Mapping[str, list[tuple[Postmortem, str]]],
    problems: list[Problem],
    known_ids: set[str],
) -> None:
    """Report body links to a ``.md`` file of no report or of a draft left out
    of the site, and fragments that name no anchor of the linked page.

    A link to an alias needs no change, because every alias of a published
    report gets a page that redirects to the report, keeping the fragment,
    and its fragment is checked against that report.
    """
    published_ids = {p.id for p in published}
    anchors: dict[str, set[str]] = {}
    for postmortem in published:
        for link in postmortem.report_links:
            target = aliases.get(link.target_id, link.target_id)
            if target in published_ids:
                _check_fragment(
                    postmortem, link, by_id[target], related, anchors, problems
                )
                continue
            if target in by_id:
                message = f"linked postmortem '{link.path}' is a draft and is left out of the site"
                hint = "build with --drafts to include it"
            elif target in known_ids:
                continue  # The file failed to load and its errors are reported.
            else:
                message = f"link to '{link.path}' matches no postmortem"
                hint = _link_hint(link.path, by_id)
            problems.append(_warning(postmortem, link.line, message, hint))


def _check_fragment(
    postmortem: Postmortem,
    link: ReportLink,
    target: Postmortem,
    related: Mapping[str, list[tuple[Postmortem, str]]],
    anchors: dict[str, set[str]],
    problems: list[Problem],
) -> None:
    """Report a link whose fragment is no id of the linked report's page."""
    # After ':~:' a browser finds text on the page, not an element by id.
    # '#top' leads to the top of any page, even one without that id.
    anchor = link.fragment.split(":~:", 1)[0]
    if not anchor or anchor.lower() == "top":
        return
    if target.id not in anchors:
        anchors[target.id] = page_anchors(target, bool(related.get(target.id)))
    if anchor in anchors[target.id]:
        return
    message = f"link to '{link.path}#{link.fragment}' names no place in that postmortem"
    hint = _anchor_hint(anchor, target, anchors[target.id])
    problems.append(_warning(postmortem, link.line, message, hint))


def _anchor_hint(anchor: str, target: Postmortem, anchors: set[str]) -> str:
    close = difflib.get_close_matches(anchor, sorted(anchors), n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    examples = [heading.anchor for heading in target.headings[:2]]
    examples += [entry.anchor for entry in target.timeline[:1]]
    examples += [item.anchor for item in target.action_items[:1]]
    quoted = [f"'{example}'" for example in examples or ["top"]]
    listed = (
        ", ".join(quoted[:-1]) + " and " + quoted[-1] if len(quoted) > 1 else quoted[0]
    )
    return (
        f"anchors of that page include {listed}. A heading's anchor is its text "
        "in lower case with '-' between words, and a timeline entry's is 't-' "
        "and its time, like 't-0302'"
    )
