"""Recurring causes, related chains, open action items, the heat map and
action item counts."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from metrics_kb import incident, load_kb

from generator.action_stats import NO_OWNER
from generator.carried import open_at

TODAY = date(2025, 12, 31)


def on(day: str, **fields) -> str:
    """Return a report that started at 10:00 on the given day."""
    return incident(
        started=f"{day} 10:00",
        detected=f"{day} 10:05",
        resolved=f"{day} 11:00",
        **fields,
    )


def test_category_recurs_within_window(make_kb) -> None:
    content = make_kb({
        "a.md": on("2025-01-01", category="network", services=("dns",)),
        "b.md": on("2025-04-11", category="network", services=("cdn",)),
        "c.md": on("2025-12-01", category="network", services=("lb",)),
        "d.md": on("2025-02-01", category="deployment", services=("api",)),
    })  # fmt: skip
    _, _, analysis = load_kb(content, TODAY)
    found = [
        (r.kind, r.name, [p.id for p in r.incidents]) for r in analysis.recurrences
    ]
    assert found == [("category", "network", ["a", "b"])]
    assert analysis.recurrences[0].gaps == [timedelta(days=100)]
    assert analysis.recurrences[0].anchor == "category-network-2025-01-01"


def test_recurrence_needs_min_incidents(make_kb) -> None:
    content = make_kb({
        "kb.toml": "[recurrence]\nmin_incidents = 3\nwindow_days = 30\n",
        "a.md": on("2025-01-01", services=("api",)),
        "b.md": on("2025-01-20", services=("api",)),
        "c.md": on("2025-01-30", services=("api",)),
        "d.md": on("2025-03-30", services=("api",)),
        "e.md": on("2025-04-10", services=("api",)),
    })  # fmt: skip
    _, _, analysis = load_kb(content, TODAY)
    found = [
        (r.kind, r.name, [p.id for p in r.incidents]) for r in analysis.recurrences
    ]
    assert found == [
        ("service", "api", ["a", "b", "c"]),
        ("category", "dependency-failure", ["a", "b", "c"]),
    ]
    assert analysis.min_incidents == 3
    assert analysis.window_days == 30


def test_overlapping_windows_join(make_kb) -> None:
    content = make_kb({
        "kb.toml": "[recurrence]\nwindow_days = 50\n",
        "a.md": on("2025-01-01", category="time"),
        "b.md": on("2025-02-10", category="time"),
        "c.md": on("2025-03-20", category="time"),
        "d.md": on("2025-09-01", category="time"),
        "e.md": on("2025-10-01", category="time"),
    })  # fmt: skip
    _, _, analysis = load_kb(content, TODAY)
    runs = [[p.id for p in r.incidents] for r in analysis.recurrences_of("category")]
    assert sorted(runs) == [["a", "b", "c"], ["d", "e"]]


def test_unknown_category_not_recurring(make_kb) -> None:
    content = make_kb({
        "a.md": on("2025-01-01", category="unknown", services=("a",)),
        "b.md": on("2025-01-02", category="unknown", services=("b",)),
    })  # fmt: skip
    _, _, analysis = load_kb(content, TODAY)
    assert analysis.recurrences == []
    assert [row[0] for row in analysis.heat_map.rows] == ["unknown"]


OPEN_ITEM = {"task": "Add a pool saturation alert", "owner": "sre", "due": "2025-02-01"}


@pytest.mark.parametrize(
    ("item", "flagged"),
    [
        (OPEN_ITEM | {"status": "open"}, True),
        (OPEN_ITEM | {"status": "in-progress"}, True),
        (OPEN_ITEM | {"done": "2025-02-28"}, False),
        (OPEN_ITEM | {"done": "2025-03-01"}, True),
        (OPEN_ITEM | {"done": "2025-03-10"}, True),
        (OPEN_ITEM | {"status": "done"}, False),
        (OPEN_ITEM | {"status": "wont-do"}, False),
    ],
)
def test_fix_not_landed_flag(make_kb, item, flagged) -> None:
    content = make_kb({
        "a.md": on("2025-01-10", category="capacity", actions=(item,)),
        "b.md": on("2025-03-01", category="capacity"),
    })  # fmt: skip
    _, _, analysis = load_kb(content, TODAY)
    recurrence = analysis.recurrences_of("category")[0]
    assert recurrence.flagged is flagged
    if flagged:
        carried = recurrence.carried_over[0]
        assert (carried.earlier.id, carried.later.id) == ("a", "b")
        assert [i.task for i in carried.items] == ["Add a pool saturation alert"]


def test_related_chain(make_kb) -> None:
    content = make_kb({
        "a.md": on("2025-01-01", services=("x",), actions=(OPEN_ITEM,)),
        "b.md": on("2025-05-01", services=("y",), related=("a",)),
        "c.md": on("2025-11-01", services=("z",), related=("b",)),
        "d.md": on("2025-06-01", services=("w",), category="data"),
    })  # fmt: skip
    _, _, analysis = load_kb(content, TODAY)
    assert len(analysis.chains) == 1
    chain = analysis.chains[0]
    assert [p.id for p in chain.incidents] == ["a", "b", "c"]
    assert chain.gaps == [timedelta(days=120), timedelta(days=184)]
    assert chain.median_gap == timedelta(days=152)
    assert chain.anchor == "related-a"
    # One entry per incident: the item was still open at b and again at c.
    assert [(c.earlier.id, c.later.id, c.later_count) for c in chain.carried_over] == [
        ("a", "b", 2),
    ]
    assert chain.carried_items == 1


def test_heat_map_counts(make_kb) -> None:
    content = make_kb({
        "a.md": on("2025-01-01", category="network"),
        "b.md": on("2025-02-01", category="network"),
        "c.md": on("2025-08-01", category="data"),
    })  # fmt: skip
    _, _, analysis = load_kb(content, TODAY)
    heat = analysis.heat_map
    assert heat.columns == [
        ("2025-Q1", "Q1 2025"),
        ("2025-Q2", "Q2 2025"),
        ("2025-Q3", "Q3 2025"),
    ]
    assert heat.rows == [("network", [2, 0, 0], 2), ("data", [0, 0, 1], 1)]
    assert [heat.level(n) for n in (0, 1, 2, 4, 9)] == [0, 1, 2, 4, 4]


def test_overdue_with_fixed_today(make_kb) -> None:
    content = make_kb({
        "a.md": on("2025-01-10", actions=(
            {"task": "Due yesterday", "owner": "sre", "due": "2025-06-29"},
            {"task": "Due today", "owner": "sre", "due": "2025-06-30", "status": "in-progress"},
            {"task": "Done late", "owner": "db", "due": "2025-02-01", "status": "done"},
            {"task": "No owner", "due": "2025-06-01"},
            {"task": "No due date", "owner": "SRE"},
        )),
    })  # fmt: skip
    _, _, analysis = load_kb(content, date(2025, 6, 30))
    actions = analysis.actions
    assert [row.item.task for row in actions.rows] == [
        "No owner", "Due yesterday", "Due today", "No due date", "Done late",
    ]  # fmt: skip
    assert [row.item.task for row in actions.overdue] == ["No owner", "Due yesterday"]
    assert [row.item.task for row in actions.missing_details] == [
        "No owner",
        "No due date",
    ]
    assert actions.rows[0].url == "a/#action-no-owner"
    owners = [(o.owner, o.slug, o.total, o.open, o.overdue) for o in actions.by_owner]
    assert owners == [
        ("sre", "sre", 3, 3, 1),
        ("db", "db", 1, 0, 0),
        ("", NO_OWNER, 1, 1, 1),
    ]


def test_completion_per_quarter(make_kb) -> None:
    content = make_kb({
        "a.md": on("2025-01-10", actions=(
            {"task": "One", "owner": "a", "due": "2025-02-01", "status": "done"},
            {"task": "Two", "owner": "a", "due": "2025-02-01", "status": "wont-do"},
            {"task": "Three", "owner": "a", "due": "2026-02-01"},
        )),
        "b.md": on("2025-05-10", actions=({"task": "Four", "owner": "a", "due": "2026-01-01"},)),
    })  # fmt: skip
    _, _, analysis = load_kb(content, TODAY)
    quarters = analysis.actions.by_quarter
    assert [(q.key, q.raised, q.done, q.open, q.wont_do, q.rate) for q in quarters] == [
        ("2025-Q1", 3, 1, 1, 1, 0.5),
        ("2025-Q2", 1, 0, 1, 0, 0.0),
    ]


def test_carried_over_counts_later_incidents(make_kb) -> None:
    content = make_kb({
        "a.md": on("2025-01-01", category="capacity", actions=(
            {"task": "Landed before c", "owner": "sre", "due": "2025-02-01", "done": "2025-01-20"},
            {"task": "Still open", "owner": "sre", "due": "2025-02-01"},
            {"task": "Dropped", "owner": "sre", "due": "2025-02-01", "status": "wont-do"},
        )),
        "b.md": on("2025-01-10", category="capacity", actions=(
            {"task": "Landed after c", "owner": "db", "due": "2025-02-01", "done": "2025-01-21"},
        )),
        "c.md": on("2025-01-20", category="capacity"),
        "d.md": on("2025-01-30", category="capacity", actions=(
            {"task": "Done without a date", "owner": "db", "due": "2025-02-01", "status": "done"},
        )),
        "e.md": on("2025-02-10", category="capacity"),
    })  # fmt: skip
    _, _, analysis = load_kb(content, TODAY)
    recurrence = analysis.recurrences_of("category")[0]
    found = [
        (c.earlier.id, c.later.id, c.later_count, [i.task for i in c.items])
        for c in recurrence.carried_over
    ]
    assert found == [
        ("a", "b", 4, ["Landed before c", "Still open"]),
        ("b", "c", 1, ["Landed after c"]),
    ]
    assert recurrence.carried_items == 3


def test_carried_over_matches_pairwise(make_kb) -> None:
    """The linear count agrees with comparing every pair of incidents."""
    rng = random.Random(11)
    zones = ("UTC", "Asia/Seoul", "America/Los_Angeles", "Pacific/Kiritimati")
    files = {}
    for number in range(40):
        day = date(2025, 1, 1) + timedelta(days=rng.randrange(120))
        hour = rng.choice(("00:30", "12:00", "23:30"))
        actions = []
        for position in range(rng.randrange(4)):
            action = {
                "task": f"Task {number} {position}",
                "owner": "sre",
                "due": "2025-09-01",
            }
            kind = rng.choice(("open", "done_on", "done", "wont-do"))
            if kind == "done_on":
                action["done"] = str(day + timedelta(days=rng.randrange(-2, 40)))
            elif kind != "open":
                action["status"] = kind
            actions.append(action)
        files[f"r{number:02d}.md"] = incident(
            timezone=rng.choice(zones), started=f"{day} {hour}", detected=f"{day} {hour}",
            resolved=f"{day} {hour}", category="capacity", actions=tuple(actions),
        )  # fmt: skip

    _, _, analysis = load_kb(make_kb(files), TODAY)
    (recurrence,) = analysis.recurrences_of("category")
    incidents = recurrence.incidents

    expected = []
    for position, earlier in enumerate(incidents):
        later = incidents[position + 1 :]
        items = [i for i in earlier.action_items if any(open_at(i, p) for p in later)]
        if items:
            hits = [p for p in later if any(open_at(i, p) for i in items)]
            expected.append((earlier.id, hits[0].id, len(hits), items))

    found = [
        (c.earlier.id, c.later.id, c.later_count, c.items)
        for c in recurrence.carried_over
    ]
    assert len(incidents) == 40
    assert len(found) > 5
    assert found == expected


def test_names_merge_by_slug(make_kb) -> None:
    content = make_kb({
        "a.md": on("2025-01-01", services=("User API",)),
        "b.md": on("2025-02-01", services=("user-api",)),
        "c.md": on("2025-03-01", services=("user-api", "User API")),
    })  # fmt: skip
    _, _, analysis = load_kb(content, TODAY)
    (services,) = analysis.recurrences_of("service")
    assert services.name == "User API"
    assert services.slug == "user-api"
    assert [p.id for p in services.incidents] == ["a", "b", "c"]


def test_recurrences_ranked_by_relevance(make_kb) -> None:
    content = make_kb({
        "kb.toml": "[recurrence]\nwindow_days = 60\n",
        # Old and large: five incidents, none in the last 60 days.
        **{f"old{n}.md": on(f"2025-0{n}-01", category="network", services=("old",))
           for n in range(1, 6)},
        # Active, one incident in the window.
        "one1.md": on("2025-10-01", category="data", services=("one",)),
        "one2.md": on("2025-11-15", category="data", services=("one",)),
        # Active, two incidents in the window.
        "two1.md": on("2025-11-20", category="time", services=("two",)),
        "two2.md": on("2025-12-01", category="time", services=("two",)),
        # Old and flagged: an item still open.
        "flag1.md": on("2025-03-01", category="security", services=("flag",),
                       actions=(OPEN_ITEM,)),
        "flag2.md": on("2025-03-10", category="security", services=("flag",)),
    })  # fmt: skip
    _, _, analysis = load_kb(content, TODAY)
    ranked = [(r.name, r.recent, r.active) for r in analysis.recurrences_of("service")]
    assert ranked == [
        ("two", 2, True),
        ("one", 1, True),
        ("flag", 0, False),
        ("old", 0, False),
    ]
    # Equal ranks fall back to the name.
    assert [r.name for r in analysis.top_recurring] == [
        "time",
        "two",
        "data",
        "one",
        "flag",
    ]
