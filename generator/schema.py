"""The JSON Schema of the front matter, for editors and yaml-language-server.

The vocabularies come from ``kb.toml``, so an editor offers the collection's
own severities, categories and triggers. Each vocabulary is an enum of the
names as kb.toml spells them, for completion, or a pattern that accepts what
pmkb accepts: the same names in any letter case, with spaces around them.
"""

from __future__ import annotations

import json
from typing import Any

from generator.config import FIELD_SHORTHANDS, Config
from generator.vocabulary import ACTION_STATUSES, STATUSES

DIALECT = "https://json-schema.org/draft/2020-12/schema"
# The file that ``pmkb new`` keeps in the content folder and points editors to.
SCHEMA_FILE = "kb.schema.json"

# The time forms pmkb reads: a date, then an optional time and offset.
TIME_PATTERN = (
    r"^\d{4}-\d{1,2}-\d{1,2}"
    r"(?:[Tt ]+\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?"
    r"\s*(?:[Zz]|[Uu][Tt][Cc]|[Gg][Mm][Tt]|[+-]\d{2}(?::?\d{2})?)?$"
)
_TEXT_LIST = {
    "anyOf": [
        {"type": ["string", "number"]},
        {"type": "array", "items": {"type": ["string", "number"]}},
    ]
}


# Characters that mean something in a regular expression outside a class.
_REGEX_SYNTAX = frozenset("\\^$.|?*+()[]{}/")


def _any_case(name: str, separators: bool) -> str:
    """Return a pattern of ``name`` in any letter case.

    With ``separators``, a '-' also matches a space or '_', as action item
    statuses do.
    """
    parts = []
    for char in name.lower():
        if separators and char == "-":
            parts.append("[-_ ]")
        elif char.upper() != char and len(char.upper()) == 1:
            parts.append(f"[{char}{char.upper()}]")
        elif char in _REGEX_SYNTAX:
            parts.append("\\" + char)
        else:
            parts.append(char)
    return "".join(parts)


def names_schema(names: list[str], separators: bool = False) -> dict[str, Any]:
    """Return a schema that accepts the names as pmkb reads them.

    YAML reads a name of digits as a number, which pmkb turns back into text,
    so such names are also accepted as integers.
    """
    if not names:
        return {"enum": []}
    numbers = [
        int(name)
        for name in names
        if name.isascii() and name.isdigit() and str(int(name)) == name
    ]
    pattern = "|".join(_any_case(name, separators) for name in names)
    return {
        "anyOf": [
            {"enum": [*names, *numbers]},
            {"type": "string", "pattern": f"^\\s*(?:{pattern})\\s*$"},
        ]
    }


def _described(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, **schema}


def _optional(schema: dict[str, Any]) -> dict[str, Any]:
    """Also allow an empty value or text, which pmkb reads as a missing field."""
    inner = {key: value for key, value in schema.items() if key != "description"}
    return {
        "description": schema.get("description", ""),
        "anyOf": [inner, {"type": "null"}, {"const": ""}],
    }


def _time(description: str) -> dict[str, Any]:
    return _described({"type": "string", "pattern": TIME_PATTERN}, description)


def _category(config: Config, required: bool) -> dict[str, Any]:
    names = names_schema(list(config.categories))
    array: dict[str, Any] = {"type": "array", "items": names}
    if required:
        # pmkb reads an empty list as a missing field.
        array["minItems"] = 1
    return {"anyOf": [names, array]}


def _root_cause(config: Config, category_required: bool) -> dict[str, Any]:
    category = _category(config, category_required)
    mapping: dict[str, Any] = {
        "type": "object",
        "properties": {
            "category": _described(category, "Root-cause category, or a list of them"),
            "summary": {
                "type": "string",
                "description": "Why it happened, in one line",
            },
        },
        "additionalProperties": False,
    }
    if category_required:
        mapping["required"] = ["category"]
    return {"anyOf": [*category["anyOf"], mapping]}


def _action_items() -> dict[str, Any]:
    date = {"type": "string", "description": "A date such as 2025-02-15"}
    item = {
        "type": "object",
        "properties": {
            "task": {
                "type": "string",
                "minLength": 1,
                "description": "What will change",
            },
            "owner": {"type": "string", "description": "Team or person responsible"},
            "due": date,
            "done": date,
            "status": names_schema(list(ACTION_STATUSES), separators=True),
        },
        "required": ["task"],
        "additionalProperties": False,
    }
    items = {"anyOf": [{"type": "string", "minLength": 1}, item]}
    return {"type": "array", "items": items}


def field_schemas(config: Config) -> dict[str, dict[str, Any]]:
    """Return the schema of each canonical field, keyed by field name."""
    severities = [
        name for level in config.severities for name in (level.key, *level.aliases)
    ]
    required = required_fields(config)
    return {
        "title": _described({"type": "string", "minLength": 1}, "What broke, for whom and why"),
        "severity": _described(names_schema(severities), "A level or alias of the severity scale, in any letter case"),
        "status": _described(names_schema(list(STATUSES)), "Drafts are left out of the site unless built with --drafts"),
        "timezone": _described({"type": "string"}, "IANA name such as Europe/Berlin, or an offset like +09:00, for times without an offset"),
        "started": _time("When the impact began: YYYY-MM-DD HH:MM"),
        "detected": _time("When the incident was detected"),
        "mitigated": _time("When the impact was reduced"),
        "resolved": _time("When the impact ended"),
        "impact": _described({"type": "string", "minLength": 1}, "Who was affected and how, in one line"),
        "summary": _described({"type": "string"}, "A short summary of the incident"),
        "users_affected": _described({"anyOf": [{"type": "integer", "minimum": 0}, {"type": "string", "pattern": r"^[0-9][0-9,_]*$"}]}, "How many users were affected"),
        "root_cause": _described(_root_cause(config, "root_cause.category" in required), "category (from the vocabulary) and summary"),
        "root_cause.category": _described(_category(config, "root_cause.category" in required), "Root-cause category, or a list of them"),
        "root_cause.summary": _described({"type": "string"}, "Why it happened, in one line"),
        "trigger": _described(names_schema(list(config.triggers)), "What set the incident off"),
        "contributing_factors": _described(_TEXT_LIST, "Conditions that made the incident possible or worse"),
        "services": _described(_TEXT_LIST, "Affected services"),
        "tags": _described(_TEXT_LIST, "Free-form tags"),
        "authors": _described(_TEXT_LIST, "Who wrote the report"),
        "action_items": _described(_action_items(), "Follow-up tasks with owner, due date and status"),
        "related": _described(_TEXT_LIST, "Ids (file names without .md) of related postmortems"),
        "aliases": _described(_TEXT_LIST, "Old ids that should still lead to this report"),
    }  # fmt: skip


def required_fields(config: Config) -> list[str]:
    """Return the fields that are errors when missing and have no default."""
    return [
        name
        for name, level in config.field_levels.items()
        if level == "error" and name not in config.defaults
    ]


def _keys_for(name: str, config: Config) -> list[str]:
    """Return the top-level keys that can give a field its value."""
    keys = [name.split(".")[0]]
    keys += [key for key, target in FIELD_SHORTHANDS.items() if target == name]
    keys += [
        key
        for key, target in config.field_aliases.items()
        if target == name or (name.startswith(target + ".") and target == "root_cause")
    ]
    return list(dict.fromkeys(keys))


def front_matter_schema(config: Config) -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of a postmortem's front matter."""
    required = required_fields(config)
    # The root_cause mapping is as required as the category inside it.
    not_empty = set(required) | (
        {"root_cause"} if "root_cause.category" in required else set()
    )
    fields = {
        name: schema if name in not_empty else _optional(schema)
        for name, schema in field_schemas(config).items()
    }
    properties = {name: schema for name, schema in fields.items() if "." not in name}
    for key, target in FIELD_SHORTHANDS.items():
        properties[key] = fields[target]
    for key, target in config.field_aliases.items():
        properties[key] = fields[target]
    for key in config.extra_fields:
        properties.setdefault(key, {"description": "Shown as is on the report page"})

    schema: dict[str, Any] = {
        "$schema": DIALECT,
        "title": f"{config.title}: postmortem front matter",
        "description": "Front matter of a pmkb postmortem. Generated by 'pmkb schema' from kb.toml.",
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    plain, either = [], []
    for name in required:
        keys = _keys_for(name, config)
        if len(keys) == 1:
            plain.append(keys[0])
        else:
            either.append({"anyOf": [{"required": [key]} for key in keys]})
    if plain:
        schema["required"] = plain
    if either:
        schema["allOf"] = either
    return schema


def schema_text(config: Config) -> str:
    """Return the schema as indented JSON text."""
    return json.dumps(front_matter_schema(config), indent=2, ensure_ascii=False) + "\n"
