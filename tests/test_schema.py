"""pmkb schema: a valid JSON Schema whose vocabularies follow kb.toml."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import REPOSITORY, write_files

from generator.cli import main
from generator.config import load_config
from generator.parse import parse_document
from generator.schema import front_matter_schema

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
    assert properties["severity"]["enum"][:6] == [
        "SEV1",
        "critical",
        "P1",
        "S1",
        "sev-1",
        "SEV2",
    ]
    assert properties["status"]["anyOf"][0] == {
        "enum": ["draft", "review", "published"]
    }
    trigger = properties["trigger"]["anyOf"][0]["enum"]
    assert trigger[0] == "deploy"
    assert len(trigger) == 9


def test_enums_follow_config(capsys, tmp_path: Path) -> None:
    content = write_files(tmp_path / "content", {"kb.toml": CUSTOM})
    schema = schema_of(capsys, "--content", str(content))
    properties = schema["properties"]
    assert properties["severity"]["enum"] == ["P0", "outage", "P1"]
    assert properties["trigger"]["anyOf"][0] == {"enum": ["migration"]}
    assert properties["root_cause"]["anyOf"][0] == {"enum": ["vendor", "human-process"]}
    assert properties["cause"]["anyOf"][0] == {"enum": ["vendor", "human-process"]}
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
