"""The default vocabularies: severity scale, root-cause categories, triggers."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Severity:
    """One level of the severity scale; rank 1 is the most severe."""

    key: str
    label: str
    rank: int
    aliases: tuple[str, ...] = ()
    description: str = ""


DEFAULT_SEVERITIES = (
    Severity("SEV1", "Critical", 1, ("critical", "P1", "S1", "sev-1")),
    Severity("SEV2", "Major", 2, ("major", "high", "P2", "S2", "sev-2")),
    Severity("SEV3", "Minor", 3, ("minor", "medium", "P3", "S3", "sev-3")),
    Severity("SEV4", "Low", 4, ("low", "P4", "S4", "sev-4")),
)

# Used when a report has no severity and the field is not required.
UNRATED = Severity("unrated", "Unrated", 99)

DEFAULT_CATEGORIES = {
    "config-change": "A change to configuration, feature flags or settings",
    "deployment": "Rolling out a new version: the release process or artifact",
    "software-bug": "A defect in code",
    "resource-exhaustion": "Running out of connections, memory, disk, file handles",
    "capacity": "Not enough provisioned capacity for the load",
    "dependency-failure": "A failure of an upstream service or third party",
    "infrastructure": "Hardware, hosts, power or the cloud provider",
    "network": "Routing, load balancers, DNS",
    "certificate-expiry": "Expired or revoked certificates, keys or credentials",
    "data": "Corruption, a bad migration or data loss",
    "security": "An attack, a vulnerability or an exposure",
    "time": "Clocks, time zones and date handling",
    "process": "A missing or failed review, test, runbook or procedure",
    "unknown": "The cause is not known",
}

DEFAULT_TRIGGERS = {
    "deploy": "A deployment started the incident",
    "config-push": "A configuration push started the incident",
    "traffic-spike": "A rise in traffic",
    "user-behaviour": "An unusual pattern of use",
    "dependency": "A change or failure in a dependency",
    "scheduled-job": "A cron or batch job",
    "hardware-failure": "A failed disk, host, switch or power supply",
    "external-event": "Something outside the organisation",
    "unknown": "The trigger is not known",
}

STATUSES = ("draft", "review", "published")
ACTION_STATUSES = ("open", "in-progress", "done", "wont-do")


# Lists longer than this are cut in hints, which then give the number left out.
MAX_LISTED = 25


def did_you_mean(value: str, choices: Sequence[str], cutoff: float = 0.5) -> str:
    """Suggest the closest choice, or list the choices when none is close.

    ``cutoff`` is difflib's similarity ratio from 0 to 1 that a suggestion needs.
    """
    close = difflib.get_close_matches(
        value.lower(), [c.lower() for c in choices], n=1, cutoff=cutoff
    )
    if close:
        original = next(c for c in choices if c.lower() == close[0])
        return f"did you mean '{original}'?"
    if len(choices) <= MAX_LISTED:
        return f"use one of: {', '.join(choices)}"
    shown = ", ".join(choices[:10])
    return f"use one of: {shown} and {len(choices) - 10} more"


def _numbers(text: str) -> list[str]:
    return [number.lstrip("0") or "0" for number in re.findall(r"\d+", text)]


def severity_hint(value: object, severities: Sequence[Severity]) -> str:
    """Suggest the level that an unknown severity most likely means, or list the levels.

    A number in the value decides the level, so 'SEV9' and '3' are never
    matched to a level of another number because their letters look alike.
    """
    text = str(value).strip()
    numbers = _numbers(text)
    if numbers:
        levels = {
            level.key
            for level in severities
            for name in (level.key, *level.aliases)
            if _numbers(name) == numbers
        }
        if len(levels) == 1:
            return f"did you mean '{levels.pop()}'?"
    else:
        names = [name for level in severities for name in (level.key, *level.aliases)]
        # Stricter than for other names: a loose match could name another level.
        hint = did_you_mean(text, names, cutoff=0.75)
        if hint.startswith("did you mean"):
            return hint
    return severity_choices(severities)


def severity_choices(severities: Sequence[Severity]) -> str:
    """Return a hint that lists the levels of the scale and shows an alias or two."""
    keys = ", ".join(level.key for level in severities)
    aliases = next((level.aliases[:2] for level in severities if level.aliases), ())
    if not aliases:
        return f"use one of: {keys}"
    examples = " or ".join(f"'{alias}'" for alias in aliases)
    return f"use one of: {keys}, or an alias such as {examples}"
