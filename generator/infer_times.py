"""Infer started, detected, mitigated and resolved for ``pmkb import``.

Each time comes from the first of these that the text states:

1. a labelled line such as ``Detected: 2020-01-21 16:30``;
2. a timeline entry labelled ``**Detection:**`` or tagged ``(resolved)``;
3. a stated duration: detected = started + time to detection, mitigated =
   started + time to mitigation, resolved = detected + time to recovery
   (pmkb's definition) or started + duration. When the result lands on a
   timeline entry, the entry is named in the comment. A duration is as
   exact as its smallest unit, so "7 hours" lands on an entry up to 30
   minutes away and "11 days" on one up to 12 hours away;
4. the first timeline entry whose words name the event: an alert or a
   report, a mitigation, or service restored or resolved.

``started`` is the earliest timeline entry unless 1 or 2 gives it. When
the stated time to detection and time to recovery both land on entries
only when counted from a later entry, that entry is the start. The
earliest entries often describe the change that caused the incident.

Many teams count "time to recovery" from the start, not from detection.
When only started + time to recovery lands on an entry, that reading wins
and is recorded as evidence; the importer then reads the collection's other
reports the same way (``recovery_base``). A time that would come before
the one it must follow is left out, because the build rejects it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

from generator.import_scan import Fact
from generator.import_values import Duration, is_unstated, quote, read_duration, stated
from generator.model import TimelineEntry
from generator.timeline import parse_cell
from generator.timeparse import parse_time

TIME_FIELDS = ("started", "detected", "mitigated", "resolved")

_LABELLED = re.compile(
    r"^[\s*_]*(?P<label>detection|detected|discovery|discovered|recovery|recovered|resolution"
    r"|resolved|mitigation|mitigated|start|started|impact start(?:ed)?)[\s*_]*:",
    re.IGNORECASE,
)
_TAGGED = re.compile(
    r"\((?:(?:problem|impact|incident|outage|issue)\s+)?"
    r"(?P<label>started|began|detected|mitigated|resolved|recovered)\)",
    re.IGNORECASE,
)
_LABEL_FIELDS = {
    "detection": "detected", "detected": "detected", "discovery": "detected",
    "discovered": "detected", "recovery": "resolved", "recovered": "resolved",
    "resolution": "resolved", "resolved": "resolved", "mitigation": "mitigated",
    "mitigated": "mitigated", "start": "started", "started": "started",
    "began": "started", "impact start": "started", "impact started": "started",
}  # fmt: skip
_WORDS = {
    "detected": re.compile(
        r"\b(?:alert(?:s|ed)?|alarm(?:s|ed)?|paged|detect(?:s|ed)?|noticed|reported"
        r"|reports? of|notified (?:by|us)|became aware|(?:were|are) informed)\b",
        re.IGNORECASE,
    ),
    "mitigated": re.compile(r"\b(?:mitigated|mitigation|workaround)\b", re.IGNORECASE),
    "resolved": re.compile(
        r"(?<!not )\b(?:resolved|restored|recovered|back to normal|working again"
        r"|verified working|confirmed working|operational|fully functional)\b",
        re.IGNORECASE,
    ),
}


@dataclass(frozen=True)
class Moment:
    """An inferred time and where it came from.

    ``source`` is a format string whose ``{0}``, ``{1}`` … are replaced by
    the lines in ``lines`` once the lines of the imported file are known.
    """

    time: datetime
    source: str
    lines: tuple[int, ...] = ()


def add(moment: datetime, delta: timedelta, zone: tzinfo) -> datetime:
    """Add a duration in real time, so a DST change does not shift the result."""
    return (moment.astimezone(UTC) + delta).astimezone(zone)


def utc(moment: datetime) -> datetime:
    """Return an aware time in UTC, for comparing times of different zones."""
    return moment.astimezone(UTC)


def entry_day(entry: TimelineEntry) -> date | None:
    """Return the date written on an entry that has no usable time."""
    stamp = parse_cell(entry.time_text)
    return stamp.day if stamp else None


class TimeInference:
    """Works out the four times of one report from its timeline and facts."""

    def __init__(
        self,
        entries: list[TimelineEntry],
        facts: dict[str, list[Fact]],
        zone: tzinfo,
        recovery_base: str = "detected",
        recovery_note: str = "",
    ):
        self.all_entries = entries
        self.entries = sorted(
            (entry for entry in entries if entry.time is not None),
            key=lambda entry: utc(entry.time),  # type: ignore[arg-type]
        )
        self.facts = facts
        self.zone = zone
        self.recovery_base = recovery_base
        # Why the collection reads time to recovery from recovery_base.
        self.recovery_note = recovery_note
        self.times: dict[str, Moment] = {}
        self.missing: dict[str, str] = {}
        self.reasons: dict[str, str] = {}
        self.notes: list[tuple[int, str]] = []
        # Which base made a stated time to recovery land on an entry, if only one did.
        self.recovery_evidence = ""
        # Whether resolved was computed from a time to recovery no entry confirms.
        self.recovery_unmatched = False
        self.durations = {
            name: self.duration(name)
            for name in (
                "time_to_detect",
                "time_to_recover",
                "time_to_mitigate",
                "duration",
            )
        }

    def duration(self, name: str) -> Duration | None:
        for fact in self.facts.get(name, []):
            if is_unstated(fact.value):
                continue
            duration = read_duration(fact)
            if duration is None:
                self.notes.append(
                    (fact.line, f"cannot read {quote(fact.value)} as a duration")
                )
                continue
            return duration
        return None

    def labelled(self, name: str) -> Moment | None:
        for entry in self.entries:
            match = _LABELLED.match(entry.text) or _TAGGED.search(entry.text)
            if match and _LABEL_FIELDS[match.group("label").lower()] == name:
                assert entry.time is not None
                label = match.group("label")
                return Moment(
                    entry.time,
                    f'timeline entry labelled "{label}" (line {{0}})',
                    (entry.line,),
                )
        return None

    def stated_time(self, name: str) -> Moment | None:
        for fact in self.facts.get(name, []):
            moment = parse_time(fact.value, self.zone)
            if moment is not None:
                return Moment(moment, "stated " + stated(fact), (fact.line,))
            if not is_unstated(fact.value):
                self.notes.append(
                    (fact.line, f"cannot read {quote(fact.value)} as a time")
                )
        return None

    def entry_near(
        self, moment: datetime, tolerance: timedelta
    ) -> TimelineEntry | None:
        """Return the entry closest to a time, within the tolerance."""
        near = [
            entry
            for entry in self.entries
            if entry.time and abs(utc(entry.time) - utc(moment)) <= tolerance
        ]
        return min(near, key=lambda e: abs(utc(e.time) - utc(moment)), default=None)  # type: ignore[arg-type]

    def counted(self, base: Moment, base_name: str, duration: Duration) -> Moment:
        """Return base + duration, moved onto the timeline entry it lands on."""
        moment = add(base.time, duration.delta, self.zone)
        source = f"{base_name} + stated " + stated(duration.fact)
        entry = self.entry_near(moment, duration.tolerance)
        if entry is None or entry.time is None:
            return Moment(moment, source, (duration.fact.line,))
        return Moment(
            entry.time,
            source + ", the timeline entry at line {1}",
            (duration.fact.line, entry.line),
        )

    def worded(self, name: str, after: datetime | None) -> Moment | None:
        for entry in self.entries:
            assert entry.time is not None
            if after is not None and utc(entry.time) < utc(after):
                continue
            if _WORDS[name].search(entry.text):
                return Moment(
                    entry.time,
                    f"timeline entry {quote(entry.text)} (line {{0}})",
                    (entry.line,),
                )
        return None

    def confirmed_start(self) -> Moment | None:
        """Return the first entry from which both stated durations land on other entries."""
        detect, recover = (
            self.durations["time_to_detect"],
            self.durations["time_to_recover"],
        )
        if not detect or not recover or not detect.delta:
            return None
        for entry in self.entries:
            start = Moment(entry.time, "", (entry.line,))  # type: ignore[arg-type]
            detected = self.counted(start, "started", detect)
            if len(detected.lines) < 2:
                continue
            for base in (detected, start):
                resolved = self.counted(base, "", recover)
                if len(resolved.lines) == 2 and resolved.lines[1] != detected.lines[1]:
                    return Moment(
                        start.time,
                        "timeline entry at line {0}, from which the stated time to detection "
                        "and time to recovery lead to the entries at lines {1} and {2}",
                        (entry.line, detected.lines[1], resolved.lines[1]),
                    )
        return None

    def started(self) -> Moment | None:
        found = self.stated_time("started") or self.labelled("started")
        if found or not self.entries:
            return found
        earliest = self.entries[0]
        assert earliest.time is not None
        undated = [
            day for entry in self.all_entries if entry.time is None
            if (day := entry_day(entry)) and day < earliest.time.date()
        ]  # fmt: skip
        if undated:
            self.reasons["started"] = (
                f"the timeline starts on {min(undated)} without a time"
            )
            return None
        confirmed = self.confirmed_start()
        if confirmed and confirmed.lines[0] != earliest.line:
            return confirmed
        first = next(entry for entry in self.all_entries if entry.time is not None)
        which = "first" if earliest is first else "earliest"
        return Moment(
            earliest.time, f"{which} timeline entry (line {{0}})", (earliest.line,)
        )

    def detected(self) -> Moment | None:
        found = self.stated_time("detected") or self.labelled("detected")
        start = self.times.get("started")
        if not found and start and self.durations["time_to_detect"]:
            found = self.counted(start, "started", self.durations["time_to_detect"])
        return found or self.worded("detected", start.time if start else None)

    def recovered(self, recovery: Duration) -> Moment | None:
        """Return resolved from a stated time to recovery, trying both bases."""
        bases = {
            name: self.times[name]
            for name in ("detected", "started")
            if name in self.times
        }
        landed = {
            name: self.counted(base, name, recovery) for name, base in bases.items()
        }
        hits = [name for name, moment in landed.items() if len(moment.lines) == 2]
        if len(hits) == 1:
            self.recovery_evidence = hits[0]

        if hits and hits[0] == "started":
            found = landed["started"]
            return Moment(
                found.time,
                found.source + ", so it counts from the start here",
                found.lines,
            )
        if hits:
            return landed[hits[0]]

        # No entry confirms either reading, so the collection's reading decides.
        base = self.recovery_base if self.recovery_base in landed else "detected"
        if base not in landed:
            self.reasons["resolved"] = (
                "a time to recovery is stated, but the detection time is unknown"
            )
            return None
        self.recovery_unmatched = True
        found = landed[base]
        if base == "started" and self.recovery_note:
            return Moment(
                found.time, f"{found.source}: {self.recovery_note}", found.lines
            )
        return found

    def resolved(self) -> Moment | None:
        found = self.stated_time("resolved") or self.labelled("resolved")
        recovery = self.durations["time_to_recover"]
        if not found and recovery:
            found = self.recovered(recovery)
        start = self.times.get("started")
        if not found and start and self.durations["duration"]:
            found = self.counted(start, "started", self.durations["duration"])
        after = self.times.get("detected") or start
        return found or self.worded("resolved", after.time if after else None)

    def mitigated(self) -> Moment | None:
        found = self.stated_time("mitigated") or self.labelled("mitigated")
        start = self.times.get("started")
        if not found and start and self.durations["time_to_mitigate"]:
            found = self.counted(start, "started", self.durations["time_to_mitigate"])
        return found or self.worded("mitigated", start.time if start else None)

    def keep_in_order(self) -> None:
        """Drop a time that comes before one it must follow, saying why."""
        latest: tuple[str, Moment] | None = None
        for name in TIME_FIELDS:
            moment = self.times.get(name)
            if moment is None:
                continue
            if latest and utc(moment.time) < utc(latest[1].time):
                del self.times[name]
                self.missing[name] = (
                    f"the inferred {moment.time:%Y-%m-%d %H:%M} is before "
                    f"{latest[0]} ({latest[1].time:%Y-%m-%d %H:%M})"
                )
                continue
            latest = (name, moment)

    def run(self) -> None:
        """Infer each time in order, since later ones build on earlier ones."""
        steps = (
            ("started", self.started),
            ("detected", self.detected),
            ("resolved", self.resolved),
            ("mitigated", self.mitigated),
        )
        for name, step in steps:
            moment = step()
            if moment is not None:
                self.times[name] = moment
        if not self.entries:
            self.reasons.setdefault(
                "started", "the timeline has no entry with a date and time"
            )
        for name in ("started", "detected", "resolved"):
            if name not in self.times:
                self.missing[name] = self.reasons.get(
                    name, "no timeline entry or stated duration gives it"
                )
        mitigated, resolved = self.times.get("mitigated"), self.times.get("resolved")
        if mitigated and resolved and utc(mitigated.time) == utc(resolved.time):
            del self.times["mitigated"]
        self.keep_in_order()
