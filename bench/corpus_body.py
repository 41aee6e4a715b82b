"""Write the Markdown body of one benchmark postmortem from sentence templates."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from corpus_report import Report
from corpus_snippets import code_block, table_block
from corpus_words import GAPS, LESSONS

CAUSES = {
    "config-change": ("the new {part} on {service} did not fit production traffic",
                      "the {part} is edited by hand in a shared file, and no check compares it with what production needs"),
    "deployment": ("{service} {version} went out to every instance at once with a broken {part}",
                   "the pipeline skipped the canary stage because it classed the change as low risk"),
    "software-bug": ("the {part} in {service} raised an exception on input it had never seen",
                     "the {part} had no tests for empty, very large or malformed input"),
    "resource-exhaustion": ("the {part} of {service} ran out, and new requests waited until they timed out",
                            "use of the {part} grew with traffic for months while its limit stayed at the launch value"),
    "capacity": ("the {part} of {service} could not keep up with {load} times the usual load",
                 "the capacity plan assumed last year's peak and nobody revisited it"),
    "dependency-failure": ("the {part} that {service} relies on returned errors for {duration}",
                           "{service} called the {part} on every request and had no fallback when it failed"),
    "infrastructure": ("a {part} failure took down the hosts that ran {service}",
                       "all replicas of {service} were placed on hosts that shared the same {part}"),
    "network": ("a faulty {part} sent traffic for {service} to the wrong place",
                "changes to the {part} were applied to every region at once"),
    "certificate-expiry": ("the {part} used by {service} expired, and every connection that needed it was rejected",
                           "renewal of the {part} depended on a calendar reminder sent to a former employee"),
    "data": ("the {part} wrote incorrect rows to tables that {service} reads",
             "the {part} ran against production without a dry run on a copy of the data"),
    "security": ("an attacker abused the {part} of {service}",
                 "the {part} had no rate limit or anomaly alert because it was considered internal"),
    "time": ("the {part} made {service} compute dates one day off",
             "date arithmetic in {service} used local wall-clock time instead of UTC"),
    "process": ("the {part} for {service} was skipped during a routine change",
                "the {part} lived on a wiki page that nobody had updated since the last migration"),
    "unknown": ("the {part} behind {service} stopped responding, and we have not found out why",
                "logs from the affected hosts were rotated before anyone read them"),
}  # fmt: skip
LOG_LINES = [
    "connection refused", "context deadline exceeded", "pool exhausted",
    "certificate has expired", "no space left on device", "too many open files",
    "upstream connect error", "OOMKilled", "deadlock detected", "429 Too Many Requests",
]  # fmt: skip
MIDDLE_EVENTS = [
    "Logs of {service} show `{log}` on {k} of {m} pods.",
    "The on-call engineer acknowledges the page and opens an incident channel.",
    "{dependency} looks healthy, so the team rules it out.",
    "The incident commander posts the first status page update.",
    "Error rate of {service} reaches {pct}%.",
    "Engineers from {team} join the incident call.",
    "The team {mitigation}, but errors continue.",
    "Support reports {n} tickets from {audience}.",
    "Graphs show the {part} at its limit since the start of the incident.",
    "The team finds {trigger_text} in the change log.",
    "Traffic in {region} is moved to another region as a precaution.",
    "A second engineer starts reviewing recent changes to {service}.",
    "p99 latency of {service} falls to {ms} ms.",
    "Queue depth peaks at {n} messages.",
    "A hotfix for {service} is built and passes its tests.",
    "The status page is updated with the expected recovery time.",
]  # fmt: skip
FILLER = [
    "The incident channel had {k} active participants at its peak.",
    "Support answered {n} tickets with a prepared message.",
    "We updated the status page {k} times during the incident.",
    "The {team} on-call rotation had changed the week before.",
    "Nobody outside the incident team was asked to stop deploying, and {k} unrelated deploys went out.",
    "Dashboards for {service} were split across three tools, which slowed the first diagnosis.",
    "Partners were told by email once the cause was known.",
    "The same symptom had shown up in {region} a month earlier but cleared by itself.",
    "Our SLO for {service} lost {pct}% of its monthly error budget.",
    "The rollback procedure worked as documented and took {k} minutes.",
    "Finance confirmed that no customer was charged twice.",
    "Engineers in another time zone picked up the follow-up work the next morning.",
    "The runbook step for {part} checks was missing, so the team worked it out live.",
    "We kept the affected hosts out of service for a day to collect evidence.",
    "The first hypothesis pointed at {dependency}, and ruling it out took {k} minutes.",
    "Account managers called the {k} largest affected customers the same afternoon.",
    "A customer noticed the problem on social media before our first update.",
    "The mitigation was chosen because it could be undone in one command.",
    "Two engineers worked on the same hypothesis for a while without knowing it.",
    "We turned on debug logging for {service}, which doubled log volume for an hour.",
    "The {part} had last been changed {m} days before the incident.",
    "Error budgets of two other services were hit as a side effect.",
    "Synthetic checks from {region} kept passing because they hit a cached page.",
    "A handover note at the end of the day listed the open questions.",
    "The incident review took place {k} days later with everyone involved.",
    "No data was lost, and all delayed messages were delivered afterwards.",
    "Some requests were retried by clients, so the true failure count is lower than the logs suggest.",
    "Alerts from {service} were grouped into one page, which kept the noise down.",
    "The vendor's status page showed green for the whole incident.",
    "We compared the failing hosts with healthy ones and found no difference in versions.",
]  # fmt: skip
EXTRA_HEADINGS = ["Customer Communication", "What Went Well", "Where We Got Lucky", "Supporting Data"]  # fmt: skip


def write_body(rng: random.Random, report: Report) -> str:
    """Return the Markdown body, longer and with more sections for long reports."""
    ctx = dict(report.context, log=rng.choice(LOG_LINES))
    sections = [summary(rng, report, ctx), timeline(rng, report, ctx)]
    sections.append(root_cause(rng, report, ctx))
    if report.length == "long" or (report.length == "medium" and rng.random() < 0.6):
        sections.append(code_block(rng, ctx))
    if report.length == "long" or (report.length == "medium" and rng.random() < 0.4):
        sections.append(table_block(rng, ctx))
    if report.length == "long":
        sections.append(five_whys(rng, report, ctx))
        sections.append("## Contributing Factors\n\n" + bullets(rng.sample(GAPS, 3)))
    sections.append(
        "## Resolution\n\n" + paragraph(rng, report, ctx, 2, 4, lead=resolution(ctx))
    )
    if report.body_items:
        sections.append(action_items(rng, report))
    if report.length != "short":
        sections.append(
            "## Lessons Learned\n\n" + bullets(rng.sample(LESSONS, rng.randint(2, 4)))
        )
    if report.length == "long":
        for heading in rng.sample(EXTRA_HEADINGS, rng.randint(2, 4)):
            paragraphs = [
                paragraph(rng, report, ctx, 3, 6) for _ in range(rng.randint(1, 3))
            ]
            sections.append(f"## {heading}\n\n" + "\n\n".join(paragraphs))
    return "\n\n".join(sections) + "\n"


def fill(rng: random.Random, template: str, ctx: dict[str, str]) -> str:
    """Fill a template with the report's words and some random numbers."""
    numbers = {"k": str(rng.randint(2, 12)), "m": str(rng.randint(12, 40)),
               "n": f"{rng.randint(20, 9000):,}", "ms": str(rng.randint(80, 900))}  # fmt: skip
    return template.format(**ctx, **numbers)


def paragraph(
    rng: random.Random,
    report: Report,
    ctx: dict[str, str],
    low: int,
    high: int,
    lead: str = "",
) -> str:
    """Return a paragraph of ``low`` to ``high`` sentences, after ``lead`` if given."""
    # The report's own shuffled pool keeps sentences from repeating within it.
    pool = report.filler
    sentences = [lead] if lead else []
    for _ in range(rng.randint(low, high)):
        if not pool:
            pool.extend(rng.sample(FILLER, len(FILLER)))
        sentences.append(fill(rng, pool.pop(), ctx))
    return " ".join(sentences)


def bullets(lines: list[str]) -> str:
    """Return a Markdown bullet list."""
    return "\n".join(f"- {line[:1].upper()}{line[1:]}" for line in lines)


def summary(rng: random.Random, report: Report, ctx: dict[str, str]) -> str:
    """Return the Summary section: what happened, why, and how it ended."""
    start, end = report.started, report.resolved
    first = (f"On {start.day} {start:%B %Y} from {start:%H:%M} to {end:%H:%M}, {ctx['service']} "
             f"{ctx['symptom']}. {ctx['Audience']} could not {ctx['feature']}.")  # fmt: skip
    direct = CAUSES[report.category][0].format(**ctx)
    second = f"The trigger was {ctx['trigger_text']}: {direct}."
    third = (f"{ctx['detection'][:1].upper()}{ctx['detection'][1:]} paged the "
             f"{ctx['team']} on-call engineer, and the team {ctx['mitigation']}.")  # fmt: skip
    note = ""
    if rng.random() < 0.1:
        third += "[^1]"
        note = f"\n\n[^1]: Times are taken from the {ctx['service']} dashboards."
    parts = [first, second, third]
    if report.length == "long":
        parts.append(paragraph(rng, report, ctx, 3, 5))
    return "## Summary\n\n" + "\n\n".join(parts) + note


def timeline_events(
    rng: random.Random, report: Report, ctx: dict[str, str]
) -> list[tuple[datetime, str]]:
    """Return timeline entries from the start of impact to resolution, in order."""
    detected = (
        report.detected or report.started + (report.resolved - report.started) / 5
    )
    settled = report.mitigated or report.resolved
    counts = {"short": 2, "medium": rng.randint(3, 7), "long": rng.randint(8, 18)}
    count = counts[report.length]
    span = max(1, int((settled - detected).total_seconds() // 60))
    middle = sorted(rng.randrange(span) for _ in range(count))
    texts = rng.sample(MIDDLE_EVENTS, min(count, len(MIDDLE_EVENTS)))
    events = [(report.started, f"Impact begins: {ctx['trigger_text']} starts to affect {ctx['service']}."),
              (detected, f"{ctx['detection'][:1].upper()}{ctx['detection'][1:]} pages the on-call engineer.")]  # fmt: skip
    for minute, text in zip(middle, texts, strict=False):
        events.append((detected + timedelta(minutes=minute), fill(rng, text, ctx)))
    if report.mitigated:
        events.append((report.mitigated, f"The team {ctx['mitigation']}. Mitigated."))
    resolved = "Monitoring has been clean for 30 minutes. Incident resolved."
    events.append((report.resolved, resolved))
    return sorted(events, key=lambda event: event[0])


def timeline(rng: random.Random, report: Report, ctx: dict[str, str]) -> str:
    """Return the Timeline section as a list or as a table."""
    events = timeline_events(rng, report, ctx)
    full_dates = (
        report.resolved - report.started > timedelta(hours=10) or rng.random() < 0.2
    )
    stamp = "%Y-%m-%d %H:%M" if full_dates else "%H:%M"
    if rng.random() < 0.35:
        rows = [f"| {moment:{stamp}} | {text} |" for moment, text in events]
        return "## Timeline\n\n| Time | Event |\n|------|-------|\n" + "\n".join(rows)
    dash = rng.choice(["-", "–", "—"])
    lines = [f"- {moment:{stamp}} {dash} {text}" for moment, text in events]
    return "## Timeline\n\n" + "\n".join(lines)


def root_cause(rng: random.Random, report: Report, ctx: dict[str, str]) -> str:
    """Return the Root Cause section, with cause levels for longer reports."""
    direct, fundamental = (text.format(**ctx) for text in CAUSES[report.category])
    if report.length == "short":
        return (
            f"## Root Cause\n\n{direct[:1].upper()}{direct[1:]}, because {fundamental}."
        )
    lines = [f"- **Direct cause:** {direct}.", f"- **Fundamental cause:** {fundamental}.",
             f"- **System cause:** {ctx['gap']}, so nothing warned us before customers noticed."]  # fmt: skip
    return "## Root Cause\n\n" + "\n".join(lines)


def five_whys(rng: random.Random, report: Report, ctx: dict[str, str]) -> str:
    """Return the 5 Whys section as a numbered list."""
    direct, fundamental = (text.format(**ctx) for text in CAUSES[report.category])
    second_gap = rng.choice([gap for gap in GAPS if gap != ctx["gap"]])
    answers = [
        (f"Why could {ctx['audience']} not {ctx['feature']}?", f"{ctx['Service']} {ctx['symptom']}."),
        (f"Why did {ctx['service']} fail?", f"{direct[:1].upper()}{direct[1:]}."),
        ("Why did that happen?", f"{fundamental[:1].upper()}{fundamental[1:]}."),
        ("Why did tests and review not catch it?", f"Because {second_gap}."),
        ("Why was there no earlier warning?", f"Because {ctx['gap']}."),
    ]  # fmt: skip
    lines = [
        f"{number}. {question} {answer}"
        for number, (question, answer) in enumerate(answers, 1)
    ]
    return "## 5 Whys\n\n" + "\n".join(lines)


def resolution(ctx: dict[str, str]) -> str:
    """Return the first sentence of the Resolution section."""
    return (
        f"The team {ctx['mitigation']}, and {ctx['service']} recovered within minutes."
    )


def action_items(rng: random.Random, report: Report) -> str:
    """Return the Action Items section in one of the written forms pmkb reads."""
    lines = [action_line(rng, item) for item in report.action_items]
    if report.length == "long" and len(lines) >= 4:
        half = len(lines) // 2
        return ("## Action Items\n\n### Prevent\n\n" + "\n".join(lines[:half])
                + "\n\n### Detect\n\n" + "\n".join(lines[half:]))  # fmt: skip
    return "## Action Items\n\n" + "\n".join(lines)


def action_line(rng: random.Random, item: dict[str, str]) -> str:
    """Return one action item as a task-list line with owner and dates."""
    task, owner, due, status = item["task"], item["owner"], item["due"], item["status"]
    if status == "done":
        return f"- [x] {task} (Owner: {owner}, Done: {due})"
    if status == "open":
        return f"- [ ] {task} (Owner: {owner}, Due: {due})"
    spoken = {"in-progress": "in progress", "wont-do": "won't do"}[status]
    return f"- {task} (Owner: {owner}, Due: {due}, Status: {spoken})"
