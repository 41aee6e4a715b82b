"""The linter: run the quality rules over postmortems and report findings.

Every rule is a warning unless ``kb.toml`` says otherwise::

    [rules]
    blame = "error"
    vague-action = "off"
"""

from __future__ import annotations

import logging
import re

from generator.config import Config
from generator.errors import Level, Problem
from generator.lint_blame import blaming_language
from generator.lint_rules import (
    CHECKED_FIELDS,
    Rule,
    Subject,
    action_due,
    action_owner,
    missing_fields,
    missing_sections,
    placeholders,
    single_level_cause,
    timeline_order,
    timeline_window,
    vague_actions,
    vague_title,
)
from generator.model import Postmortem
from generator.parse import normalise_text

log = logging.getLogger(__name__)

RULES = (
    Rule("missing-section", "Summary, Timeline, Root Cause, Resolution and Lessons Learned sections, and 5 Whys for the two most severe levels", missing_sections),
    Rule("missing-field", "root_cause.summary, trigger and authors in front matter", missing_fields),
    Rule("timeline-order", "timeline entries in time order", timeline_order),
    Rule("timeline-outside-window", "no timeline entry after 'resolved'", timeline_window),
    Rule("action-owner", "an owner for every action item that is not wont-do", action_owner),
    Rule("action-due", "a due date for every open or in-progress action item", action_due),
    Rule("vague-action", "action items that change the system instead of asking people to be careful", vague_actions),
    Rule("single-level-cause", "causes at more than one level, or a 5 Whys section", single_level_cause),
    Rule("blame", "causes written about the system, not about a person", blaming_language),
    Rule("vague-title", "a title that says what broke and how", vague_title),
    Rule("placeholder", "no TODO, HH:MM or YYYY-MM-DD left from the template", placeholders),
)  # fmt: skip
RULE_IDS = tuple(rule.id for rule in RULES)
DEFAULT_LEVEL = "warning"

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+).+?\1")


def rule_level(config: Config, rule_id: str) -> str:
    """Return the level of a rule: error, warning or off."""
    return config.rules.get(rule_id, DEFAULT_LEVEL)


def prose_lines(text: str) -> list[str]:
    """Return the file's lines with fenced code and code spans blanked.

    Columns stay where they were, so a finding points at the right place.
    """
    lines = normalise_text(text).split("\n")
    fence = ""
    for number, line in enumerate(lines):
        found = _FENCE.match(line)
        marker = found.group(1) if found else ""
        if fence:
            # A fence closes with the same character, at least as many times.
            if marker[:1] == fence[0] and len(marker) >= len(fence):
                fence = ""
            lines[number] = ""
            continue
        if marker:
            fence = marker
            lines[number] = ""
            continue
        lines[number] = _CODE_SPAN.sub(lambda span: " " * len(span.group(0)), line)
    return lines


def field_kinds(config: Config) -> dict[str, str]:
    """Return the fields reported when missing, as "required" or "recommended"."""
    kinds = {
        name: "required" if level == "error" else "recommended"
        for name, level in config.field_levels.items()
        if level != "off" and name not in config.defaults
    }
    if rule_level(config, "missing-field") != "off":
        for name in CHECKED_FIELDS:
            kinds.setdefault(name, "recommended")
    return kinds


def lint_postmortem(
    postmortem: Postmortem, text: str, path: str, config: Config
) -> list[Problem]:
    """Run every rule that is not off over one postmortem."""
    subject = Subject(
        postmortem,
        prose_lines(text),
        frozenset(config.field_levels),
        field_kinds(config),
    )
    problems = []
    for rule in RULES:
        level = rule_level(config, rule.id)
        if level == "off":
            continue
        for finding in rule.check(subject):
            problems.append(
                Problem(
                    path,
                    finding.line,
                    finding.column,
                    Level(level),
                    finding.message,
                    finding.hint,
                    rule.id,
                )
            )
    log.debug("linted %s: %d findings", path, len(problems))
    return problems
