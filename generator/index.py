"""Cross-index the postmortems: taxonomies, aliases and related incidents.

Checks that need the whole collection happen here: unique ids, aliases that
collide, and ``related`` entries that point at nothing.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from slugify import slugify

from generator.config import Config
from generator.errors import Level, Problem
from generator.model import Postmortem
from generator.validate import did_you_mean

# Top-level names the site uses for its own pages; a report id may not take them.
RESERVED = {
    "index", "postmortems", "categories", "severities", "services", "tags", "years",
    "triggers", "trends", "recurring", "actions", "search", "api", "static", "pagefind",
    "feed.xml", "sitemap.xml", "404", "404.html", "_pmkb",
}  # fmt: skip


@lru_cache(maxsize=65536)
def term_slug(name: str) -> str:
    """Return the URL slug of a term name; the same names repeat in every report."""
    return slugify(name) or "none"


@dataclass
class Term:
    """One value of a taxonomy (a category, a service) and its reports."""

    taxonomy: str
    slug: str
    name: str
    description: str = ""
    rank: int = 0
    postmortems: list[Postmortem] = field(default_factory=list)

    @property
    def url(self) -> str:
        """Return the term page's URL relative to the site root."""
        return f"{TAXONOMIES[self.taxonomy][0]}/{self.slug}/"


# key -> (folder, plural title, singular title)
TAXONOMIES = {
    "category": ("categories", "Root-cause categories", "Category"),
    "severity": ("severities", "Severities", "Severity"),
    "service": ("services", "Services", "Service"),
    "tag": ("tags", "Tags", "Tag"),
    "year": ("years", "Years", "Year"),
    "trigger": ("triggers", "Triggers", "Trigger"),
}


@dataclass
class SiteIndex:
    """The published postmortems and everything derived from the whole set."""

    postmortems: list[Postmortem]
    by_id: dict[str, Postmortem]
    aliases: dict[str, str]
    taxonomies: dict[str, list[Term]]
    related: dict[str, list[tuple[Postmortem, str]]]
    explicit_related: dict[str, list[str]]
    _terms_by_report: dict[tuple[str, str], list[Term]] | None = None

    def terms_of(self, postmortem: Postmortem, taxonomy: str) -> list[Term]:
        """Return the terms of one taxonomy that a report belongs to."""
        if self._terms_by_report is None:
            self._terms_by_report = {}
            for key, terms in self.taxonomies.items():
                for term in terms:
                    for member in term.postmortems:
                        self._terms_by_report.setdefault((key, member.id), []).append(
                            term
                        )
        return self._terms_by_report.get((taxonomy, postmortem.id), [])

    def term(self, taxonomy: str, name: str) -> Term | None:
        """Return a term by its name or slug."""
        wanted = slugify(str(name)) or str(name)
        return next((t for t in self.taxonomies[taxonomy] if t.slug == wanted), None)


def _terms(postmortems: list[Postmortem], config: Config) -> dict[str, list[Term]]:
    groups: dict[str, dict[str, Term]] = {key: {} for key in TAXONOMIES}

    def add(
        taxonomy: str,
        name: str,
        postmortem: Postmortem,
        description: str = "",
        rank: int = 0,
    ) -> None:
        slug = term_slug(name)
        term = groups[taxonomy].get(slug)
        if term is None:
            term = groups[taxonomy][slug] = Term(
                taxonomy, slug, name, description, rank
            )
        # A report adds itself to a term once, in one pass, unless two of its
        # names give the same slug, so only the last member can repeat it.
        if not term.postmortems or term.postmortems[-1] is not postmortem:
            term.postmortems.append(postmortem)

    for postmortem in postmortems:
        for category in postmortem.root_cause.categories or ["unknown"]:
            add("category", category, postmortem, config.categories.get(category, ""))
        severity = postmortem.severity
        add("severity", severity.key, postmortem, severity.label, severity.rank)
        for service in postmortem.services:
            add("service", service, postmortem)
        for tag in postmortem.tags:
            add("tag", tag, postmortem)
        if postmortem.date:
            add("year", str(postmortem.date.year), postmortem)
        if postmortem.trigger:
            add(
                "trigger",
                postmortem.trigger,
                postmortem,
                config.triggers.get(postmortem.trigger, ""),
            )

    result = {}
    for taxonomy, terms in groups.items():
        ordered = list(terms.values())
        if taxonomy == "severity":
            ordered.sort(key=lambda t: t.rank)
        elif taxonomy == "year":
            ordered.sort(key=lambda t: t.name, reverse=True)
        else:
            ordered.sort(key=lambda t: (-len(t.postmortems), t.name.lower()))
        result[taxonomy] = ordered
    return result


# How many reports before and after an incident, in each of its categories and
# services, are scored as related. It bounds the work per report, so indexing
# stays linear in the number of reports.
RELATED_WINDOW = 8


Members = dict[tuple[str, str], tuple[list[datetime], list[Postmortem]]]


def _neighbours(postmortem: Postmortem, members: Members) -> dict[str, Postmortem]:
    """Return the reports closest in time that share a category or service."""
    found: dict[str, Postmortem] = {}
    keys = [("category", c) for c in postmortem.root_cause.categories]
    keys += [("service", s) for s in postmortem.services]
    for key in keys:
        times, ordered = members.get(key, ([], []))
        position = bisect_left(times, postmortem.sort_time)
        start = max(0, position - RELATED_WINDOW)
        for other in ordered[start : position + RELATED_WINDOW + 1]:
            found[other.id] = other
    found.pop(postmortem.id, None)
    return found


def _related(
    postmortem: Postmortem,
    explicit: dict[str, list[str]],
    linked_from: dict[str, list[str]],
    by_id: dict[str, Postmortem],
    members: Members,
    limit: int = 6,
) -> list[tuple[Postmortem, str]]:
    """Return explicit related reports first, then ones sharing a category or
    service, the most shared first and then the closest in time."""
    result: list[tuple[Postmortem, str]] = []
    seen = {postmortem.id}
    for related_id in explicit[postmortem.id]:
        other = by_id.get(related_id)
        if other and other.id not in seen:
            result.append((other, "linked"))
            seen.add(other.id)
    for other_id in linked_from.get(postmortem.id, []):
        if other_id not in seen:
            result.append((by_id[other_id], "links here"))
            seen.add(other_id)
    categories = set(postmortem.root_cause.categories)
    services = set(postmortem.services)
    moment = postmortem.sort_time.timestamp()
    scored = []
    for other in _neighbours(postmortem, members).values():
        if other.id in seen:
            continue
        shared = 2 * len(categories.intersection(other.root_cause.categories))
        shared += len(services.intersection(other.services))
        distance = abs(other.sort_time.timestamp() - moment)
        scored.append((-shared, distance, other.id, other))
    # Reasons are written only for the few that are shown.
    for *_, other in heapq.nsmallest(
        max(0, limit - len(result)), scored, key=lambda item: item[:3]
    ):
        reasons = [
            f"same category ({c})"
            for c in sorted(categories.intersection(other.root_cause.categories))
        ]
        reasons += [
            f"same service ({s})" for s in sorted(services.intersection(other.services))
        ]
        result.append((other, ", ".join(reasons[:2])))
    return result


def build_index(
    loaded: list[Postmortem], config: Config, include_drafts: bool
) -> tuple[SiteIndex, list[Problem]]:
    """Index the loaded reports and check what needs the whole collection."""
    problems: list[Problem] = []
    by_id: dict[str, Postmortem] = {}
    for postmortem in sorted(loaded, key=lambda p: p.source_path):
        if postmortem.id.split("/")[0] in RESERVED:
            problems.append(
                Problem(
                    postmortem.source_path,
                    1,
                    1,
                    Level.ERROR,
                    f"id '{postmortem.id}' is reserved for a page of the site",
                    "rename the file",
                )
            )
            continue
        first = by_id.get(postmortem.id)
        if first:
            problems.append(
                Problem(
                    postmortem.source_path,
                    1,
                    1,
                    Level.ERROR,
                    f"id '{postmortem.id}' is also the id of {first.source_path}",
                    "rename one of the two files; ids come from file names",
                )
            )
            continue
        by_id[postmortem.id] = postmortem

    aliases: dict[str, str] = {}
    for postmortem in by_id.values():
        for alias in postmortem.aliases:
            owner = aliases.get(alias) or (alias if alias in by_id else None)
            line = postmortem.line_of("aliases")
            if alias.split("/")[0] in RESERVED:
                problems.append(
                    Problem(
                        postmortem.source_path,
                        line,
                        1,
                        Level.ERROR,
                        f"alias '{alias}' is reserved for a page of the site",
                        "choose another alias",
                    )
                )
            elif owner:
                owner_path = by_id[owner].source_path
                problems.append(
                    Problem(
                        postmortem.source_path,
                        line,
                        1,
                        Level.ERROR,
                        f"alias '{alias}' is already used by {owner_path}",
                        "remove the alias from one of the two files",
                    )
                )
            else:
                aliases[alias] = postmortem.id

    published = [p for p in by_id.values() if include_drafts or p.status != "draft"]
    published_ids = {p.id for p in published}
    explicit: dict[str, list[str]] = {}
    for postmortem in published:
        resolved = []
        for related_id in postmortem.related:
            target = aliases.get(related_id, related_id)
            line = postmortem.line_of("related")
            if target not in by_id:
                problems.append(
                    Problem(
                        postmortem.source_path,
                        line,
                        1,
                        Level.ERROR,
                        f"related id '{related_id}' matches no postmortem",
                        did_you_mean(related_id, sorted(by_id)),
                    )
                )
                continue
            if target not in published_ids:
                problems.append(
                    Problem(
                        postmortem.source_path,
                        line,
                        1,
                        Level.WARNING,
                        f"related postmortem '{related_id}' is a draft and is left out of the site",
                        "build with --drafts to include it",
                    )
                )
                continue
            resolved.append(target)
        explicit[postmortem.id] = resolved

    published.sort(key=lambda p: (p.sort_time, p.id), reverse=True)
    index = SiteIndex(
        postmortems=published,
        by_id={p.id: p for p in published},
        aliases={a: i for a, i in aliases.items() if i in published_ids},
        taxonomies=_terms(published, config),
        related={},
        explicit_related=explicit,
    )
    linked_from: dict[str, list[str]] = {}
    for postmortem in published:
        for target in explicit[postmortem.id]:
            linked_from.setdefault(target, []).append(postmortem.id)
    members: Members = {}
    for postmortem in sorted(published, key=lambda p: (p.sort_time, p.id)):
        keys = [("category", c) for c in postmortem.root_cause.categories]
        keys += [("service", s) for s in postmortem.services]
        for key in keys:
            times, ordered = members.setdefault(key, ([], []))
            times.append(postmortem.sort_time)
            ordered.append(postmortem)
    for postmortem in published:
        index.related[postmortem.id] = _related(
            postmortem, explicit, linked_from, index.by_id, members
        )
    return index, problems
