"""Read what an existing Markdown postmortem states, for ``pmkb import``.

The text is parsed once with the build's Markdown parser. The tokens give
the first H1 heading (the title) and the sentences and column headers that
name the zone of the times ("All times in CET", "Time (UTC)"). They also
give ``Label: value`` lines such as "Severity: High" or "Time to
detection: 54 minutes" in paragraphs, list items and two-column tables,
and the first sentence of the Impact and Root Cause sections. Timeline and action item sections are
not searched for labels, because their entries often start with words like
"Detection:" or "Owner:" that describe one event, not the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it.token import Token

from generator.body import section_kind
from generator.markdown import markdown_parser

# Labels people write before a value, normalised to lower case, and the
# field each one states.
_LABELS = {
    "severity": ("severity", "sev", "severity level", "incident severity", "priority", "incident priority"),
    "category": ("category", "root cause category", "cause category", "incident category"),
    "time_to_detect": ("time to detection", "time to detect", "ttd", "detection time", "time to discovery"),
    "time_to_recover": ("time to recovery", "time to recover", "ttr", "time to resolution", "time to resolve", "recovery time", "time to restore"),
    "time_to_mitigate": ("time to mitigation", "time to mitigate", "ttm"),
    "duration": ("duration", "incident duration", "outage duration", "total duration", "downtime", "impact duration"),
    "date": ("date", "incident date", "date of incident"),
    "started": ("started", "start time", "start", "impact start", "incident start", "started at"),
    "detected": ("detected", "detected at", "detection at"),
    "mitigated": ("mitigated", "mitigated at"),
    "resolved": ("resolved", "resolved at", "end time", "ended", "recovered at"),
    "impact": ("impact", "customer impact", "user impact", "business impact"),
    "root_cause": ("root cause", "root cause summary"),
    "services": ("services", "service", "affected services", "affected service", "services affected", "systems affected", "affected systems"),
    "tags": ("tags", "labels", "keywords"),
    "authors": ("author", "authors", "written by", "report author", "postmortem owner"),
    "trigger": ("trigger",),
    "users_affected": ("users affected", "affected users", "customers affected", "number of users affected"),
    "timezone": ("timezone", "time zone"),
}  # fmt: skip
_FIELD_BY_LABEL = {label: name for name, labels in _LABELS.items() for label in labels}

_MARKUP = "*_`~ "
_FACT = re.compile(
    r"^[\s*_]*(?P<label>[A-Za-z][A-Za-z0-9 ()/'-]{0,40}?)[\s*_]*:[\s*_]*(?P<value>\S.*?)\s*$"
)
# A zone as people write it: an offset from UTC, an IANA name or an
# upper-case abbreviation such as CET.
_ZONE = (
    r"(?P<zone>(?:UTC|GMT)\s*[+\-−]\s*\d{1,2}(?::?\d{2})?"
    r"|[A-Z][A-Za-z_]+/[A-Za-z_+\-]+(?:/[A-Za-z_]+)?"
    r"|[A-Z]{2,5}\b)"
)
_ZONE_STATEMENTS = (
    # "All times in CET", "Times are UTC", "Date and Time in CET"
    re.compile(
        r"(?i:\btimes?(?:tamps?)?\s+(?:(?:are|is)\s+(?:(?:shown|given|listed|written|stated)\s+)?(?:in\s+)?"
        r"|(?:shown\s+|given\s+|listed\s+|written\s+)?in\s+)(?:the\s+)?)" + _ZONE
    ),
    # "Time (UTC)", "Time [CET]"
    re.compile(r"(?i:\btimes?(?:tamps?)?\s*)[(\[]\s*" + _ZONE + r"\s*[)\]]"),
    # "Timezone: UTC"
    re.compile(r"(?i:\btime\s*zone\s*:\s*)" + _ZONE),
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
_SKIPPED_KINDS = ("timeline", "action-items")


@dataclass(frozen=True)
class Fact:
    """A ``Label: value`` line: the field it states, as written, and its line."""

    field: str
    label: str
    value: str
    line: int


@dataclass(frozen=True)
class ZoneStatement:
    """Text that names the zone of the report's times, and its line."""

    quote: str
    zone: str
    line: int


@dataclass(frozen=True)
class Sentence:
    """The first sentence of a section, and its line."""

    text: str
    line: int


@dataclass
class ScannedText:
    """The title, zones, labelled values and sentences that a report's text states."""

    text: str
    title: str = ""
    # Lines to remove with the H1, as 0-based indexes [first, end).
    title_lines: tuple[int, int] = (0, 0)
    zones: list[ZoneStatement] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    sentences: dict[str, Sentence] = field(default_factory=dict)

    def facts_for(self, name: str) -> list[Fact]:
        """Return the facts that state one field, in the order written."""
        return [fact for fact in self.facts if fact.field == name]

    def body(self) -> str:
        """Return the text without the H1 heading and the blank lines after it."""
        first, end = self.title_lines
        if first == end:
            return self.text
        lines = self.text.split("\n")
        return "\n".join(lines[:first] + lines[end:])

    def removed_before(self, line: int) -> int:
        """Return how many lines above 1-based ``line`` the H1 removal takes away."""
        first, end = self.title_lines
        return end - first if line > end else 0


def plain(text: str) -> str:
    """Strip emphasis and code markers from the ends of a value and squeeze spaces."""
    return " ".join(text.strip(_MARKUP).split()).strip(_MARKUP)


def label_field(label: str) -> str:
    """Return the field that a label states, or '' when pmkb has no use for it."""
    words = re.sub(r"\s*\([^)]*\)\s*$", "", label.strip(_MARKUP + ":")).lower()
    return _FIELD_BY_LABEL.get(" ".join(words.split()), "")


def inline_text(inline: Token) -> str:
    """Return an inline token's text without Markdown markup (links keep their text)."""
    parts = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


def _title(tokens: list[Token], lines: list[str]) -> tuple[str, tuple[int, int]]:
    """Return the first H1's plain text and the lines it and its blank tail take."""
    heading = next((t for t in tokens if t.type == "heading_open"), None)
    if heading is None or heading.tag != "h1" or heading.map is None:
        return "", (0, 0)
    title = inline_text(tokens[tokens.index(heading) + 1])
    first, end = heading.map
    while end < len(lines) and not lines[end].strip():
        end += 1
    return " ".join(title.split()), (first, end)


def _zones_in(text: str, line: int) -> list[ZoneStatement]:
    found = []
    for pattern in _ZONE_STATEMENTS:
        for match in pattern.finditer(text):
            found.append(ZoneStatement(plain(text), match.group("zone"), line))
    return found


def _fact_in(text: str, line: int) -> Fact | None:
    match = _FACT.match(text)
    if not match:
        return None
    name = label_field(match.group("label"))
    value = plain(match.group("value"))
    if not name or not value:
        return None
    return Fact(name, plain(match.group("label")), value, line)


def _row_cells(tokens: list[Token], start: int) -> list[Token]:
    cells = []
    for token in tokens[start + 1 :]:
        if token.type == "tr_close":
            break
        if token.type == "inline":
            cells.append(token)
    return cells


def _first_sentence(tokens: list[Token], heading_index: int) -> Sentence | None:
    """Return the first sentence of the paragraph right after a heading."""
    following = tokens[heading_index + 3 : heading_index + 5]
    if len(following) < 2 or following[0].type != "paragraph_open":
        return None
    inline = following[1]
    text = " ".join(inline_text(inline).split())
    first = _SENTENCE_END.split(text, maxsplit=1)[0].rstrip(".").strip()
    line = (inline.map[0] if inline.map else 0) + 1
    return Sentence(first, line) if first else None


class _Scanner:
    """Walks the tokens once, keeping track of the section each one is in."""

    def __init__(self, tokens: list[Token], result: ScannedText):
        self.tokens = tokens
        self.result = result
        self.kind = ""

    def run(self) -> None:
        for index, token in enumerate(self.tokens):
            if token.type == "heading_open":
                self.heading(index, token)
            elif token.type == "tr_open":
                self.table_row(index, token)
            elif token.type == "inline" and self.tokens[index - 1].type in (
                "paragraph_open",
                "th_open",
            ):
                self.paragraph(token)

    def heading(self, index: int, token: Token) -> None:
        title = self.tokens[index + 1].content
        if int(token.tag[1]) <= 2:
            self.kind = section_kind(title)
        if (
            self.kind in ("impact", "root-cause")
            and self.kind not in self.result.sentences
        ):
            sentence = _first_sentence(self.tokens, index)
            if sentence:
                self.result.sentences[self.kind] = sentence

    def paragraph(self, token: Token) -> None:
        first_line = (token.map[0] if token.map else 0) + 1
        for offset, text in enumerate(token.content.split("\n")):
            line = first_line + offset
            self.result.zones.extend(_zones_in(text, line))
            if self.kind in _SKIPPED_KINDS:
                continue
            fact = _fact_in(text, line)
            if fact:
                self.result.facts.append(fact)

    def table_row(self, index: int, token: Token) -> None:
        if self.kind in _SKIPPED_KINDS:
            return
        cells = _row_cells(self.tokens, index)
        if len(cells) != 2:
            return
        line = (token.map[0] if token.map else 0) + 1
        name = label_field(cells[0].content)
        value = plain(cells[1].content)
        if name and value:
            label = plain(cells[0].content).rstrip(":")
            self.result.facts.append(Fact(name, label, value, line))


def scan_text(text: str) -> ScannedText:
    """Read the title, stated zones, labelled values and key sentences of a report."""
    tokens = markdown_parser().parse(text, {})
    result = ScannedText(text=text)
    result.title, result.title_lines = _title(tokens, text.split("\n"))
    _Scanner(tokens, result).run()
    return result
