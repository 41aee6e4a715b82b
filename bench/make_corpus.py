"""Write N generated postmortems for pmkb, and the same content for Hugo and Pelican.

Usage: ``python bench/make_corpus.py N --seed S --out DIR``. The pmkb files go
to ``DIR`` (``YEAR/DATE-SLUG.md`` plus ``kb.toml``), a Hugo site to
``DIR-hugo`` and a Pelican site to ``DIR-pelican``. The output depends only on
N and the seed.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import re
import shutil
import sys
from pathlib import Path

from corpus_body import write_body
from corpus_report import Report, new_report, plan_start_times
from sites import PMKB_CONFIG, write_hugo_site, write_pelican_site

log = logging.getLogger("make_corpus")

# A file in each folder this script writes. Only folders that contain it are
# emptied before a new corpus is written.
MARKER = ".bench-corpus"
YAML_WORDS = {"yes", "no", "on", "off", "true", "false", "null", "y", "n", "~"}


def generate(count: int, seed: int) -> list[Report]:
    """Return ``count`` reports, oldest first, for the given seed."""
    rng = random.Random(seed)
    history: dict[str, list[str]] = {}
    used: set[str] = set()
    reports = []
    for started in plan_start_times(rng, count):
        report = new_report(rng, started, history, used)
        report.body = write_body(rng, report)
        reports.append(report)
    return reports


def yaml_scalar(value: object) -> str:
    """Return a YAML scalar, unquoted where a person would leave it unquoted."""
    text = str(value)
    plain = (
        re.match(r"[A-Za-z0-9(]", text)
        and ": " not in text
        and " #" not in text
        and not text.endswith(":")
        and text.lower() not in YAML_WORDS
    )
    return text if plain else json.dumps(text)


def pmkb_front_matter(report: Report) -> str:
    """Return the YAML front matter block of a pmkb file."""
    lines = ["---"]
    for key, value in report.front.items():
        if value in ("", [], None):
            continue
        if isinstance(value, dict):
            lines.append(f"{key}:")
            lines += [f"  {name}: {yaml_scalar(item)}" for name, item in value.items()]
        elif key in ("contributing_factors", "action_items"):
            lines.append(f"{key}:")
            lines += yaml_block_list(value)  # type: ignore[arg-type]
        elif isinstance(value, list):
            lines.append(f"{key}: [{', '.join(yaml_scalar(item) for item in value)}]")
        else:
            lines.append(f"{key}: {yaml_scalar(value)}")
    return "\n".join(lines + ["---", ""])


def yaml_block_list(items: list[object]) -> list[str]:
    """Return the lines of a YAML block list of scalars or of mappings."""
    lines = []
    for item in items:
        if isinstance(item, dict):
            pairs = [f"{name}: {yaml_scalar(value)}" for name, value in item.items()]
            lines.append(f"  - {pairs[0]}")
            lines += [f"    {pair}" for pair in pairs[1:]]
        else:
            lines.append(f"  - {yaml_scalar(item)}")
    return lines


def facts_block(report: Report) -> str:
    """Return the front matter facts as Markdown, for generators without pmkb's card."""
    front = report.front
    cause = front["root_cause"]
    lines = [
        f"- Severity: {report.severity}",
        f"- Impact: {front['impact']}",
        f"- Root cause ({cause['category']}): {cause['summary']}",  # type: ignore[index]
        f"- Trigger: {report.trigger}",
        f"- Started: {report.started:%Y-%m-%d %H:%M}, resolved: {report.resolved:%Y-%m-%d %H:%M}",
    ]
    text = "\n".join(lines) + "\n\n" + report.body
    items = front.get("action_items") or []
    if items:
        tracked = [f"- {item['task']} ({item['owner']}, due {item['due']}, {item['status']})"
                   for item in items]  # type: ignore[union-attr]  # fmt: skip
        text += "\n## Tracked Action Items\n\n" + "\n".join(tracked) + "\n"
    return text


def hugo_file(report: Report) -> str:
    """Return a Hugo content file with TOML front matter and the taxonomies."""
    front = report.front
    lines = [
        "+++",
        f"title = {json.dumps(front['title'])}",
        f"date = {report.started:%Y-%m-%dT%H:%M:%S}",
        f"impact = {json.dumps(front['impact'])}",
        f"categories = {json.dumps([report.category])}",
        f"severities = {json.dumps([report.severity])}",
        f"services = {json.dumps(report.services)}",
        f"tags = {json.dumps(front['tags'])}",
        f"related = {json.dumps(front.get('related', []))}",
        f"draft = {'true' if front['status'] == 'draft' else 'false'}",
        "+++",
        "",
    ]
    return "\n".join(lines) + facts_block(report)


def pelican_file(report: Report) -> str:
    """Return a Pelican Markdown file with its metadata lines."""
    front = report.front
    tags = [*front["tags"], *report.services, report.severity]  # type: ignore[misc]
    lines = [
        f"Title: {front['title']}",
        f"Date: {report.started:%Y-%m-%d %H:%M}",
        f"Category: {report.category}",
        f"Tags: {', '.join(tags)}",
        f"Slug: {report.id}",
        f"Authors: {', '.join(front['authors'])}",  # type: ignore[arg-type]
        f"Summary: {front['impact']}",
    ]
    if front["status"] == "draft":
        lines.append("Status: draft")
    return "\n".join(lines) + "\n\n" + facts_block(report)


def prepare_folder(folder: Path) -> None:
    """Create ``folder`` empty, emptying an existing one only if this script wrote it."""
    if folder.exists() and any(folder.iterdir()):
        if not (folder / MARKER).exists():
            sys.exit(f"error: {folder} exists and was not written by make_corpus.py; "
                     "choose another --out or remove it")  # fmt: skip
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MARKER).write_text("written by bench/make_corpus.py\n", "utf-8")


def write_corpus(reports: list[Report], out: Path) -> None:
    """Write the pmkb, Hugo and Pelican versions of ``reports`` next to each other."""
    hugo_dir = out.with_name(out.name + "-hugo")
    pelican_dir = out.with_name(out.name + "-pelican")
    for folder in (out, hugo_dir, pelican_dir):
        prepare_folder(folder)
    (out / "kb.toml").write_text(PMKB_CONFIG, "utf-8")
    write_hugo_site(hugo_dir)
    write_pelican_site(pelican_dir)
    (hugo_dir / "content" / "posts").mkdir(parents=True)
    (pelican_dir / "content").mkdir()
    for report in reports:
        year_dir = out / str(report.started.year)
        year_dir.mkdir(exist_ok=True)
        pmkb_text = pmkb_front_matter(report) + "\n" + report.body
        (year_dir / f"{report.id}.md").write_text(pmkb_text, "utf-8")
        (hugo_dir / "content" / "posts" / f"{report.id}.md").write_text(
            hugo_file(report), "utf-8"
        )
        (pelican_dir / "content" / f"{report.id}.md").write_text(
            pelican_file(report), "utf-8"
        )


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and write the corpus."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, metavar="N", help="number of postmortems")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR",
                        help="folder for the pmkb files; DIR-hugo and DIR-pelican are written too")  # fmt: skip
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("N must be at least 1")
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    reports = generate(args.count, args.seed)
    write_corpus(reports, args.out)
    log.info("wrote %d postmortems to %s, %s-hugo and %s-pelican",
             len(reports), args.out, args.out, args.out)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
