"""Cross-index the postmortems: taxonomies, aliases and related incidents.

Checks that need the whole collection happen here: unique ids, aliases that
collide, and ``related`` entries and body links that point at nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from slugify import slugify

from generator.config import Config
from generator.errors import Level, Problem
from generator.links import check_report_links
from generator.model import Postmortem
from generator.related import RelatedReports
from generator.vocabulary import did_you_mean

# Top-level names the site uses for its own pages; a report id may not take them.
RESERVED = {
    "index", "postmortems", "categories", "severities", "services", "tags", "years",
    "triggers", "trends", "recurring", "actions", "search", "api", "static", "pagefind",
    "feed.xml", "sitemap.xml", "404", "404.html", "_pmkb", "files",
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
    related: RelatedReports
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


def _problem(
    postmortem: Postmortem,
    line: int,
    message: str,
    hint: str,
    level: Level = Level.ERROR,
) -> Problem:
    return Problem(postmortem.source_path, line, 1, level, message, hint)


def _unique_ids(
    loaded: list[Postmortem], problems: list[Problem]
) -> dict[str, Postmortem]:
    """Return the reports by id, reporting reserved and repeated ids."""
    by_id: dict[str, Postmortem] = {}
    for postmortem in sorted(loaded, key=lambda p: p.source_path):
        first = by_id.get(postmortem.id)
        if postmortem.id.split("/")[0] in RESERVED:
            problems.append(
                _problem(
                    postmortem,
                    1,
                    f"id '{postmortem.id}' is reserved for a page of the site",
                    "rename the file",
                )
            )
        elif first:
            message = f"id '{postmortem.id}' is also the id of {first.source_path}"
            problems.append(
                _problem(
                    postmortem,
                    1,
                    message,
                    "rename one of the two files, because ids come from file names",
                )
            )
        else:
            by_id[postmortem.id] = postmortem
    return by_id


def _aliases(by_id: dict[str, Postmortem], problems: list[Problem]) -> dict[str, str]:
    """Return the report id of every alias, reporting reserved and repeated aliases."""
    aliases: dict[str, str] = {}
    for postmortem in by_id.values():
        line = postmortem.line_of("aliases")
        for alias in postmortem.aliases:
            owner = aliases.get(alias) or (alias if alias in by_id else None)
            if alias.split("/")[0] in RESERVED:
                problems.append(
                    _problem(
                        postmortem,
                        line,
                        f"alias '{alias}' is reserved for a page of the site",
                        "choose another alias",
                    )
                )
            elif owner:
                message = (
                    f"alias '{alias}' is already used by {by_id[owner].source_path}"
                )
                problems.append(
                    _problem(
                        postmortem,
                        line,
                        message,
                        "remove the alias from one of the two files",
                    )
                )
            else:
                aliases[alias] = postmortem.id
    return aliases


def _explicit_related(
    published: list[Postmortem],
    by_id: dict[str, Postmortem],
    aliases: dict[str, str],
    problems: list[Problem],
    known_ids: set[str],
) -> dict[str, list[str]]:
    """Return the ids each report names under ``related``, through aliases, reporting unknown ones.

    ``known_ids`` are the ids of files that failed to load: their own errors
    are reported, so a link to one is left out without a second error.
    """
    published_ids = {p.id for p in published}
    explicit: dict[str, list[str]] = {}
    for postmortem in published:
        line = postmortem.line_of("related")
        explicit[postmortem.id] = []
        for related_id in postmortem.related:
            target = aliases.get(related_id, related_id)
            if target == postmortem.id:
                problems.append(
                    _problem(
                        postmortem,
                        line,
                        "'related' lists this report itself",
                        "remove it from the list",
                        Level.WARNING,
                    )
                )
            elif target not in by_id and target in known_ids:
                continue
            elif target not in by_id:
                others = sorted(i for i in by_id if i != postmortem.id)
                hint = did_you_mean(related_id, others)
                problems.append(
                    _problem(
                        postmortem,
                        line,
                        f"related id '{related_id}' matches no postmortem",
                        hint,
                    )
                )
            elif target not in published_ids:
                message = f"related postmortem '{related_id}' is a draft and is left out of the site"
                problems.append(
                    _problem(
                        postmortem,
                        line,
                        message,
                        "build with --drafts to include it",
                        Level.WARNING,
                    )
                )
            else:
                explicit[postmortem.id].append(target)
    return explicit


def is_published(postmortem: Postmortem, include_drafts: bool) -> bool:
    """Tell whether the site shows a report: drafts only with --drafts."""
    return include_drafts or postmortem.status != "draft"


def build_index(
    loaded: list[Postmortem],
    config: Config,
    include_drafts: bool,
    known_ids: set[str] | None = None,
) -> tuple[SiteIndex, list[Problem]]:
    """Index the loaded reports and check what needs the whole collection."""
    problems: list[Problem] = []
    by_id = _unique_ids(loaded, problems)
    aliases = _aliases(by_id, problems)
    published = [p for p in by_id.values() if is_published(p, include_drafts)]
    explicit = _explicit_related(
        published, by_id, aliases, problems, known_ids or set()
    )
    published.sort(key=lambda p: (p.sort_time, p.id), reverse=True)
    related = RelatedReports(published, explicit)
    check_report_links(published, by_id, aliases, related, problems, known_ids or set())
    published_ids = {p.id for p in published}
    index = SiteIndex(
        postmortems=published,
        by_id={p.id: p for p in published},
        aliases={a: i for a, i in aliases.items() if i in published_ids},
        taxonomies=_terms(published, config),
        related=related,
        explicit_related=explicit,
    )
    return index, problems
