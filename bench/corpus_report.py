"""Generate the facts of one benchmark postmortem: front matter fields and context.

All randomness comes from the ``random.Random`` passed in, so the same seed
gives the same reports. The body text is written by ``corpus_body.py``.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from corpus_words import (
    ACTION_VERBS,
    AUDIENCES,
    CATEGORIES,
    DETECTION_SOURCES,
    GAPS,
    MITIGATIONS,
    PEOPLE,
    SERVICES,
    SEVERITIES,
    SYMPTOMS,
    TEAMS,
    TIMEZONES,
    TRIGGERS,
)

# The date the benchmark builds with (pmkb build --today), so action item
# statuses look plausible: old items are mostly done, recent ones open.
TODAY = date(2026, 12, 1)
FIRST_DAY = datetime(2020, 1, 2)
LAST_DAY = datetime(2026, 11, 20)
# Words that make a poor end for a shortened file name.
SLUG_STOP_WORDS = {"a", "an", "the", "of", "for", "after", "by", "to", "in", "during",
                   "from", "and", "caused"}  # fmt: skip
SERVICE_WEIGHTS = [1 / (rank + 1) ** 1.1 for rank in range(len(SERVICES))]

TRIGGER_TEXT = {
    "deploy": "the deploy of {service} {version}",
    "config-push": "a configuration push that changed the {part}",
    "traffic-spike": "a traffic spike {spike}",
    "user-behaviour": "a customer who {behaviour}",
    "dependency": "a failure in {dependency}",
    "scheduled-job": "the nightly {job} job",
    "hardware-failure": "a failed {hardware}",
    "external-event": "{external}",
    "unknown": "a trigger that we could not identify",
}
SPIKES = [
    "after a marketing email", "during a flash sale", "at the start of the holiday season",
    "when a partner replayed a day of orders", "after a television advert",
]  # fmt: skip
BEHAVIOURS = [
    "exported their whole order history in a loop", "uploaded a 4 GB attachment",
    "created 30,000 sub-accounts through the API", "retried every request ten times",
    "sent addresses with emoji in every field",
]  # fmt: skip
JOBS = ["index rebuild", "invoice run", "data export", "cleanup", "backup", "report"]
HARDWARE = [
    "disk on a database host", "network card in rack B4", "top-of-rack switch",
    "memory module on a cache node", "power supply in the second data centre",
]  # fmt: skip
EXTERNAL = [
    "a regional outage at our cloud provider", "a change to a public holiday calendar",
    "a viral post that linked to the shop", "a fibre cut between two data centres",
    "a national sales event that started a day early",
]  # fmt: skip
CAUSE_SHORT = {
    "config-change": "a {part} change", "deployment": "a bad {part}",
    "software-bug": "a bug in the {part}", "resource-exhaustion": "{part} exhaustion",
    "capacity": "a {part} too small for the load",
    "dependency-failure": "an outage of the {part}", "infrastructure": "a {part} fault",
    "network": "a broken {part}", "certificate-expiry": "an expired {part}",
    "data": "a faulty {part}", "security": "abuse of the {part}",
    "time": "a {part} error", "process": "a missed {part} step",
    "unknown": "an unexplained {part} failure",
}  # fmt: skip
TITLES = [
    "{Service} {symptom} for {duration} after {cause}",
    "{Symptom_noun} {service} caused by {cause}",
    "{Audience} could not {feature} for {duration}",
    "{duration} of {symptom_noun} {service} during {trigger_short}",
    "{Cause} left {service} degraded",
]


@dataclass
class Report:
    """One generated postmortem: its id, front matter values and text context."""

    id: str
    started: datetime
    detected: datetime | None
    mitigated: datetime | None
    resolved: datetime
    severity: str
    category: str
    trigger: str
    services: list[str]
    context: dict[str, str]
    front: dict[str, object] = field(default_factory=dict)
    action_items: list[dict[str, str]] = field(default_factory=list)
    body_items: bool = False
    length: str = "medium"
    body: str = ""
    filler: list[str] = field(default_factory=list)


def plan_start_times(rng: random.Random, count: int) -> list[datetime]:
    """Return ``count`` sorted incident start times spread over almost seven years."""
    span = int((LAST_DAY - FIRST_DAY).total_seconds() // 60)
    minutes = sorted(rng.randrange(span) for _ in range(count))
    return [FIRST_DAY + timedelta(minutes=value) for value in minutes]


def weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    """Pick one key from ``(key, weight)`` pairs."""
    keys = [key for key, _ in pairs]
    return rng.choices(keys, weights=[weight for _, weight in pairs])[0]


def duration_text(minutes: float) -> str:
    """Format a duration as a reader would say it: 45 minutes, 3 hours, 2 days."""
    if minutes < 90:
        return f"{max(1, round(minutes))} minutes"
    if minutes < 48 * 60:
        return f"{round(minutes / 60)} hours"
    return f"{round(minutes / 1440)} days"


def slugify(text: str) -> str:
    """Return lower-case ASCII words of ``text`` joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def pick_services(rng: random.Random) -> list[str]:
    """Pick the affected service (skewed towards the top of the list) and 0-3 more."""
    names = [service[0] for service in SERVICES]
    primary = rng.choices(names, weights=SERVICE_WEIGHTS)[0]
    others = rng.sample(names, rng.choice([0, 1, 1, 2, 3]))
    return [primary] + [name for name in others if name != primary]


def plan_times(
    rng: random.Random, started: datetime, severity: str
) -> tuple[datetime | None, datetime | None, datetime]:
    """Return detected, mitigated and resolved times after ``started``."""
    detect_minutes = min(600.0, math.exp(rng.gauss(2.0, 1.0)))
    scale = {"SEV1": 4.5, "SEV2": 4.2, "SEV3": 4.0, "SEV4": 4.4}[severity]
    recover_minutes = min(4000.0, 5 + math.exp(rng.gauss(scale, 0.9)))
    detected = started + timedelta(minutes=round(detect_minutes) + 1)
    resolved = detected + timedelta(minutes=round(recover_minutes))
    mitigated = None
    if rng.random() < 0.6:
        mitigated = detected + timedelta(
            minutes=round(recover_minutes * rng.uniform(0.3, 0.8))
        )
    # A few reports never recorded detection, as in real collections.
    if rng.random() < 0.03:
        detected = None
    return detected, mitigated, resolved


def build_context(rng: random.Random, report: Report) -> dict[str, str]:
    """Return the words that the sentence templates fill in for one report."""
    service = report.services[0]
    entry = next(item for item in SERVICES if item[0] == service)
    part = rng.choice(CATEGORIES[report.category][3])
    dependency = report.services[1] if len(report.services) > 1 else "the database"
    symptom, symptom_noun = rng.choice(SYMPTOMS)
    minutes = (report.resolved - report.started).total_seconds() / 60
    context = {
        "service": service, "feature": entry[2], "team": entry[1], "part": part,
        "dependency": dependency, "symptom": symptom, "symptom_noun": symptom_noun,
        "audience": rng.choice(AUDIENCES), "duration": duration_text(minutes),
        "detection": rng.choice(DETECTION_SOURCES), "mitigation": rng.choice(MITIGATIONS),
        "gap": rng.choice(GAPS), "version": f"{rng.randint(1, 14)}.{rng.randint(0, 30)}",
        "spike": rng.choice(SPIKES), "behaviour": rng.choice(BEHAVIOURS),
        "job": rng.choice(JOBS), "hardware": rng.choice(HARDWARE),
        "external": rng.choice(EXTERNAL), "pct": str(rng.randint(2, 100)),
        "load": str(rng.randint(2, 9)), "region": rng.choice(["eu-west", "us-east", "ap-south", "eu-central"]),
    }  # fmt: skip
    context["trigger_text"] = TRIGGER_TEXT[report.trigger].format(**context)
    context["trigger_short"] = report.trigger.replace("-", " ")
    context["cause"] = CAUSE_SHORT[report.category].format(**context)
    for key in ("service", "symptom", "symptom_noun", "audience", "cause"):
        context[key.capitalize()] = context[key][:1].upper() + context[key][1:]
    return context


def make_title(rng: random.Random, context: dict[str, str]) -> str:
    """Return a report title from one of the title templates."""
    title = rng.choice(TITLES).format(**context)
    return title[:1].upper() + title[1:]


def new_report(
    rng: random.Random, started: datetime, history: dict[str, list[str]], used: set[str]
) -> Report:
    """Generate the facts of one report; ``history`` maps a service to earlier ids."""
    severity = weighted(rng, SEVERITIES)
    category = weighted(rng, [(key, value[0]) for key, value in CATEGORIES.items()])
    likely = CATEGORIES[category][1]
    trigger = rng.choice(likely) if rng.random() < 0.85 else rng.choice(TRIGGERS)
    services = pick_services(rng)
    detected, mitigated, resolved = plan_times(rng, started, severity)
    report = Report("", started, detected, mitigated, resolved, severity, category,
                    trigger, services, {})  # fmt: skip
    report.context = build_context(rng, report)
    report.context["title"] = make_title(rng, report.context)
    report.id = unique_id(started, report.context["title"], used)
    report.length = rng.choices(["short", "medium", "long"], weights=[3, 5, 2])[0]
    report.action_items = plan_action_items(rng, report)
    report.body_items = rng.random() < 0.55
    report.front = front_matter(rng, report, history)
    # Drafts are left out of the site, so later reports do not link to them.
    if report.front["status"] != "draft":
        for service in services:
            history.setdefault(service, []).append(report.id)
    return report


def unique_id(started: datetime, title: str, used: set[str]) -> str:
    """Return ``DATE-SLUG`` from the title, made unique with a number suffix."""
    words = slugify(title).split("-")[:8]
    while len(words) > 3 and words[-1] in SLUG_STOP_WORDS:
        words.pop()
    base = f"{started:%Y-%m-%d}-{'-'.join(words)}"
    candidate, number = base, 2
    while candidate in used:
        candidate, number = f"{base}-{number}", number + 1
    used.add(candidate)
    return candidate


def plan_action_items(rng: random.Random, report: Report) -> list[dict[str, str]]:
    """Return 1-7 action items with owners, due dates and plausible statuses."""
    count = {"short": rng.randint(1, 3), "medium": rng.randint(2, 5),
             "long": rng.randint(4, 7)}[report.length]  # fmt: skip
    items = []
    for _ in range(count):
        verb, joint = rng.choice(ACTION_VERBS)
        service = rng.choice(report.services)
        task = (
            f"{verb} the {rng.choice(CATEGORIES[report.category][3])} {joint} {service}"
        )
        due = report.started.date() + timedelta(days=rng.randint(3, 120))
        items.append({"task": task, "owner": rng.choice([report.context["team"], *TEAMS]),
                      "due": due.isoformat(), "status": item_status(rng, due)})  # fmt: skip
    return items


def item_status(rng: random.Random, due: date) -> str:
    """Return an action item status that fits how far ``due`` is from TODAY."""
    days_left = (due - TODAY).days
    if days_left < -60:
        return rng.choices(["done", "wont-do", "open", "in-progress"], [85, 5, 7, 3])[0]
    if days_left < 0:
        return rng.choices(["done", "open", "in-progress"], [50, 30, 20])[0]
    return rng.choices(["open", "in-progress", "done"], [50, 30, 20])[0]


def time_value(rng: random.Random, moment: datetime, zone: str) -> str:
    """Format a time in one of the forms people write: with or without T and seconds."""
    form = rng.choices(["plain", "seconds", "iso", "zulu"], [70, 10, 15, 5])[0]
    if form == "zulu" and zone in ("", "UTC"):
        return f"{moment:%Y-%m-%dT%H:%M:%S}Z"
    if form == "seconds":
        return f"{moment:%Y-%m-%d %H:%M:%S}"
    if form == "iso":
        return f"{moment:%Y-%m-%dT%H:%M}"
    return f"{moment:%Y-%m-%d %H:%M}"


def front_matter(
    rng: random.Random, report: Report, history: dict[str, list[str]]
) -> dict[str, object]:
    """Return the pmkb front matter of a report, in the order a person writes it."""
    context, zone = report.context, rng.choice(TIMEZONES)
    front: dict[str, object] = {"title": context["title"], "severity": report.severity}
    # An empty value leaves the field out, so the report is published by default.
    statuses = ["published", "", "review", "draft"]
    front["status"] = rng.choices(statuses, [30, 66, 3, 1])[0]
    front["timezone"] = zone

    for name in ("started", "detected", "mitigated", "resolved"):
        moment = getattr(report, name)
        front[name] = time_value(rng, moment, zone) if moment else ""

    front["impact"] = impact_line(rng, context)
    if rng.random() < 0.6:
        front["users_affected"] = rng.choice([40, 300, 1200, 8000, 24000, 150000])
    front["root_cause"] = {
        "category": report.category,
        "summary": cause_summary(context),
    }
    front["trigger"] = report.trigger

    front["contributing_factors"] = rng.sample(GAPS, rng.randint(0, 3))
    front["services"] = report.services
    front["tags"] = sorted(set(rng.sample(CATEGORIES[report.category][2], 1))
                           | set(rng.sample(["customer-facing", "internal", "on-call",
                                             "alerting", "latency", "errors"], rng.randint(0, 2))))  # fmt: skip
    front["authors"] = sorted({context["team"], *rng.sample(PEOPLE, rng.randint(0, 2))})
    if not report.body_items or rng.random() < 0.15:
        front["action_items"] = report.action_items

    earlier = history.get(report.services[0], [])
    if earlier and rng.random() < 0.3:
        front["related"] = sorted(set(rng.sample(earlier[-20:], min(2, len(earlier)))))
    return front


def impact_line(rng: random.Random, context: dict[str, str]) -> str:
    """Return the one-line impact statement."""
    forms = [
        "{Audience} could not {feature} for {duration}",
        "{pct}% of requests to {service} failed for {duration}",
        "{Service} {symptom} and {audience} saw errors when they tried to {feature}",
        "{Audience} saw slow pages and errors for {duration} while {service} {symptom}",
    ]
    return rng.choice(forms).format(**context)


def cause_summary(context: dict[str, str]) -> str:
    """Return the one-sentence root cause summary for the front matter."""
    return "{Cause} in {service}, which went unnoticed because {gap}".format(**context)
