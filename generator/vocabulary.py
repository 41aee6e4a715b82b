"""The default vocabularies: severity scale, root-cause categories, triggers."""

from __future__ import annotations

import difflib
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


def did_you_mean(value: str, choices: list[str], cutoff: float = 0.5) -> str:
    """Suggest the closest choice, or list the choices when none is close.

    ``cutoff`` is difflib's similarity ratio from 0 to 1 that a suggestion needs.
    """
    close = difflib.get_close_matches(
        value.lower(), [c.lower() for c in choices], n=1, cutoff=cutoff
    )
    if close:
        original = next(c for c in choices if c.lower() == close[0])
        return f"did you mean '{original}'?"
    shown = ", ".join(choices[:12]) + (", …" if len(choices) > 12 else "")
    return f"use one of: {shown}"
