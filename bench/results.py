"""Summarise benchmark runs: medians, ratios, targets and the Markdown report."""

from __future__ import annotations

import statistics
from pathlib import Path

from measure import megabytes

STEP_LABELS = {
    "pmkb-cold": "pmkb cold build",
    "pmkb-nochange": "pmkb rebuild, nothing changed",
    "pmkb-edit": "pmkb rebuild after editing one file",
    "pmkb-add": "pmkb rebuild after adding one file",
    "pmkb-delete": "pmkb rebuild after deleting one file",
    "pmkb-serve-edit": "pmkb serve, one file edited",
    "hugo": "Hugo cold build",
    "pagefind": "Pagefind over Hugo's output",
    "hugo+pagefind": "Hugo + Pagefind cold",
    "pelican": "Pelican cold build",
}
BASELINE = "hugo+pagefind"
MEMORY_LIMIT_MB = 600.0
HELP_LIMIT_SECONDS = 0.15
# The page of an edited report must show the edit this soon after the save.
SERVE_LIMIT_SECONDS = 0.5
COLD_RATIO_LIMIT = 1.0
NOCHANGE_RATIO_LIMIT = 0.2
# Allowed growth of the cold build time over the growth of the corpus: 1.1
# means 10 times the reports may take at most 11 times as long.
GROWTH_LIMIT = 1.1
DOCS_START = "<!-- benchmark results: start -->"
DOCS_END = "<!-- benchmark results: end -->"


def peak_mb(runs: list[dict], step: str, group: str) -> float | None:
    """Return the largest peak of one memory group over all runs of a step, in MB."""
    peaks = [run[step]["groups"][group]["peak_kb"] for run in runs
             if step in run and group in run[step]["groups"]]  # fmt: skip
    return megabytes(max(peaks)) if peaks else None


def summarise(size: dict) -> dict[str, dict[str, float | None]]:
    """Return per step the median time and CPU time and the peak memory of its runs."""
    runs = size["runs"]
    rows: dict[str, dict[str, float | None]] = {}
    for step in STEP_LABELS:
        if step == BASELINE:
            rows.update(baseline_row(runs))
            continue
        timed = [run[step] for run in runs if step in run]
        if not timed:
            continue
        rows[step] = {
            "seconds": statistics.median(item["seconds"] for item in timed),
            "cpu_seconds": statistics.median(item["cpu_seconds"] for item in timed),
            "own_mb": peak_mb(runs, step, "tool"),
            "pagefind_mb": peak_mb(runs, step, "pagefind"),
        }
    return rows


def baseline_row(runs: list[dict]) -> dict[str, dict[str, float | None]]:
    """Return the Hugo + Pagefind row: per run the sum of both, then the median."""
    both = [run for run in runs if "hugo" in run and "pagefind" in run]
    if not both:
        return {}
    return {
        BASELINE: {
            "seconds": statistics.median(run["hugo"]["seconds"] + run["pagefind"]["seconds"] for run in both),
            "cpu_seconds": statistics.median(run["hugo"]["cpu_seconds"] + run["pagefind"]["cpu_seconds"] for run in both),
            "own_mb": peak_mb(runs, "hugo", "tool"),
            "pagefind_mb": peak_mb(runs, "pagefind", "pagefind"),
        }
    }  # fmt: skip


def ratio(rows: dict, step: str) -> float | None:
    """Return a step's median time over the Hugo + Pagefind cold build's."""
    if step not in rows or BASELINE not in rows:
        return None
    return rows[step]["seconds"] / rows[BASELINE]["seconds"]


def verdict(value: float | None, limit: float) -> str:
    """Return PASS, FAIL, or SKIP when the value was not measured."""
    if value is None:
        return "SKIP"
    return "PASS" if value <= limit else "FAIL"


def check_targets(results: dict) -> list[dict[str, str]]:
    """Return one row per target: what, measured value, limit and PASS/FAIL/SKIP."""
    targets = []
    summaries = {int(n): summarise(size) for n, size in results["sizes"].items()}
    for n, rows in sorted(summaries.items()):
        cold, nochange = ratio(rows, "pmkb-cold"), ratio(rows, "pmkb-nochange")
        own = [
            rows[step]["own_mb"]
            for step in rows
            if step.startswith("pmkb-") and rows[step]["own_mb"]
        ]
        memory = max(own) if own else None
        targets += [
            target(f"N={n:,}: cold build / (Hugo + Pagefind) cold", cold, COLD_RATIO_LIMIT, "{:.2f}×"),
            target(f"N={n:,}: no-change rebuild / (Hugo + Pagefind) cold", nochange, NOCHANGE_RATIO_LIMIT, "{:.2f}×"),
            target(f"N={n:,}: peak memory (PSS) of pmkb's own processes", memory, MEMORY_LIMIT_MB, "{:.0f} MB"),
            target(f"N={n:,}: pmkb serve, save to edited page shown", rows.get("pmkb-serve-edit", {}).get("seconds"), SERVE_LIMIT_SECONDS, "{:.2f} s"),
        ]  # fmt: skip
    help_seconds = results.get("help_seconds") or []
    help_median = statistics.median(help_seconds) if help_seconds else None
    targets.append(
        target("pmkb --help, median of 10", help_median, HELP_LIMIT_SECONDS, "{:.3f} s")
    )
    targets.append(growth_target(summaries))
    return targets


def target(name: str, value: float | None, limit: float, form: str) -> dict[str, str]:
    """Return one target row with its value and limit formatted alike."""
    value_text = form.format(value) if value is not None else "not measured"
    return {"target": name, "measured": value_text, "limit": "at most " + form.format(limit),
            "result": verdict(value, limit)}  # fmt: skip


def growth_target(summaries: dict[int, dict]) -> dict[str, str]:
    """Return the target that the cold build grows at most linearly with the corpus."""
    timed = {
        n: rows["pmkb-cold"]["seconds"]
        for n, rows in summaries.items()
        if "pmkb-cold" in rows
    }
    if len(timed) < 2:
        row = target(
            "cold build time growth from the smallest to the largest N", None, 0.0, ""
        )
        row["limit"] = f"at most {GROWTH_LIMIT:.1f} × the growth of N"
        return row
    small, large = min(timed), max(timed)
    name = f"cold build time at N={large:,} over N={small:,}"
    return target(
        name, timed[large] / timed[small], GROWTH_LIMIT * large / small, "{:.1f}×"
    )


def format_seconds(value: float | None) -> str:
    """Format seconds with the precision that matters at that size."""
    if value is None:
        return "–"
    return f"{value:.2f}" if value < 10 else f"{value:.1f}"


def format_mb(value: float | None) -> str:
    """Format megabytes, or a dash when not measured."""
    return "–" if value is None else f"{value:.0f}"


def size_table(size: dict) -> list[str]:
    """Return the Markdown table of one corpus size."""
    rows = summarise(size)
    outputs = size.get("outputs", {})
    output_of = {"pmkb-cold": "pmkb", BASELINE: "hugo+pagefind", "pelican": "pelican"}
    lines = [
        "| Step | Median s | × Hugo + Pagefind | CPU s | Peak memory, own processes (MB) | Peak memory, Pagefind (MB) | Output |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for step, row in rows.items():
        factor = ratio(rows, step)
        output = outputs.get(output_of.get(step, ""))
        output_text = (
            f"{output['files']:,} files, {output['bytes'] / 1e6:.0f} MB"
            if output
            else ""
        )
        lines.append(
            f"| {STEP_LABELS[step]} | {format_seconds(row['seconds'])} | "
            f"{'–' if factor is None else f'{factor:.2f}'} | {format_seconds(row['cpu_seconds'])} | "
            f"{format_mb(row['own_mb'])} | {format_mb(row['pagefind_mb'])} | {output_text} |"
        )
    return lines


def targets_table(targets: list[dict[str, str]]) -> list[str]:
    """Return the Markdown table of the targets."""
    lines = ["| Target | Measured | Limit | Result |", "|---|---:|---:|---|"]
    lines += [
        f"| {row['target']} | {row['measured']} | {row['limit']} | {row['result']} |"
        for row in targets
    ]
    return lines


def markdown_report(results: dict) -> str:
    """Return the results section of docs/benchmarks.md."""
    machine, versions = results["machine"], results["versions"]
    lines = [
        f"Measured on {results['date']} with:", "", "```sh", results["command"], "```", "",
        f"- Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory']} RAM, {machine['os']}",
        "- Versions: " + ", ".join(f"{name} {value}" for name, value in versions.items()),
        f"- {runs_text(results['runs'])}, and peak memory is the largest of all runs.", "",
    ]  # fmt: skip
    for n, size in sorted(results["sizes"].items(), key=lambda item: int(item[0])):
        corpus = size["corpus"]
        lines += [
            f"### {int(n):,} postmortems ({corpus['bytes'] / 1e6:.1f} MB of Markdown)",
            "",
        ]
        lines += size_table(size) + [""]
    lines += ["### Targets", ""] + targets_table(check_targets(results))
    return "\n".join(lines) + "\n"


def runs_text(runs: int) -> str:
    """Return how the times were taken, in words."""
    return "Times are from 1 run" if runs == 1 else f"Times are medians of {runs} runs"


def write_docs(path: Path, report: str) -> None:
    """Replace the results section of the benchmark page, or append one."""
    text = path.read_text("utf-8") if path.exists() else "# Benchmarks\n\n"
    block = f"{DOCS_START}\n{report}{DOCS_END}"
    if DOCS_START in text and DOCS_END in text:
        before = text.split(DOCS_START, 1)[0]
        after = text.split(DOCS_END, 1)[1]
        text = before + block + after
    else:
        text = text.rstrip("\n") + "\n\n## Results\n\n" + block + "\n"
    path.write_text(text, "utf-8")
