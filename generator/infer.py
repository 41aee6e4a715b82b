"""Infer a report's front matter from what its text states, for ``pmkb import``.

Every value carries the reason it was chosen, which becomes a YAML comment.
A value the text does not state is left out and listed with the reason.
The three required fields get an explicit placeholder instead, so that the
report builds and ``pmkb check`` reports the placeholder: ``severity:
unrated``, an impact starting with ``TODO:`` and the root-cause category
``unknown`` with a ``TODO:`` comment.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

from slugify import slugify

from generator.body import read_body
from generator.config import Config
from generator.import_scan import Fact, ScannedText
from generator.import_values import quote, stated, timeline_day
from generator.infer_times import TIME_FIELDS, TimeInference
from generator.infer_zone import find_zone

UNRATED_KEY = "unrated"
_SEVERITY_NUMBER = re.compile(
    r"^(?:sev(?:erity)?|s|p|priority)?\s*[-_ ]?\s*(\d)$", re.IGNORECASE
)


@dataclass(frozen=True)
class Inferred:
    """One front matter value and where it came from.

    ``source`` is a format string whose ``{0}``, ``{1}`` … are replaced by
    the imported file's lines for the original's lines in ``lines``. A
    ``todo`` value is a placeholder for a required field the text lacks.
    """

    value: Any
    source: str
    lines: tuple[int, ...] = ()
    todo: bool = False


@dataclass
class Inference:
    """The front matter inferred for one report, what is missing, and notes."""

    fields: dict[str, Inferred] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)
    notes: list[tuple[int, str]] = field(default_factory=list)
    # "started" or "detected" when a stated time to recovery landed on a
    # timeline entry only when counted from that time.
    recovery_evidence: str = ""
    # Whether resolved was counted from a time to recovery no entry confirms.
    recovery_unmatched: bool = False


@dataclass(frozen=True)
class RecoveryReading:
    """The time that a stated time to recovery counts from in this collection, and why."""

    base: str = "detected"
    note: str = ""


def _time_text(moment: datetime, zone: tzinfo) -> str:
    local = moment.astimezone(zone)
    return f"{local:%Y-%m-%d %H:%M:%S}" if local.second else f"{local:%Y-%m-%d %H:%M}"


def infer_times(
    scanned: ScannedText,
    stem: str,
    facts: dict[str, list[Fact]],
    zone: tzinfo,
    inference: Inference,
    recovery: RecoveryReading,
) -> None:
    """Read the timeline as the build does and infer the four times."""
    day = timeline_day(facts, stem)
    start = datetime(day.year, day.month, day.day, tzinfo=zone) if day else None
    body = read_body(scanned.text, stem, 1, "", zone, start)
    times = TimeInference(body.timeline, facts, zone, recovery.base, recovery.note)
    times.run()
    inference.recovery_evidence = times.recovery_evidence
    inference.recovery_unmatched = times.recovery_unmatched
    for name, moment in times.times.items():
        inference.fields[name] = Inferred(
            _time_text(moment.time, zone), moment.source, moment.lines
        )
    inference.missing.update(times.missing)
    inference.notes.extend(times.notes)


def _one_value(facts: list[Fact], name: str, inference: Inference) -> Fact | None:
    """Return the fact for a field, or None (with a note) when facts disagree."""
    values = {fact.value.lower() for fact in facts}
    if len(values) > 1:
        inference.notes.append(
            (facts[1].line, f"'{name}' is stated more than once with different values")
        )
        inference.missing[name] = "stated more than once with different values"
        return None
    return facts[0] if facts else None


def infer_severity(facts: list[Fact], config: Config, inference: Inference) -> None:
    """Map a stated severity to the scale, or write ``unrated`` with a TODO."""
    fact = _one_value(facts, "severity", inference)
    if fact is not None:
        value = re.sub(r"\s*\(.*\)$", "", fact.value).strip(" .")
        level = config.severity(value) or config.severity(value.replace(" ", ""))
        number = _SEVERITY_NUMBER.match(value)
        if level is None and number:
            rank = int(number.group(1))
            level = next((s for s in config.severities if s.rank == rank), None)
        if level is not None:
            inference.fields["severity"] = Inferred(
                level.key, "stated " + stated(fact), (fact.line,)
            )
            return
        inference.notes.append(
            (fact.line, f"severity {quote(fact.value)} is not on the severity scale")
        )
    scale = ", ".join(s.key for s in config.severities if s.key != UNRATED_KEY)
    reason = (
        "not stated" if fact is None else f"{quote(fact.value)} is not on the scale"
    )
    inference.missing.setdefault("severity", reason)
    inference.fields["severity"] = Inferred(
        UNRATED_KEY, f"TODO: {reason} in the original; rate it: {scale}", todo=True
    )


def infer_category(facts: list[Fact], config: Config, inference: Inference) -> None:
    """Use stated categories from the vocabulary; keep any other one as a tag."""
    found: list[Fact] = []
    for fact in facts:
        slug = slugify(fact.value)
        if slug in config.categories:
            if slug not in [slugify(f.value) for f in found]:
                found.append(fact)
            continue
        source = "stated " + stated(fact) + ", not a root-cause category"
        _add_to_list(inference, "tags", [slug], source, fact.line)
    if found:
        names = [slugify(fact.value) for fact in found]
        sources = "; ".join(
            "stated " + stated(fact, index) for index, fact in enumerate(found)
        )
        inference.fields["root_cause.category"] = Inferred(
            names[0] if len(names) == 1 else names,
            sources,
            tuple(fact.line for fact in found),
        )
        return
    reason = "not stated in the original"
    if facts:
        values = ", ".join(quote(fact.value) for fact in facts)
        reason = f"the original states {values}, which is not a root-cause category"
    inference.missing["root_cause.category"] = reason
    inference.fields["root_cause.category"] = Inferred(
        "unknown",
        f"TODO: {reason}; one of " + ", ".join(config.categories),
        todo=True,
    )


def _add_to_list(
    inference: Inference, name: str, items: list[str], source: str, line: int
) -> None:
    current = inference.fields.get(name)
    if current is None:
        inference.fields[name] = Inferred([i for i in items if i], source, (line,))
        return
    merged = current.value + [i for i in items if i and i not in current.value]
    shifted = source.replace("{0}", f"{{{len(current.lines)}}}")
    inference.fields[name] = Inferred(
        merged, f"{current.source}; {shifted}", (*current.lines, line)
    )


def _split_list(value: str) -> list[str]:
    return [
        item.strip(" .") for item in re.split(r",|;|\band\b", value) if item.strip(" .")
    ]


def infer_lists(facts: dict[str, list[Fact]], inference: Inference) -> None:
    """Take services, tags and authors only from lines that list them."""
    for name in ("services", "tags", "authors"):
        for fact in facts.get(name, []):
            items = _split_list(fact.value)
            if name == "tags":
                items = [slugify(item) for item in items]
            _add_to_list(inference, name, items, "stated " + stated(fact), fact.line)
    for name in ("services",):
        if name not in inference.fields:
            inference.missing[name] = "not stated"


def infer_sentence(
    scanned: ScannedText,
    facts: list[Fact],
    name: str,
    kind: str,
    inference: Inference,
) -> None:
    """Take a one-line value from a labelled line or a section's first sentence."""
    if facts:
        fact = facts[0]
        inference.fields[name] = Inferred(
            fact.value, "stated " + stated(fact), (fact.line,)
        )
        return
    sentence = scanned.sentences.get(kind)
    if sentence is None or len(sentence.text) > 200:
        return
    heading = "Impact" if kind == "impact" else "Root Cause"
    inference.fields[name] = Inferred(
        sentence.text,
        f"first sentence of the {heading} section (line {{0}})",
        (sentence.line,),
    )


def infer_small_fields(
    facts: dict[str, list[Fact]], config: Config, inference: Inference
) -> None:
    """Infer trigger and users_affected when a line states them plainly."""
    for fact in facts.get("trigger", []):
        slug = slugify(fact.value)
        if slug in config.triggers:
            inference.fields["trigger"] = Inferred(
                slug, "stated " + stated(fact), (fact.line,)
            )
            break
    for fact in facts.get("users_affected", []):
        digits = fact.value.replace(",", "").replace("_", "").strip(" .")
        if digits.isdigit():
            inference.fields["users_affected"] = Inferred(
                int(digits), "stated " + stated(fact), (fact.line,)
            )
            break


def infer_title(scanned: ScannedText, stem: str, inference: Inference) -> None:
    """Take the title from the first H1 heading, else from the file name."""
    if scanned.title:
        source = "first H1 heading of the original"
        inference.fields["title"] = Inferred(scanned.title, source)
    else:
        source = "file name: the text has no H1 heading"
        inference.fields["title"] = Inferred(stem, source)


def infer_impact(scanned: ScannedText, facts: list[Fact], inference: Inference) -> None:
    """Take the impact from its line or section, else write a TODO."""
    infer_sentence(scanned, facts, "impact", "impact", inference)
    if "impact" not in inference.fields:
        inference.missing["impact"] = "not stated"
        inference.fields["impact"] = Inferred(
            "TODO: not stated in the original; who was affected, how, and for how long",
            "",
            todo=True,
        )


def infer_zone_and_times(
    scanned: ScannedText,
    stem: str,
    facts: dict[str, list[Fact]],
    settings: tuple[Config, Mapping[str, str], RecoveryReading],
    inference: Inference,
) -> None:
    """Infer the zone, then the times read in it (or in the site's zone)."""
    config, overrides, recovery = settings
    zone, reason, notes = find_zone(scanned, overrides)
    inference.notes.extend(notes)
    if reason:
        inference.missing["timezone"] = reason
    if zone is not None:
        inference.fields["timezone"] = Inferred(zone.value, zone.source, (zone.line,))
    zone_info = zone.zone if zone else config.timezone
    infer_times(scanned, stem, facts, zone_info, inference, recovery)
    if zone is None and any(name in inference.fields for name in TIME_FIELDS):
        inference.missing["timezone"] += (
            f"; the times are read in the default zone {config.timezone_name}"
        )


def infer_front_matter(
    scanned: ScannedText,
    stem: str,
    config: Config,
    overrides: Mapping[str, str],
    recovery: RecoveryReading | None = None,
) -> Inference:
    """Infer every front matter field that the text states, with its source."""
    inference = Inference()
    facts: dict[str, list[Fact]] = {}
    for fact in scanned.facts:
        facts.setdefault(fact.field, []).append(fact)

    infer_title(scanned, stem, inference)
    infer_severity(facts.get("severity", []), config, inference)
    settings = (config, overrides, recovery or RecoveryReading())
    infer_zone_and_times(scanned, stem, facts, settings, inference)
    infer_impact(scanned, facts.get("impact", []), inference)
    infer_category(facts.get("category", []), config, inference)
    infer_sentence(
        scanned,
        facts.get("root_cause", []),
        "root_cause.summary",
        "root-cause",
        inference,
    )
    infer_small_fields(facts, config, inference)
    infer_lists(facts, inference)
    return inference
