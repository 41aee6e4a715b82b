"""Render a postmortem's body and read the sections pmkb understands.

The body is parsed once into markdown-it tokens. Timeline entries and action
items are read from those tokens, get stable ids and link buttons, and then
the same tokens are rendered and sanitised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from html import escape

from markdown_it.token import Token
from slugify import slugify

from generator.actions import parse_item
from generator.errors import Level, Problem
from generator.fastparse import parse_tokens
from generator.links import rewrite_links
from generator.markdown import OWN_HTML, markdown_parser, render_tokens
from generator.model import (
    ActionItem,
    FileLink,
    Heading,
    ReportLink,
    Section,
    TimelineEntry,
)
from generator.timeline import (
    Stamp,
    TimelineClock,
    anchor_for,
    impossible_stamp,
    parse_cell,
    parse_list_entry,
    strip_stamp,
)

SECTION_KINDS = {
    "summary": ("summary", "overview", "executive summary", "tl;dr", "tldr", "incident summary", "description"),
    "impact": ("impact", "customer impact", "user impact"),
    "timeline": ("timeline", "incident timeline", "sequence of events", "chronology", "timeline of events"),
    "root-cause": ("root cause", "root causes", "root cause analysis", "cause", "causes", "rca"),
    "five-whys": ("5 whys", "five whys", "5 why", "the 5 whys", "the five whys"),
    "contributing-factors": ("contributing factors", "contributing factor", "contributing factors (findings)"),
    "resolution": ("resolution", "resolution and recovery", "recovery", "mitigation", "remediation", "fix", "how it was fixed"),
    "detection": ("detection", "how it was detected"),
    "action-items": ("action items", "actions", "action plan", "follow-up", "follow-ups", "follow up", "follow-up actions", "corrective actions", "next steps", "remediation items", "todo"),
    "lessons-learned": ("lessons learned", "lessons", "learnings", "what we learned", "takeaways", "lessons learnt"),
    "what-went-well": ("what went well",),
    "what-went-wrong": ("what went wrong", "what didn't go well", "what went badly"),
}  # fmt: skip


def _normalise_title(title: str) -> str:
    text = re.sub(r"^\s*\d+(\.\d+)*[.)]\s+", "", title.lower())
    return re.sub(r"\s+", " ", re.sub(r"[^\w;' ()]+", " ", text)).strip()


_KIND_BY_TITLE = {
    _normalise_title(title): kind
    for kind, titles in SECTION_KINDS.items()
    for title in titles
}


def section_kind(title: str) -> str:
    """Return the kind of a section from its heading, or '' when unknown."""
    return _KIND_BY_TITLE.get(_normalise_title(title), "")


@dataclass
class Body:
    """The rendered body and what was read from it."""

    html: str
    headings: list[Heading] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    action_items: list[ActionItem] = field(default_factory=list)
    report_links: list[ReportLink] = field(default_factory=list)
    file_links: list[FileLink] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class _BodyReader:
    def __init__(self, path: str, body_line: int, tokens: list[Token], env: dict):
        self.path = path
        self.body_line = body_line
        self.tokens = tokens
        self.env = env
        self.used_ids: set[str] = set()
        self.problems: list[Problem] = []

    def line(self, token: Token) -> int:
        return (token.map[0] if token.map else 0) + self.body_line

    def unique(self, base: str) -> str:
        anchor, number = base, 2
        while anchor in self.used_ids:
            anchor = f"{base}-{number}"
            number += 1
        self.used_ids.add(anchor)
        return anchor

    def headings(self) -> list[tuple[int, int, Heading]]:
        """Return (token index, end index, heading) for every heading."""
        found = []
        for index, token in enumerate(self.tokens):
            if token.type == "heading_open":
                title = self.tokens[index + 1].content.strip()
                anchor = str(token.attrs.get("id", ""))
                self.used_ids.add(anchor)
                found.append((index, Heading(int(token.tag[1]), title, anchor)))
        result = []
        for position, (index, heading) in enumerate(found):
            end = len(self.tokens)
            for later_index, later in found[position + 1 :]:
                if later.level <= heading.level:
                    end = later_index
                    break
            result.append((index, end, heading))
        return result

    def top_items(self, start: int, end: int, kinds: tuple[str, ...]) -> list[int]:
        """Return indexes of the outermost tokens of the given types in a range."""
        levels = [t.level for t in self.tokens[start:end] if t.type in kinds]
        if not levels:
            return []
        top = min(levels)
        return [
            i
            for i in range(start, end)
            if self.tokens[i].type in kinds and self.tokens[i].level == top
        ]

    def first_inline(self, index: int) -> Token | None:
        for position in range(index + 1, len(self.tokens)):
            token = self.tokens[position]
            if token.type == "inline":
                return token
            if token.type in ("list_item_close", "tr_close"):
                return None
        return None

    def row_cells(self, index: int) -> list[Token]:
        cells = []
        # Indexes, not a slice: a slice would copy the rest of the body per row.
        for position in range(index + 1, len(self.tokens)):
            token = self.tokens[position]
            if token.type == "tr_close":
                break
            if token.type == "inline":
                cells.append(token)
        return cells

    def read_timeline(
        self, start: int, end: int, zone: tzinfo, started: datetime | None
    ) -> list[TimelineEntry]:
        candidates: list[tuple[int, Stamp, Token, str]] = []
        for index in self.top_items(start, end, ("list_item_open",)):
            inline = self.first_inline(index)
            stamp = parse_list_entry(inline.content) if inline else None
            if inline and stamp:
                candidates.append((index, stamp, inline, stamp.rest))
            elif inline:
                self.check_stamp(index, inline.content, cell=False)
        for index in range(start, end):
            if (
                self.tokens[index].type != "tr_open"
                or self.tokens[index - 1].type == "thead_open"
            ):
                continue
            cells = self.row_cells(index)
            stamp = parse_cell(cells[0].content) if cells else None
            if cells and not stamp:
                self.check_stamp(index, cells[0].content, cell=True)
            if stamp:
                text = " — ".join(
                    c.content.strip() for c in cells[1:] if c.content.strip()
                )
                candidates.append((index, stamp, cells[0], text))
        candidates.sort(key=lambda candidate: candidate[0])

        clock = TimelineClock(zone, started)
        moments = [clock.resolve(stamp) for _, stamp, _, _ in candidates]
        days = {moment.date() for moment in moments if moment}
        entries = []
        for (index, stamp, inline, text), moment in zip(
            candidates, moments, strict=True
        ):
            anchor = self.unique(anchor_for(stamp, moment, len(days) > 1))
            opener = self.tokens[index]
            opener.attrSet("id", anchor)
            opener.attrJoin("class", "timeline-entry")
            self.mark_time(index, inline, stamp, moment, anchor)
            entries.append(
                TimelineEntry(anchor, text, moment, stamp.text, self.line(opener))
            )
        containers = self.containers(start, end)
        for index in {containers.get(index, index) for index, *_ in candidates}:
            self.tokens[index].attrJoin("class", "timeline")
        return entries

    def check_stamp(self, index: int, text: str, cell: bool) -> None:
        """Warn about an entry that starts with a date or time that cannot be."""
        impossible = impossible_stamp(text, cell)
        if impossible:
            message = (
                f"invalid date or time '{impossible}' at the start of a timeline entry"
            )
            hint = "write the time as HH:MM, from 00:00 to 23:59, and the date as YYYY-MM-DD"
            line = self.line(self.tokens[index])
            self.problems.append(
                Problem(self.path, line, 1, Level.WARNING, message, hint)
            )

    def containers(self, start: int, end: int) -> dict[int, int]:
        """Map each list item and table row in a range to the list or table that holds it."""
        kinds = ("bullet_list_open", "ordered_list_open", "table_open")
        open_blocks: list[int] = []
        found = {}
        for index in range(start, end):
            token = self.tokens[index]
            if token.type in kinds:
                open_blocks.append(index)
            elif (
                token.type in ("bullet_list_close", "ordered_list_close", "table_close")
                and open_blocks
            ):
                open_blocks.pop()
            elif token.type in ("list_item_open", "tr_open") and open_blocks:
                found[index] = open_blocks[-1]
        return found

    def mark_time(
        self,
        index: int,
        inline: Token,
        stamp: Stamp,
        moment: datetime | None,
        anchor: str,
    ) -> None:
        """Wrap the entry's time in <time> and add a link button."""
        stamp_text = escape(stamp.text)
        if moment:
            time_html = f'<time class="entry-time" datetime="{moment.isoformat()}">{stamp_text}</time>'
        else:
            time_html = f'<span class="entry-time">{stamp_text}</span>'
        link = _own_html(
            f' <a class="anchor-link" href="#{escape(anchor)}" aria-label="Link to this entry">#</a>'
        )
        time_token = _own_html(time_html)
        opener = self.tokens[index]
        if opener.type == "list_item_open":
            rest_tokens = strip_stamp(inline.children or [], stamp)
            if rest_tokens is None:
                parsed = markdown_parser().parseInline(stamp.rest, self.env)
                rest_tokens = parsed[0].children or []
            space = Token("text", "", 0)
            space.content = " "
            inline.children = [time_token, space, *rest_tokens, link]
        else:
            inline.children = [time_token]
            cells = self.row_cells(index)
            cells[-1].children = [*(cells[-1].children or []), link]

    def read_action_items(
        self, start: int, end: int, reference: date | None
    ) -> list[ActionItem]:
        items = []
        group = ""
        targets = set(self.top_items(start + 3, end, ("list_item_open",)))
        for index in range(start + 3, end):
            token = self.tokens[index]
            if token.type == "heading_open":
                group = self.tokens[index + 1].content.strip()
            if index not in targets:
                continue
            inline = self.first_inline(index)
            if inline is None or not inline.content.strip():
                continue
            checked = None
            children = inline.children or []
            if (
                children
                and children[0].type == "html_inline"
                and "task-list-item-checkbox" in children[0].content
            ):
                checked = "checked" in children[0].content
            parsed = parse_item(inline.content, checked, reference)
            line = self.line(token)
            if parsed.invalid:
                self.problems.append(
                    Problem(
                        self.path,
                        line,
                        1,
                        Level.WARNING,
                        parsed.invalid,
                        "write dates as YYYY-MM-DD and status as open, in-progress, done or wont-do",
                    )
                )
            anchor = self.unique(
                "action-"
                + (slugify(parsed.task, max_length=48, word_boundary=True) or "item")
            )
            token.attrSet("id", anchor)
            token.attrJoin("class", "action-item")
            link = _own_html(
                f' <a class="anchor-link" href="#{escape(anchor)}" aria-label="Link to this action item">#</a>'
            )
            inline.children = [*children, link]
            items.append(
                ActionItem(
                    anchor=anchor,
                    task=parsed.task,
                    owner=parsed.owner,
                    due=parsed.due,
                    done_on=parsed.done_on,
                    status=parsed.status or "open",
                    group=group,
                    source="body",
                    line=line,
                )
            )
        return items


def _plain_text(tokens: list[Token]) -> str:
    return "\n".join(
        t.content for t in tokens if t.type in ("inline", "fence", "code_block")
    )


def _demote_headings(tokens: list[Token]) -> None:
    """Turn every heading one level down when the body uses level 1, which
    belongs to the page's title: ``# Stats`` becomes an h2, ``##`` an h3."""
    kinds = ("heading_open", "heading_close")
    if not any(t.type == "heading_open" and t.tag == "h1" for t in tokens):
        return
    for token in tokens:
        if token.type in kinds:
            token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"


def _own_html(content: str) -> Token:
    """Return an HTML token of pmkb's own, whose values are escaped here."""
    token = Token("html_inline", "", 0, meta={OWN_HTML: True})
    token.content = content
    return token


def read_body(
    text: str,
    path: str,
    body_line: int,
    title: str,
    zone: tzinfo,
    started: datetime | None,
) -> Body:
    """Render a body and read its headings, sections, timeline, action items and report links."""
    env: dict = {}
    tokens = parse_tokens(text, env)
    if (
        len(tokens) >= 3
        and tokens[0].type == "heading_open"
        and tokens[0].tag == "h1"
        and tokens[1].content.strip().lower() == title.strip().lower()
    ):
        tokens = tokens[3:]  # The page shows the title already.
    _demote_headings(tokens)
    reader = _BodyReader(path, body_line, tokens, env)
    found = reader.headings()

    body = Body(html="")
    reference = started.astimezone(zone).date() if started else None
    for index, end, heading in found:
        body.headings.append(heading)
        kind = section_kind(heading.title)
        if not kind:
            continue
        body.sections.append(
            Section(
                heading.title,
                kind,
                reader.line(tokens[index]),
                _plain_text(tokens[index + 3 : end]),
                heading.anchor,
            )
        )
        if kind == "timeline":
            body.timeline.extend(reader.read_timeline(index + 3, end, zone, started))
        elif kind == "action-items":
            body.action_items.extend(reader.read_action_items(index, end, reference))
    body.report_links, body.file_links = rewrite_links(tokens, env, body_line, path)
    body.html = render_tokens(tokens, env)
    body.problems = reader.problems
    return body
