"""The blame rule: language that puts the cause of an incident in a person.

Two kinds of wording are found. Blaming words ("human error", "careless")
are found anywhere. A person as the subject of a failure ("Alice failed to
renew", "someone didn't follow the runbook") is found when the subject is a
role, "someone", or a capitalised name. A capitalised word is not taken for a
name when the report uses it for a system or as a common noun. So "The deploy
failed to finish" passes, and so does "Kubernetes failed to schedule" in a
report about Kubernetes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.lint_rules import Finding, Subject

HINT = "describe what in the system allowed the action: a missing check, guard, alert or safe default"

# Language that puts the cause in a person instead of in the system. An
# "error budget" is the SRE term for allowed failures, not an accusation.
_BLAME = re.compile(
    r"\b(?:human|operator|pilot) errors?\b(?![\s-]+budgets?\b)"
    r"|\bcareless(?:ly|ness)?\b|\bnegligen(?:ce|t|tly)\b|\breckless(?:ly|ness)?\b"
    r"|\bincompeten(?:t|ce)\b|\bsloppy\b|\binattent(?:ive|ion)\b"
    r"|\bshould have (?:known|realised|realized)\b"
    r"|\bfault of\b|\b(?:his|her|their|my|[A-Z][a-z]+'s) (?:own )?fault\b"
    r"|\b(?:did not|didn't|failed to|forgot to|not) pay(?:ing)? (?:enough |proper )?attention\b"
    r"|\b(?:his|her|their|my) (?:own |simple |careless )?mistakes?\b"
    r"|\bforgot\b",
    re.IGNORECASE,
)
# A phrase right after one of these words argues against blame, as in
# "not human error" or "guards that prevent human error".
_UNBLAMING = re.compile(
    r"\b(?:not|no|never|rather than|instead of|prevent\w*|reduc\w*|avoid\w*"
    r"|against|beyond|blameless|without|isn't|wasn't)\b[\w\s'-]{0,20}$",
    re.IGNORECASE,
)
# Things that may "forget" without blaming anyone, as in "the script forgot".
_SYSTEM_NOUN_WORDS = (
    "config|configuration|script|job|code|service|system|process|tool|pipeline"
    "|template|deploy|deployment|library|function|client|server|program|automation"
    "|migration|cron|check|test|controller|module|handler|query|task|app"
    "|application|chart|manifest|playbook|workflow"
)
_SYSTEM_NOUNS = re.compile(
    rf"\b(?:{_SYSTEM_NOUN_WORDS})s?\s+(?:had\s+|has\s+)?$", re.IGNORECASE
)


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_ROLE = r"(?:on-call |on call )?(?:engineer|operator|technician|developer|administrator|admin)"
# A person, followed by a verb phrase stating that they did not do their part.
# A capitalised word counts as a name only after the checks of _name_start.
# NOTE: a product name that is one plain capitalised word, missing from
# _PRODUCTS and from the report's title, services and tags, reads as a name.
_PERSON_FAILED = re.compile(
    r"(?:\b(?:[Ss]ome(?:one|body)|[Tt]he " + _ROLE + r"|[Aa]n? " + _ROLE + r"|[Hh]e|[Ss]he)"
    r"|(?<![\w.'/-])(?P<name>[A-Z][a-z]+))"
    r"\s+(?:should(?:n't| not)? have|failed to|didn't|did not|forgot|neglected|ignored)\b"
    r"(?!\s+(?:have|get|receive|need)\b)"
)  # fmt: skip
# Capitalised words that start a sentence or a clause without naming a person.
_NOT_NAMES = _word_set(
    "it this that these those we they you i which who what there here everything "
    "something anything nothing everyone anyone nobody one all both each some many "
    "most none and but or so then also still yet again later initially eventually "
    "finally once when while because if however unfortunately"
)
# Plural nouns that often start a sentence about a system: "Alerts didn't fire".
_THING_PLURALS = _word_set(
    "alerts backups nodes pods containers requests hosts instances users customers clients"
)
# Products often named in reports, as plain capitalised words like a name.
# The report's own services and tags add to them.
_PRODUCTS = _word_set(
    "kubernetes jenkins terraform ansible puppet chef docker helm kafka redis postgres "
    "postgresql mysql mongo nginx apache consul vault nomad istio envoy linux windows "
    "chrome firefox safari android slack google amazon azure cloudflare fastly akamai "
    "github gitlab prometheus grafana alertmanager elasticsearch kibana cassandra "
    "zookeeper memcached varnish traefik spinnaker argo sentry datadog splunk okta "
    "stripe heroku celery sidekiq airflow spark hadoop java python node"
)
_DETERMINERS = _word_set("the a an our their its this that your my his her")
_SYSTEM_WORDS = frozenset(_SYSTEM_NOUN_WORDS.split("|"))
_PREVIOUS_TOKEN = re.compile(r"(\S+)\s+$")
_CAPITALISED = re.compile(r"[A-Z][a-z]+")
# A word with a capital letter inside a phrase: part of a product's name.
_PROPER_TOKEN = re.compile(r"[\w.-]*[A-Z][\w.-]*")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")


def _words(values: object) -> set[str]:
    """Return the lower-case words of a value, a list or a mapping of values."""
    if isinstance(values, dict):
        values = list(values.values())
    if not isinstance(values, list):
        values = [values]
    return {word.lower() for value in values for word in _WORD.findall(str(value))}


def thing_words(subject: Subject) -> set[str]:
    """Return words that name things, not people, in this report.

    They are the words of the title, services, tags and extra fields, and
    words the report also writes in lower case, which are common nouns.
    """
    postmortem = subject.postmortem
    names = [postmortem.title, postmortem.services, postmortem.tags]
    words = set().union(*(_words(value) for value in names))
    words |= _words(postmortem.extra)
    lower_case = {
        word for line in subject.lines for word in _WORD.findall(line) if word.islower()
    }
    # A person's name may be written in lower case as an author or an owner.
    people = _words(postmortem.authors) | _words(
        [item.owner for item in postmortem.action_items]
    )
    return words | (lower_case - people)


def _name_start(line: str, start: int, things: set[str]) -> int | None:
    """Return where the person's name that ends a phrase at ``start`` begins.

    Returns None when the capitalised word more likely names a thing: a word
    of the report's systems, a common noun, or part of a longer proper name.
    """
    words = [_CAPITALISED.match(line, start).group(0)]  # type: ignore[union-attr]
    previous = _PREVIOUS_TOKEN.search(line, 0, start)
    # "John Smith": a first name before the surname.
    if (
        previous
        and _CAPITALISED.fullmatch(previous.group(1))
        and previous.group(1).lower() not in _NOT_NAMES
    ):
        words.insert(0, previous.group(1))
        start = previous.start(1)
        previous = _PREVIOUS_TOKEN.search(line, 0, start)
    if previous:
        token = previous.group(1)
        if token.lower() in _DETERMINERS:
            return None
        if _PROPER_TOKEN.fullmatch(token) and token.lower() not in _NOT_NAMES:
            return None
    for word in (word.lower() for word in words):
        if word in _NOT_NAMES or word in _THING_PLURALS or word in _PRODUCTS:
            return None
        if word in things:
            return None
        if word in _SYSTEM_WORDS or word.removesuffix("s") in _SYSTEM_WORDS:
            return None
    return start


def _blaming_spans(line: str, things: set[str]) -> Iterator[tuple[int, int]]:
    for match in _BLAME.finditer(line):
        before = line[: match.start()]
        if match.group(0).lower() == "forgot" and _SYSTEM_NOUNS.search(before):
            continue
        yield match.start(), match.end()
    for match in _PERSON_FAILED.finditer(line):
        start: int | None = match.start()
        if match.group("name"):
            start = _name_start(line, match.start(), things)
        if start is not None:
            yield start, match.end()


def blaming_language(subject: Subject) -> Iterator[Finding]:
    """Ask for causes written about the system, not about a person."""
    things = thing_words(subject)
    for number, line in enumerate(subject.lines, start=1):
        end = -1
        for start, stop in sorted(_blaming_spans(line, things)):
            # One finding per phrase, where two patterns overlap.
            if start < end or _UNBLAMING.search(line[:start]):
                continue
            end = stop
            yield Finding(
                number, f"blaming language: '{line[start:stop]}'", HINT, start + 1
            )
