"""Reports and knowledge bases for the metrics, recurrence and analysis tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from generator.analysis import SiteAnalysis, analyse
from generator.build import BuildOptions, BuildResult, load_and_index, load_settings
from generator.config import Config
from generator.errors import Report
from generator.index import SiteIndex


def incident(
    title: str = "Checkout failed while the payment provider timed out",
    *,
    severity: str = "SEV2",
    timezone: str = "UTC",
    started: str | None = "2025-03-04 10:00",
    detected: str | None = "2025-03-04 10:04",
    resolved: str | None = "2025-03-04 10:40",
    category: str = "dependency-failure",
    services: tuple[str, ...] = ("checkout",),
    trigger: str = "",
    related: tuple[str, ...] = (),
    actions: tuple[dict[str, str], ...] = (),
) -> str:
    """Return a report's text with the given front matter and a short body."""
    lines = [
        "---",
        f"title: {title}",
        f"severity: {severity}",
        f"timezone: {timezone}",
    ]
    for name, value in (
        ("started", started),
        ("detected", detected),
        ("resolved", resolved),
    ):
        if value is not None:
            lines.append(f"{name}: {value}")
    lines += [
        "impact: Some customers could not pay",
        "root_cause:",
        f"  category: {category}",
        "  summary: The provider answered slowly",
        f"services: [{', '.join(services)}]",
    ]
    if trigger:
        lines.append(f"trigger: {trigger}")
    if related:
        lines.append(f"related: [{', '.join(related)}]")
    if actions:
        lines.append("action_items:")
        for action in actions:
            lines.append(f"  - task: {action['task']}")
            for key in ("owner", "due", "done", "status"):
                if key in action:
                    lines.append(f"    {key}: {action[key]}")
    lines += ["---", "## Summary", "", "Payments failed.", ""]
    return "\n".join(lines)


def load_kb(content: Path, today: date) -> tuple[SiteIndex, Config, SiteAnalysis]:
    """Read a knowledge base with the build's own loader and analyse it."""
    options = BuildOptions(content_dir=content, output_dir=content.parent / "site")
    result = BuildResult(report=Report())
    config = load_settings(options, result.report)
    assert config is not None, result.report.sorted()
    index = load_and_index(config, options, result)
    assert not result.report.errors, result.report.errors
    return index, config, analyse(index, config, today)
