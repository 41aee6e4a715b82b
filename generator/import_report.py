"""Write what ``pmkb import`` produces: front matter, kb.toml and the report."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from generator.config import Config
from generator.errors import plural
from generator.import_scan import ScannedText
from generator.infer import UNRATED_KEY, Inference, Inferred
from generator.scaffold import yaml_scalar

if TYPE_CHECKING:
    from generator.importer import ImportedFile, ImportResult

# Front matter fields in the order they are written.
FIELD_ORDER = (
    "title", "severity", "status", "timezone", "started", "detected", "mitigated",
    "resolved", "impact", "users_affected", "root_cause.category",
    "root_cause.summary", "trigger", "services", "tags", "authors",
)  # fmt: skip
STATUS_LINE = (
    "status: review  # imported: check the inferred values, then remove this line"
)
_PLACEHOLDERS = {
    "severity": f"written as '{UNRATED_KEY}' with a TODO",
    "impact": "written as a TODO",
    "root_cause.category": "written as 'unknown' with a TODO",
}


def _field_lines(inference: Inference, line_of: dict[int, int] | None) -> list[str]:
    lines = ["---"]
    for name in FIELD_ORDER:
        if name == "status":
            lines.append(STATUS_LINE)
            continue
        item = inference.fields.get(name)
        if item is None:
            continue
        key = name
        if name.startswith("root_cause."):
            if "root_cause:" not in lines:
                lines.append("root_cause:")
            key = "  " + name.removeprefix("root_cause.")
        value = yaml_scalar(item.value)
        if name == "timezone" and value[:1] in "+-":
            # Unquoted, YAML 1.1 tools may read an offset as a number.
            value = f'"{value}"'
        lines.append(f"{key}: {value}{_comment(item, line_of)}")
    lines.append("---")
    return lines


def _comment(item: Inferred, line_of: dict[int, int] | None) -> str:
    if not item.source:
        return ""
    lines = [line_of.get(line, line) if line_of else line for line in item.lines]
    return "  # " + item.source.format(*lines)


def render_front_matter(inference: Inference, scanned: ScannedText) -> str:
    """Return the front matter block, its comments citing the imported file's lines."""
    length = len(_field_lines(inference, None))
    cited = {line for item in inference.fields.values() for line in item.lines}
    line_of = {line: length + line - scanned.removed_before(line) for line in cited}
    return "\n".join(_field_lines(inference, line_of)) + "\n"


def _toml_string(text: str) -> str:
    # A JSON string is a valid TOML basic string for the characters used here.
    return json.dumps(text, ensure_ascii=False)


def kb_toml_text(config: Config) -> str:
    """Return kb.toml text with the settings' severity scale plus ``unrated``."""
    lines = [
        "# Written by pmkb import: imported reports whose text states no severity",
        f'# have "severity: {UNRATED_KEY}". Rate them, then remove the {UNRATED_KEY} level.',
        "",
        "[severity]",
        "levels = [",
    ]
    for level in config.severities:
        if level.key == UNRATED_KEY:
            continue
        parts = [
            f"key = {_toml_string(level.key)}",
            f"label = {_toml_string(level.label)}",
        ]
        if level.aliases:
            aliases = ", ".join(_toml_string(alias) for alias in level.aliases)
            parts.append(f"aliases = [{aliases}]")
        if level.description:
            parts.append(f"description = {_toml_string(level.description)}")
        lines.append("  { " + ", ".join(parts) + " },")
    lines.append(
        f'  {{ key = "{UNRATED_KEY}", label = "Unrated", '
        'description = "Imported without a stated severity" },'
    )
    lines.append("]")
    return "\n".join(lines) + "\n"


def inferred_names(inference: Inference) -> list[str]:
    """Return the fields that the text gave, in front matter order."""
    return [
        name
        for name in FIELD_ORDER
        if name in inference.fields and not inference.fields[name].todo
    ]


def _file_report(imported: ImportedFile, show_front_matter: bool) -> list[str]:
    inference = imported.inference
    arrow = "->" if imported.written or not imported.failed else "-x"
    lines = [
        imported.source_path,
        f"  {arrow} {imported.output_path}",
        "  inferred: " + (", ".join(inferred_names(inference)) or "nothing"),
    ]
    if inference.missing:
        lines.append("  missing:")
    for name in FIELD_ORDER:
        if name in inference.missing:
            reason = inference.missing[name]
            if name in _PLACEHOLDERS:
                reason += f" ({_PLACEHOLDERS[name]})"
            lines.append(f"    {name}: {reason}")
    lines.extend("  " + problem.format() for problem in imported.problems)
    lines.extend(
        f"  {imported.source_path}:{line}:1: warning: {message}"
        for line, message in inference.notes
    )
    if show_front_matter and imported.front_matter:
        lines.extend("    " + line for line in imported.front_matter.splitlines())
    return lines


def field_counts(files: list[ImportedFile]) -> str:
    """Return how many files each field was inferred for, as one line."""
    counts = []
    for name in FIELD_ORDER:
        if name == "status":
            continue
        count = sum(1 for f in files if name in inferred_names(f.inference))
        counts.append(f"{name} {count}")
    return ", ".join(counts)


def format_report(result: ImportResult) -> str:
    """Return the report: each file's fields, the skipped files and the totals."""
    lines: list[str] = []
    for imported in result.files:
        lines.extend(_file_report(imported, result.dry_run))
        lines.append("")
    if result.skipped:
        lines.append(f"Skipped {plural(len(result.skipped), 'file')}:")
        lines.extend("  " + problem.format() for problem in result.skipped)
        lines.append("")
    if result.not_markdown:
        lines.append("Not Markdown, not read: " + ", ".join(result.not_markdown))
        lines.append("")
    good = [f for f in result.files if not f.failed]
    if good:
        lines.append(
            f"Fields inferred, of {plural(len(good), 'file')}: {field_counts(good)}"
        )
    if result.config_message:
        lines.append(result.config_message.rstrip("\n"))
    verb = "would be imported" if result.dry_run else "imported"
    summary = f"{plural(len(good), 'file')} {verb}, {len(result.skipped)} skipped"
    if result.failed:
        summary += f", {len(result.failed)} failed"
    if result.dry_run:
        summary += "; dry run, nothing was written"
    lines.append(summary)
    return "\n".join(lines) + "\n"
