"""The postmortem and its parts, as the rest of the pipeline sees them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import cached_property
from typing import Any

from generator.vocabulary import Severity


def elapsed(start: datetime | None, end: datetime | None) -> timedelta | None:
    """Return end minus start in real time, or None when either is missing.

    Both sides go through UTC first: Python subtracts two datetimes that share
    a tzinfo as wall-clock times, which is wrong across a DST change.
    """
    if start is None or end is None:
        return None
    return end.astimezone(UTC) - start.astimezone(UTC)


@dataclass(slots=True)
class RootCause:
    """The categories and a one-line summary of why the incident happened."""

    categories: list[str]
    summary: str = ""

    @property
    def category(self) -> str:
        """Return the first, main category."""
        return self.categories[0] if self.categories else "unknown"


@dataclass(slots=True)
class TimelineEntry:
    """One dated event of the incident, with a stable anchor."""

    anchor: str
    text: str
    time: datetime | None
    time_text: str
    line: int


@dataclass(slots=True)
class ActionItem:
    """One follow-up task with its owner, due date and status."""

    anchor: str
    task: str
    task_html: str = ""
    owner: str = ""
    due: date | None = None
    done_on: date | None = None
    status: str = "open"
    group: str = ""
    source: str = "body"
    line: int = 0

    @property
    def is_open(self) -> bool:
        """Tell whether the item still needs work."""
        return self.status in ("open", "in-progress")

    def is_overdue(self, today: date) -> bool:
        """Tell whether the item is open and past its due date."""
        return self.is_open and self.due is not None and self.due < today


@dataclass(slots=True)
class Section:
    """A level-two section of the body: its heading, kind, line and plain text."""

    title: str
    kind: str
    line: int
    text: str
    anchor: str


@dataclass(slots=True)
class ReportLink:
    """A link in a body to another report's Markdown file."""

    target_id: str
    path: str  # as written in the link, percent-decoded, without the fragment
    line: int
    fragment: str = ""  # the anchor after '#', percent-decoded, or '' for none


@dataclass(slots=True)
class FileLink:
    """A link or image in a body that names a file of the content folder."""

    path: str  # from the content folder, normalised; '../' when it leads out
    line: int


@dataclass(slots=True)
class Heading:
    """A heading of the body, for the table of contents."""

    level: int
    title: str
    anchor: str


@dataclass
class Postmortem:
    """One incident report, validated and rendered."""

    id: str
    source_path: str
    title: str
    severity: Severity
    status: str
    timezone: tzinfo
    impact: str
    root_cause: RootCause
    started: datetime | None = None
    detected: datetime | None = None
    mitigated: datetime | None = None
    resolved: datetime | None = None
    summary: str = ""
    users_affected: int | None = None
    trigger: str = ""
    contributing_factors: list[str] = field(default_factory=list)
    services: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    action_items: list[ActionItem] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    body_html: str = ""
    summary_html: str = ""
    fingerprint: str = ""
    headings: list[Heading] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    report_links: list[ReportLink] = field(default_factory=list)
    file_links: list[FileLink] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)

    @cached_property
    def date(self) -> date | None:
        """Return the local date the incident started, or was detected or resolved."""
        moment = self.started or self.detected or self.resolved
        return moment.date() if moment else None

    @cached_property
    def sort_time(self) -> datetime:
        """Return the moment used to order reports, oldest first."""
        moment = self.started or self.detected or self.resolved
        return moment.astimezone(UTC) if moment else datetime.min.replace(tzinfo=UTC)

    @property
    def time_to_detect(self) -> timedelta | None:
        """Return detected minus started."""
        return elapsed(self.started, self.detected)

    @property
    def time_to_recover(self) -> timedelta | None:
        """Return resolved minus detected."""
        return elapsed(self.detected, self.resolved)

    @property
    def time_to_mitigate(self) -> timedelta | None:
        """Return mitigated minus started."""
        return elapsed(self.started, self.mitigated)

    @property
    def duration(self) -> timedelta | None:
        """Return resolved minus started."""
        return elapsed(self.started, self.resolved)

    @property
    def category(self) -> str:
        """Return the main root-cause category."""
        return self.root_cause.category

    def line_of(self, field_name: str) -> int:
        """Return the front matter line of a field, or 1 when it is absent."""
        return self.lines.get(field_name, 1)
