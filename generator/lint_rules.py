"""The quality rules of ``pmkb check``: what a reviewer asks of a postmortem.

Each rule reads one loaded postmortem and the lines of its file, and yields
findings with a line, a message and a hint. ``generator.lint`` runs them and
gives each finding the level set for its rule in ``kb.toml``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from generator.model import ActionItem, Postmortem, Section


@dataclass(frozen=True)
class Finding:
    """One thing a rule asks to change, at one place in the file."""

    line: int
    message: str
    hint: str
    column: int = 1


@dataclass
class Subject:
    """A postmortem and its file's lines, with code blocks and spans blanked."""

    postmortem: Postmortem
    lines: list[str]
    # Fields that kb.toml gives a level, so validation reports them already.
    configured_fields: frozenset[str] = frozenset()
    # Fields reported when missing, as "required" or "recommended".
    field_kinds: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    """A rule's id, what it asks for, and the function that checks it."""

    id: str
    summary: str
    check: Callable[[Subject], Iterator[Finding]]


# Sections every report should have, with the hint for a missing one.
REQUIRED_SECTIONS = {
    "summary": ("Summary", "add a '## Summary' of what happened, who was affected and how it ended, or a summary: field"),
    "timeline": ("Timeline", "add a '## Timeline' with one '- YYYY-MM-DD HH:MM — event' entry per line"),
    "root-cause": ("Root Cause", "add a '## Root Cause' that names the direct, fundamental and system causes"),
    "resolution": ("Resolution", "add a '## Resolution' on how the impact was ended and the fault fixed"),
    "lessons-learned": ("Lessons Learned", "add a '## Lessons Learned' with what the team now knows"),
}  # fmt: skip
# The two most severe levels of the scale should also have a 5 Whys section.
FIVE_WHYS_MAX_RANK = 2

# Fields that validation leaves alone unless kb.toml gives them a level.
CHECKED_FIELDS = {
    "root_cause.summary": "add root_cause: summary: one line on why it happened",
    "authors": "list the names of the people who wrote the report in authors:, so readers know whom to ask",
}


# A level is named as "direct cause", or as a label such as "Direct:".
_LEVELS = {
    "direct": re.compile(
        r"\b(?:direct|proximate|immediate|technical|trigger(?:ing)?)(?:\s+causes?\b|\s*:)",
        re.IGNORECASE,
    ),
    "fundamental": re.compile(
        r"\b(?:fundamental|underlying|deeper|root)(?:\s+causes?\b|\s*:)", re.IGNORECASE
    ),
    "system": re.compile(
        r"\b(?:system(?:ic)?|organi[sz]ational|process|latent)(?:\s+causes?\b|\s*:)"
        r"|\bcontributing\s+factors?\b",
        re.IGNORECASE,
    ),
}


def _section(postmortem: Postmortem, kind: str) -> Section | None:
    return next((s for s in postmortem.sections if s.kind == kind), None)


def cause_levels(postmortem: Postmortem) -> set[str]:
    """Return the levels of cause (direct, fundamental, system) the report names.

    Contributing factors, in front matter or in their own section, count as
    the system level.
    """
    root_cause = _section(postmortem, "root-cause")
    text = root_cause.text if root_cause else ""
    levels = {name for name, pattern in _LEVELS.items() if pattern.search(text)}
    if postmortem.contributing_factors or _section(postmortem, "contributing-factors"):
        levels.add("system")
    return levels


def has_five_whys(postmortem: Postmortem) -> bool:
    """Tell whether the report has a 5 Whys section with some text."""
    five_whys = _section(postmortem, "five-whys")
    return five_whys is not None and bool(five_whys.text.strip())


def missing_sections(subject: Subject) -> Iterator[Finding]:
    """Ask for each standard section that the body lacks."""
    postmortem = subject.postmortem
    kinds = {section.kind for section in postmortem.sections}
    for kind, (title, hint) in REQUIRED_SECTIONS.items():
        if kind in kinds or (kind == "summary" and postmortem.summary):
            continue
        yield Finding(1, f"missing section '{title}'", hint)
    # Causes named at several levels already do what the 5 Whys are for.
    severity = postmortem.severity
    if (
        severity.rank <= FIVE_WHYS_MAX_RANK
        and not has_five_whys(postmortem)
        and len(cause_levels(postmortem)) < 2
    ):
        yield Finding(
            1,
            f"missing section '5 Whys', recommended for {severity.key} reports",
            "add a '## 5 Whys' that asks why until it reaches a cause in the system",
        )


def missing_fields(subject: Subject) -> Iterator[Finding]:
    """Ask for summary fields that validation does not already check."""
    postmortem = subject.postmortem
    values = {
        "root_cause.summary": postmortem.root_cause.summary,
        "authors": postmortem.authors,
    }
    for name, hint in CHECKED_FIELDS.items():
        if values[name] or name in subject.configured_fields:
            continue
        # An empty key is pointed at, a missing one at its table or the top.
        line = postmortem.lines.get(name) or (
            postmortem.lines.get("root_cause.category", 1) if "." in name else 1
        )
        yield Finding(line, f"missing recommended field '{name}'", hint)


def _days(postmortem: Postmortem, *moments: datetime) -> int:
    """Return how many calendar days the moments and the incident touch."""
    known = [postmortem.started, postmortem.resolved, *moments]
    return len({moment.date() for moment in known if moment is not None})


def _shown(moment: datetime, dated: bool) -> str:
    return f"{moment:%Y-%m-%d %H:%M}" if dated else f"{moment:%H:%M}"


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def timeline_order(subject: Subject) -> Iterator[Finding]:
    """Ask for timeline entries in time order."""
    previous: datetime | None = None
    for entry in subject.postmortem.timeline:
        if entry.time is None:
            continue
        # In UTC, because times in one zone compare wall clocks, which repeat
        # an hour when DST ends.
        if previous is not None and _utc(entry.time) < _utc(previous):
            dated = _days(subject.postmortem, entry.time, previous) > 1
            at, before = _shown(entry.time, dated), _shown(previous, dated)
            yield Finding(
                entry.line,
                f"timeline entry at {at} is earlier than the entry before it ({before})",
                "put the entries in time order, or write the date of an entry on another day",
            )
        previous = entry.time


def timeline_window(subject: Subject) -> Iterator[Finding]:
    """Ask about timeline entries after 'resolved', once per report.

    Entries before 'started' are allowed because a timeline often begins with
    the change that caused the incident, hours or days before the impact.
    One finding at the first late entry is enough: reports often go on with
    the investigation, and each late entry would repeat the same question.
    """
    resolved = subject.postmortem.resolved
    if resolved is None:
        return
    late = [
        entry
        for entry in subject.postmortem.timeline
        if entry.time is not None and _utc(entry.time) > _utc(resolved)
    ]
    if not late:
        return
    first = late[0]
    assert first.time is not None
    # Clock times alone are ambiguous when the incident lasted several days.
    dated = _days(subject.postmortem, first.time) > 1
    at, limit = _shown(first.time, dated), _shown(resolved, dated)
    if len(late) == 1:
        message = f"timeline entry at {at} is after 'resolved' ({limit})"
    else:
        message = f"{len(late)} timeline entries are after 'resolved' ({limit}), the first at {at}"
    yield Finding(
        first.line,
        message,
        "move 'resolved' if the impact lasted longer, or move follow-up work to Resolution or Action Items",
    )


def _task(item: ActionItem) -> str:
    text = " ".join(item.task.split())
    return text if len(text) <= 60 else text[:57].rstrip() + "…"


def action_owner(subject: Subject) -> Iterator[Finding]:
    """Ask for an owner on every action item that is not dropped."""
    for item in subject.postmortem.action_items:
        if item.owner or item.status == "wont-do":
            continue
        yield Finding(
            item.line,
            f"action item has no owner: '{_task(item)}'",
            "add (Owner: team-or-person) to the item, or owner: in front matter",
        )


def action_due(subject: Subject) -> Iterator[Finding]:
    """Ask for a due date on every open or in-progress action item."""
    for item in subject.postmortem.action_items:
        if item.due or not item.is_open:
            continue
        yield Finding(
            item.line,
            f"open action item has no due date: '{_task(item)}'",
            "add (Due: YYYY-MM-DD) to the item, or due: in front matter",
        )


# Phrases that ask people to try harder instead of changing the system.
_VIGILANCE = re.compile(
    r"\b(?:be (?:more |extra |very )?(?:careful|cautious|vigilant|mindful)"
    r"|pay (?:more |closer |better |extra )?attention"
    r"|communicate (?:better|more)|(?:better|improved?|more) communication"
    r"|double[- ]check(?:s|ed|ing)?|try (?:to avoid|not to|harder)"
    r"|keep an eye on|(?:raise|increase|improve) (?:the )?awareness)\b",
    re.IGNORECASE,
)
# An item that starts by building something is concrete even if it uses one
# of those phrases, as in "Add a CI step that double checks the schema".
_MECHANISM_START = re.compile(
    r"^\s*(?:add|automate|build|create|write|introduce|implement|enable|enforce"
    r"|require|block|configure|set up|script|replace|remove)\b",
    re.IGNORECASE,
)
_MONITORING = re.compile(
    r"\b(?:monitor(?:ing)? (?:better|more(?: closely)?)"
    r"|(?:improve[ds]?|better|more|enhance[ds]?|increase[ds]?) "
    r"(?:the )?(?:monitoring|alerting|observability))\b",
    re.IGNORECASE,
)
# Signs of a concrete monitoring item: a number, a threshold or a named check.
_CONCRETE_CHECK = re.compile(
    r"\d|%|\bthreshold|\balerts? (?:on|when|if|at|for)\b|\bpage (?:on|when|if)\b"
    r"|\bdashboard|\bslos?\b|\bhealth ?checks?\b|\bprobes?\b|\bmetrics?\b",
    re.IGNORECASE,
)


def _vague_message(phrase: str, item: ActionItem) -> str:
    task = _task(item)
    if phrase.strip().lower() == task.strip().lower():
        return f"vague action item: '{task}'"
    return f"vague action item: '{phrase}' in '{task}'"


def vague_actions(subject: Subject) -> Iterator[Finding]:
    """Ask for action items that change the system, not ones that ask for care."""
    for item in subject.postmortem.action_items:
        task = item.task
        vigilance = _VIGILANCE.search(task)
        if vigilance and not _MECHANISM_START.match(task):
            yield Finding(
                item.line,
                _vague_message(vigilance.group(0), item),
                "name a change that makes the mistake impossible or visible: a check, a test, an alert, a safer default",
            )
            continue
        monitoring = _MONITORING.search(task)
        if monitoring and not _CONCRETE_CHECK.search(task):
            yield Finding(
                item.line,
                _vague_message(monitoring.group(0), item),
                "name the metric or check and when it alerts, e.g. 'alert when pool use is above 80% for 5 minutes'",
            )


def single_level_cause(subject: Subject) -> Iterator[Finding]:
    """Ask for causes at more than one level: direct, fundamental, system."""
    postmortem = subject.postmortem
    root_cause = _section(postmortem, "root-cause")
    if root_cause is None or has_five_whys(postmortem):
        return
    if len(cause_levels(postmortem)) >= 2:
        return
    yield Finding(
        root_cause.line,
        "root cause names only one level of cause",
        "name the direct cause, the fundamental cause and the system cause, or add a '## 5 Whys' section",
    )


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_TITLE_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'._/+-]*")
_FILLER = _word_set(
    "a an the of in on at for to and or with from by during after before due "
    "was were is are be been our we some it its this that as into via"
)
_GENERIC = _word_set(
    "incident incidents outage outages issue issues problem problems postmortem "
    "post-mortem failure failures error errors downtime disruption disruptions "
    "degradation degraded report review rca event events bug bugs down broken "
    "unavailable unavailability emergency major minor critical sev1 sev2 sev3 "
    "sev4 p1 p2 p3 p4"
)
_MONTHS = _word_set(
    "jan feb mar apr may jun jul aug sep sept oct nov dec january february march "
    "april june july august september october november december"
)
_DATE_LIKE = re.compile(r"^(?:\d{4}(?:[-/.]\d{1,2}){0,2}|\d{1,2}(?:st|nd|rd|th)?)$")
# Fewer words than this, beyond filler, generic words and dates, say too little.
MIN_TITLE_WORDS = 3


def title_words(title: str) -> list[str]:
    """Return the words of a title that say something about this incident."""
    words = []
    for word in _TITLE_WORD.findall(title):
        lower = word.lower().rstrip(".")
        if lower in _FILLER or lower in _GENERIC or lower in _MONTHS:
            continue
        if _DATE_LIKE.match(lower):
            continue
        words.append(lower)
    return words


def vague_title(subject: Subject) -> Iterator[Finding]:
    """Ask for a title that says what broke and how."""
    postmortem = subject.postmortem
    if len(title_words(postmortem.title)) >= MIN_TITLE_WORDS:
        return
    yield Finding(
        postmortem.lines.get("title", 1),
        f"title says little about the incident: '{postmortem.title}'",
        "say what broke, for whom and why, e.g. '2-hour checkout outage from an expired certificate'",
    )


_PLACEHOLDER = re.compile(r"\bTODO\b|\bHH:MM\b|\bYYYY-MM-DD\b")


def placeholders(subject: Subject) -> Iterator[Finding]:
    """Ask for template text to be replaced."""
    # The checked field of each line, a required one first when a line has several.
    fields: dict[int, str] = {}
    for name, line_number in subject.postmortem.lines.items():
        kind = subject.field_kinds.get(name)
        if kind and subject.field_kinds.get(fields.get(line_number, "")) != "required":
            fields[line_number] = name
    for number, line in enumerate(subject.lines, start=1):
        match = _PLACEHOLDER.search(line)
        if not match:
            continue
        name = fields.get(number, "")
        kind = subject.field_kinds.get(name)
        # Deleting the line of a checked field only trades this finding for another.
        if kind:
            hint = f"fill in the value of '{name}', which is {kind}"
        else:
            hint = "replace it with the facts of this incident, or delete the line"
        yield Finding(
            number,
            f"template text left in place: '{match.group(0)}'",
            hint,
            match.start() + 1,
        )
