"""Code blocks and tables for the benchmark corpus, filled with random values."""

from __future__ import annotations

import random

CODE_BLOCKS = [
    (
        "The configuration change that started the incident:",
        "diff",
        """\
 {service}:
   replicas: {k}
-  request_timeout_ms: {old}
+  request_timeout_ms: {new}
   max_connections: {m}""",
    ),
    (
        "Log lines from one of the failing pods:",
        "text",
        """\
{day}T{hh}:{mm}:02Z ERROR {service} request failed: {log}
{day}T{hh}:{mm}:02Z WARN  {service} retrying in 100ms (attempt 2/3)
{day}T{hh}:{mm}:03Z ERROR {service} request failed: {log}
{day}T{hh}:{mm}:05Z ERROR {service} giving up after 3 attempts""",
    ),
    (
        "The query we used to find the affected rows:",
        "sql",
        """\
SELECT account_id, COUNT(*) AS bad_rows
FROM {table}
WHERE updated_at BETWEEN '{day} {hh}:00' AND '{day} 23:59'
  AND status = 'pending'
GROUP BY account_id
ORDER BY bad_rows DESC
LIMIT {k};""",
    ),
    (
        "The code before the fix:",
        "python",
        """\
def fetch_{table}(client, ids):
    results = []
    for chunk in batched(ids, {k}):
        # NOTE: no timeout, so one slow call blocks the worker.
        results.extend(client.get("/{table}", params={{"ids": chunk}}))
    return results""",
    ),
    (
        "Commands the on-call engineer ran:",
        "sh",
        """\
kubectl -n {service} get pods -o wide | grep -v Running
kubectl -n {service} rollout undo deployment/{service}
kubectl -n {service} rollout status deployment/{service} --timeout={m}m""",
    ),
    (
        "The retry loop, simplified:",
        "go",
        """\
for attempt := 0; attempt < {k}; attempt++ {{
\tresp, err := client.Do(req)
\tif err == nil && resp.StatusCode < 500 {{
\t\treturn resp, nil
\t}}
\ttime.Sleep(backoff * time.Duration(attempt))
}}""",
    ),
    (
        "A response from the failing endpoint:",
        "json",
        """\
{{
  "error": "{log}",
  "service": "{service}",
  "region": "{region}",
  "retry_after_seconds": {k}
}}""",
    ),
]
TABLES = [
    ("Requests during the incident, by region:",
     ["Region", "Requests", "Errors", "Error rate", "p99 latency"], "region"),
    ("Settings by environment at the time of the incident:",
     ["Environment", "Instances", "Pool size", "Timeout"], "environment"),
    ("Impact by customer group:",
     ["Group", "Customers", "Failed actions", "Refunds"], "group"),
]  # fmt: skip
TABLE_ROWS = {
    "region": ["eu-west", "eu-central", "us-east", "us-west", "ap-south"],
    "environment": ["dev", "staging", "production"],
    "group": ["consumers", "small business", "enterprise", "partners"],
}


def code_block(rng: random.Random, ctx: dict[str, str]) -> str:
    """Return a paragraph and a fenced code block in one of several languages."""
    intro, language, template = rng.choice(CODE_BLOCKS)
    values = {
        "k": str(rng.randint(2, 50)), "m": str(rng.randint(5, 400)),
        "old": str(rng.choice([500, 1000, 2000, 5000])), "new": str(rng.choice([100, 250, 30000])),
        "day": f"{rng.randint(2020, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "hh": f"{rng.randint(0, 23):02d}", "mm": f"{rng.randint(0, 59):02d}",
        "table": rng.choice(["orders", "shipments", "invoices", "sessions", "payments"]),
    }  # fmt: skip
    return f"{intro}\n\n```{language}\n{template.format(**ctx, **values)}\n```"


def table_block(rng: random.Random, ctx: dict[str, str]) -> str:
    """Return a paragraph and a Markdown table with random but plausible numbers."""
    intro, header, kind = rng.choice(TABLES)
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---:" for _ in header) + "|",
    ]
    for name in TABLE_ROWS[kind]:
        lines.append("| " + " | ".join([name, *table_cells(rng, kind)]) + " |")
    return intro + "\n\n" + "\n".join(lines)


def table_cells(rng: random.Random, kind: str) -> list[str]:
    """Return the number cells of one table row."""
    if kind == "region":
        requests = rng.randint(10_000, 2_000_000)
        errors = int(requests * rng.uniform(0, 0.4))
        return [
            f"{requests:,}",
            f"{errors:,}",
            f"{errors / requests:.1%}",
            f"{rng.randint(90, 12000)} ms",
        ]
    if kind == "environment":
        return [
            str(rng.randint(1, 40)),
            str(rng.choice([10, 20, 50, 100])),
            f"{rng.choice([5, 10, 30])} s",
        ]
    customers = rng.randint(50, 90_000)
    return [
        f"{customers:,}",
        f"{int(customers * rng.uniform(0.1, 3)):,}",
        str(rng.randint(0, 400)),
    ]
