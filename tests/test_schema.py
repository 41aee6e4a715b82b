"""pmkb schema: a valid JSON Schema whose vocabularies follow kb.toml."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPOSITORY, write_files

from generator.cli import main
from generator.config import load_config
from generator.errors import Level
from generator.load import load_postmortem
from generator.parse import parse_document
from generator.schema import front_matter_schema
from generator.vocabulary import ACTION_STATUSES, STATUSES

jsonschema = pytest.importorskip("jsonschema")

CUSTOM = """\
default_categories = false
default_triggers = false

[severity]
levels = [
  { key = "P0", label = "Outage", aliases = ["outage"] },
  { key = "P1", label = "Degraded" },
]

[categories]
vendor = "A vendor's product failed"
human-process = "A manual step went wrong"

[triggers]
migration = "A data migration"

[field_aliases]
name = "title"
cause = "root_cause.category"

[fields]
services = "error"
"""


def schema_of(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    assert main(["schema", *args]) == 0
    return json.loads(capsys.readouterr().out)


def front_matter(path: Path) -> dict[str, Any]:
    document, problems = parse_document(str(path), path.read_text(encoding="utf-8"))
    assert document is not None, problems
    return document.metadata


def test_schema_is_valid_2020_12(capsys) -> None:
    schema = schema_of(capsys, "--content", str(REPOSITORY / "content"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_bundled_content_matches_schema(capsys) -> None:
    content = REPOSITORY / "content"
    validator = jsonschema.Draft202012Validator(
        schema_of(capsys, "--content", str(content))
    )
    files = sorted(content.rglob("*.md"))
    assert files
    for path in files:
        errors = [error.message for error in validator.iter_errors(front_matter(path))]
        assert errors == [], path


def test_default_enums(capsys, tmp_path: Path) -> None:
    properties = schema_of(capsys, "--content", str(tmp_path))["properties"]
    severity = properties["severity"]["anyOf"]
    assert severity[0]["enum"][:6] == ["SEV1", "critical", "P1", "S1", "sev-1", "SEV2"]
    assert severity[1]["pattern"].startswith(r"^\s*(?:[sS][eE][vV]1|[cC][rR]")
    status = properties["status"]["anyOf"][0]["anyOf"]
    assert status[0] == {"enum": ["draft", "review", "published"]}
    assert status[1] == {
        "type": "string",
        "pattern": r"^\s*(?:[dD][rR][aA][fF][tT]|[rR][eE][vV][iI][eE][wW]|[pP][uU][bB][lL][iI][sS][hH][eE][dD])\s*$",
    }
    trigger = properties["trigger"]["anyOf"][0]["anyOf"][0]["enum"]
    assert trigger[0] == "deploy"
    assert len(trigger) == 9


def test_enums_follow_config(capsys, tmp_path: Path) -> None:
    content = write_files(tmp_path / "content", {"kb.toml": CUSTOM})
    schema = schema_of(capsys, "--content", str(content))
    properties = schema["properties"]
    assert properties["severity"]["anyOf"][0] == {"enum": ["P0", "outage", "P1"]}
    assert properties["trigger"]["anyOf"][0]["anyOf"][0] == {"enum": ["migration"]}
    categories = {"enum": ["vendor", "human-process"]}
    assert properties["root_cause"]["anyOf"][0]["anyOf"][0] == categories
    assert properties["cause"]["anyOf"][0]["anyOf"][0] == categories
    assert properties["name"] == properties["title"]
    assert schema["required"] == ["severity", "impact", "services"]
    assert schema["allOf"] == [
        {"anyOf": [{"required": ["title"]}, {"required": ["name"]}]},
        {"anyOf": [{"required": ["root_cause"]}, {"required": ["category"]}, {"required": ["cause"]}]},
    ]  # fmt: skip


@pytest.mark.parametrize(
    "front, valid",
    [
        ({"name": "A", "severity": "outage", "impact": "x", "cause": "vendor", "services": ["a"]}, True),
        ({"name": "A", "severity": "outage", "impact": "x", "root_cause": {"category": ["vendor"], "summary": "s"}, "services": "a"}, True),
        ({"name": "A", "severity": "SEV1", "impact": "x", "cause": "vendor", "services": ["a"]}, False),
        ({"name": "A", "severity": "P0", "impact": "x", "cause": "network", "services": ["a"]}, False),
        ({"name": "A", "severity": "P0", "impact": "x", "cause": "vendor"}, False),
        ({"severity": "P0", "impact": "x", "cause": "vendor", "services": ["a"]}, False),
        ({"name": "A", "severity": "P0", "impact": "x", "cause": "vendor", "services": ["a"], "started": "yesterday"}, False),
        ({"name": "A", "severity": "P0", "impact": "x", "cause": "vendor", "services": ["a"], "started": "2025-01-15 03:00+09:00", "resolved": None}, True),
        ({"name": "A", "severity": "P0", "impact": "x", "cause": "vendor", "services": ["a"], "owner": "me"}, False),
        ({"name": "A", "severity": "P0", "impact": "x", "cause": "vendor", "services": ["a"], "action_items": [{"task": "t", "status": "done"}, "plain task"]}, True),
        ({"name": "A", "severity": "P0", "impact": "x", "cause": "vendor", "services": ["a"], "action_items": [{"owner": "me"}]}, False),
    ],
)  # fmt: skip
def test_schema_validates(
    capsys, tmp_path: Path, front: dict[str, Any], valid: bool
) -> None:
    content = write_files(tmp_path / "content", {"kb.toml": CUSTOM})
    validator = jsonschema.Draft202012Validator(
        front_matter_schema(load_config(content))
    )
    assert validator.is_valid(front) is valid


def test_schema_defaults_lift_requirement(capsys, tmp_path: Path) -> None:
    content = write_files(
        tmp_path / "content", {"kb.toml": '[defaults]\nseverity = "SEV4"\n'}
    )
    schema = schema_of(capsys, "--content", str(content))
    assert schema["required"] == ["title", "impact"]
    assert {"type": "null"} in schema["properties"]["severity"]["anyOf"]


def test_schema_output_file(capsys, tmp_path: Path) -> None:
    output = tmp_path / "kb.schema.json"
    assert main(["schema", "--content", str(tmp_path), "--output", str(output)]) == 0
    assert capsys.readouterr().out == ""
    assert json.loads(output.read_text())["type"] == "object"


def test_schema_config_error(capsys, tmp_path: Path) -> None:
    write_files(tmp_path, {"kb.toml": "title = \n"})
    assert main(["schema", "--content", str(tmp_path)]) == 1
    assert "error: invalid TOML" in capsys.readouterr().err


NUMBERED = """\
[severity]
levels = [{ key = "1", aliases = ["Sev-One"] }, { key = "2" }]
"""
BASE = {
    "title": "Checkout errors from an exhausted pool",
    "severity": "SEV2",
    "impact": "Checkout failed",
    "root_cause": {"category": "capacity"},
}


def spellings(name: str) -> list[Any]:
    """Return spellings of a name that pmkb reads as that name."""
    forms: list[Any] = [name, name.lower(), name.upper(), name.title()]
    forms += [name.swapcase(), f"  {name} "]
    if name.isdigit():
        forms.append(int(name))
    return list(dict.fromkeys(forms))


def load_errors(front: dict[str, Any], content: Path) -> list[str]:
    text = "---\n" + yaml.safe_dump(front) + "---\nBody.\n"
    result = load_postmortem("r.md", text.encode(), load_config(content))
    return [p.message for p in result.problems if p.level is Level.ERROR]


def vocabularies(content: Path) -> dict[str, list[str]]:
    config = load_config(content)
    return {
        "severity": [n for s in config.severities for n in (s.key, *s.aliases)],
        "status": list(STATUSES),
        "category": list(config.categories),
        "trigger": list(config.triggers),
        "action": list(ACTION_STATUSES),
    }


def with_value(field: str, value: Any, severity: str = "SEV2") -> dict[str, Any]:
    front = {**BASE, "severity": severity}
    if field == "category":
        front["root_cause"] = {"category": [value]}
    elif field == "action":
        front["action_items"] = [{"task": "Alert on pool use", "status": value}]
    else:
        front[field] = value
    return front


@pytest.mark.parametrize(
    "field", ["severity", "status", "category", "trigger", "action"]
)
@pytest.mark.parametrize("kb", ["", NUMBERED], ids=["default", "numbered"])
def test_schema_accepts_loaded_values(tmp_path: Path, field: str, kb: str) -> None:
    content = write_files(tmp_path / "content", {"kb.toml": kb})
    validator = jsonschema.Draft202012Validator(
        front_matter_schema(load_config(content))
    )
    most_severe = load_config(content).severities[0].key
    values = [
        value for name in vocabularies(content)[field] for value in spellings(name)
    ]
    if field == "action":
        values += ["in progress", "In_Progress", "WONT DO"]
    for value in values:
        front = with_value(field, value, most_severe)
        assert load_errors(front, content) == [], value
        assert validator.is_valid(front), value


@pytest.mark.parametrize(
    "field, value",
    [("severity", "SEV9"), ("severity", "sev 1"), ("severity", "P1!"), ("severity", 1),
     ("status", "drafts"), ("category", "capacity planning"), ("trigger", "deploys"),
     ("action", "closed")],
)  # fmt: skip
def test_schema_rejects_what_loader_rejects(
    tmp_path: Path, field: str, value: Any
) -> None:
    content = write_files(tmp_path / "content", {"kb.toml": ""})
    validator = jsonschema.Draft202012Validator(
        front_matter_schema(load_config(content))
    )
    front = with_value(field, value)
    assert load_errors(front, content) != []
    assert not validator.is_valid(front)


def test_schema_output_folder_missing(tmp_path, capsys) -> None:
    target = tmp_path / "missing" / "kb.schema.json"
    assert main(["schema", "--output", str(target)]) == 1
    assert capsys.readouterr().err == (
        f"pmkb schema: error: cannot write {target}: No such file or directory "
        "(choose a file in a folder that exists)\n"
    )
