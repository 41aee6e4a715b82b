"""Timeline entries: time stamps in list items and table cells, midnight, zones."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from generator.timeline import TimelineClock, parse_cell, parse_list_entry

LIST_ENTRIES = [
    ("03:00 - Alert fired", None, (3, 0, 0), "", "Alert fired"),
    ("03:00 – Alert fired", None, (3, 0, 0), "", "Alert fired"),
    ("03:00 — Alert fired", None, (3, 0, 0), "", "Alert fired"),
    ("03:00: Alert fired", None, (3, 0, 0), "", "Alert fired"),
    ("03:00:30 - Alert fired", None, (3, 0, 30), "", "Alert fired"),
    ("**03:00** Alert fired", None, (3, 0, 0), "", "Alert fired"),
    ("`03:00` - Alert fired", None, (3, 0, 0), "", "Alert fired"),
    ("2025-01-15 03:02 — Paged", date(2025, 1, 15), (3, 2, 0), "", "Paged"),
    ("2025-01-15T03:02 - Paged", date(2025, 1, 15), (3, 2, 0), "", "Paged"),
    ("10:36 UTC: Rollback", None, (10, 36, 0), "UTC", "Rollback"),
    ("03:00 KST - Alert", None, (3, 0, 0), "KST", "Alert"),
    ("12:30pm – Lunch traffic peaks", None, (12, 30, 0), "", "Lunch traffic peaks"),
    ("9:05 am - Page", None, (9, 5, 0), "", "Page"),
]


@pytest.mark.parametrize(("text", "day", "clock", "zone", "rest"), LIST_ENTRIES)
def test_list_entry_stamp(
    text: str, day: date | None, clock: tuple, zone: str, rest: str
) -> None:
    stamp = parse_list_entry(text)
    assert stamp is not None
    assert stamp.day == day
    assert (stamp.hour, stamp.minute, stamp.second) == clock
    assert stamp.zone == zone
    assert stamp.rest == rest


@pytest.mark.parametrize(
    "text",
    [
        "Alert fired at 03:00",
        "2019 was a long year",
        "1. First step",
        "Nothing",
        "25:00 - x",
        "03:00",
    ],
)
def test_list_entry_without_stamp(text: str) -> None:
    assert parse_list_entry(text) is None


CELLS = [
    ("2019-11-30 08:24", date(2019, 11, 30), 8, 24),
    ("  2019-12-04 00:30  ", date(2019, 12, 4), 0, 30),
    ("08:24", None, 8, 24),
    ("**08:24**", None, 8, 24),
    ("2020-11-17 10:45~", date(2020, 11, 17), 10, 45),
    ("2019-12-03 --:--", date(2019, 12, 3), None, 0),
    ("2020-12-21 HH:mm", date(2020, 12, 21), None, 0),
]


@pytest.mark.parametrize(("text", "day", "hour", "minute"), CELLS)
def test_cell_stamp(text: str, day: date | None, hour: int | None, minute: int) -> None:
    stamp = parse_cell(text)
    assert stamp is not None
    assert stamp.day == day
    assert stamp.hour == hour
    assert stamp.minute == minute


@pytest.mark.parametrize(
    "text", ["Time", "Date and Time in CET", "20202-01-16 12:00", "soon"]
)
def test_cell_without_stamp(text: str) -> None:
    assert parse_cell(text) is None


def resolve_all(texts: list[str], start: datetime) -> list[datetime | None]:
    clock = TimelineClock(start.tzinfo, start)  # type: ignore[arg-type]
    stamps = [parse_list_entry(text) for text in texts]
    return [clock.resolve(stamp) for stamp in stamps if stamp]


@pytest.mark.parametrize(
    ("start", "entries", "expected"),
    [
        pytest.param(
            datetime(2024, 2, 28, 23, 40, tzinfo=UTC),
            ["23:40 - a", "23:55 - b", "00:15 - c", "01:30 - d"],
            [
                "2024-02-28T23:40:00+00:00",
                "2024-02-28T23:55:00+00:00",
                "2024-02-29T00:15:00+00:00",
                "2024-02-29T01:30:00+00:00",
            ],
            id="rolls-over-midnight",
        ),
        pytest.param(
            datetime(2025, 6, 1, 23, 50, tzinfo=ZoneInfo("Asia/Seoul")),
            ["23:50 - a", "00:05 - b", "15:10 UTC - c", "01:30 - d"],
            [
                "2025-06-01T23:50:00+09:00",
                "2025-06-02T00:05:00+09:00",
                "2025-06-01T15:10:00+00:00",
                "2025-06-02T01:30:00+09:00",
            ],
            id="utc-entry-after-midnight",
        ),
    ],
)
def test_clock_places_entries(
    start: datetime, entries: list[str], expected: list[str]
) -> None:
    times = resolve_all(entries, start)
    assert [t.isoformat() if t else None for t in times] == expected


def test_clock_keeps_small_step_back() -> None:
    start = datetime(2025, 1, 1, 3, 0, tzinfo=UTC)
    times = resolve_all(["03:10 - a", "03:05 - b"], start)
    assert times[1] == datetime(2025, 1, 1, 3, 5, tzinfo=UTC)


def test_clock_takes_date_from_entry() -> None:
    start = datetime(2025, 1, 1, 3, 0, tzinfo=UTC)
    times = resolve_all(["2025-01-03 09:00 - a", "10:00 - b"], start)
    assert times == [
        datetime(2025, 1, 3, 9, 0, tzinfo=UTC),
        datetime(2025, 1, 3, 10, 0, tzinfo=UTC),
    ]


def test_clock_utc_entry_in_local_report() -> None:
    seoul = ZoneInfo("Asia/Seoul")
    start = datetime(2025, 1, 15, 3, 0, tzinfo=seoul)
    times = resolve_all(["03:00 - local", "18:05 UTC - utc"], start)
    assert times[1] is not None
    assert times[1].utcoffset() == timedelta(0)
    # 03:00 in Seoul is 18:00 UTC the day before, so 18:05 UTC is five minutes later.
    assert times[1].isoformat() == "2025-01-14T18:05:00+00:00"


def test_clock_without_start_date() -> None:
    clock = TimelineClock(UTC, None)
    stamp = parse_list_entry("03:00 - a")
    assert stamp is not None
    assert clock.resolve(stamp) is None
