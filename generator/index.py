"""Cross-index the postmortems: taxonomies, aliases and related incidents.

Checks that need the whole collection happen here: unique ids, aliases that
collide, and ``related`` entries that point at nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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

    def terms_of(self, postmortem: Postmortem, taxonomy: str) -> list[Term]:
        """Return the terms of one taxonomy that a report belongs to."""
        return [t for t in self.taxonomies[taxonomy] if postmortem in t.postmortems]

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
        slug = slugify(name) or "none"
        term = groups[taxonomy].get(slug)
        if term is None:
            term = groups[taxonomy][slug] = Term(
                taxonomy, slug, name, description, rank
            )
        if postmortem not in term.postmortems:
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


def _related(
    postmortem: Postmortem,
    explicit: dict[str, list[str]],
    by_id: dict[str, Postmortem],
    postmortems: list[Postmortem],
    limit: int = 6,
) -> list[tuple[Postmortem, str]]:
    """Return explicit related reports first, then ones sharing a category or service."""
    result: list[tuple[Postmortem, str]] = []
    seen = {postmortem.id}
    for related_id in explicit[postmortem.id]:
        other = by_id.get(related_id)
        if other and other.id not in seen:
            result.append((other, "linked"))
            seen.add(other.id)
    for other in postmortems:
        if postmortem.id in explicit[other.id] and other.id not in seen:
            result.append((other, "links here"))
            seen.add(other.id)
    scored = []
    for other in postmortems:
        if other.id in seen:
            continue
        shared_categories = set(other.root_cause.categories) & set(
            postmortem.root_cause.categories
        )
        shared_services = set(other.services) & set(postmortem.services)
        score = 2 * len(shared_categories) + len(shared_services)
        if score:
            reasons = [f"same category ({c})" for c in sorted(shared_categories)]
            reasons += [f"same service ({s})" for s in sorted(shared_services)]
            scored.append((score, other.sort_time, other, ", ".join(reasons[:2])))
    scored.sort(key=lambda item: (-item[0], -item[1].timestamp()))
    for _, _, other, reason in scored:
        if len(result) >= limit:
            break
        result.append((other, reason))
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
    for postmortem in published:
        index.related[postmortem.id] = _related(
            postmortem, explicit, index.by_id, published
        )
    return index, problems
