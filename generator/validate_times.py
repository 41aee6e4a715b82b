"""Check the time fields of a postmortem's front matter: its zone, the four
times, their order, and local times that a clock change skipped or repeated.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timezone, tzinfo
from typing import Any

from generator.config import Config
from generator.errors import Level, Problem
from generator.parse import KeyPath, SourceDocument
from generator.timeparse import parse_time, parse_zone

TIME_FIELDS = ("started", "detected", "mitigated", "resolved")


class TimeFieldChecks:
    """The time checks of the front matter validator, and the problem
    reporting that they share with it. The validator provides the document,
    the values and the settings."""

    document: SourceDocument
    path: str
    problems: list[Problem]
    origin: dict[str, KeyPath]
    values: dict[str, Any]
    config: Config
    # Fields whose local time the clocks skipped.
    skipped_times: set[str]

    def report(
        self,
        level: str | Level,
        key_path: KeyPath,
        message: str,
        hint: str = "",
        value: bool = False,
    ) -> None:
        """Record a problem at a key (or at its value when ``value`` is set)."""
        if level == "off":
            return
        position = (
            self.document.value_position(key_path)
            if value
            else self.document.position(key_path)
        )
        self.problems.append(
            Problem(self.path, position[0], position[1], Level(level), message, hint)
        )

    def where(self, name: str) -> KeyPath:
        """Return the source key path of a canonical field."""
        return self.origin.get(name, (name,))

    def zone(self) -> tzinfo:
        name = self.values.get("timezone")
        if name is None or name == "":
            return self.config.timezone
        zone = parse_zone(str(name))
        if zone is None:
            self.report(
                Level.ERROR,
                self.where("timezone"),
                f"unknown time zone '{name}'",
                "use an IANA name such as 'Asia/Seoul' or an offset like '+09:00'",
                value=True,
            )
            return self.config.timezone
        return zone

    def times(self, zone: tzinfo) -> dict[str, datetime | None]:
        times: dict[str, datetime | None] = {}
        for name in TIME_FIELDS:
            value = self.values.get(name)
            times[name] = None
            if value is None or value == "":
                continue
            moment = parse_time(value, zone)
            if moment is None:
                self.report(
                    Level.ERROR,
                    self.where(name),
                    f"invalid time {str(value)!r} for '{name}'",
                    "write it as YYYY-MM-DD HH:MM, optionally with seconds and an offset like +09:00",
                    value=True,
                )
                continue
            times[name] = moment
            self.check_local_time(name, value, moment)
        known = [
            (n, times[n])
            for n in TIME_FIELDS
            if times[n] is not None and n not in self.skipped_times
        ]
        for (first, first_time), (second, second_time) in zip(
            known, known[1:], strict=False
        ):
            assert first_time is not None and second_time is not None
            # In UTC: Python compares two times of one zone by their wall clocks.
            if second_time.astimezone(UTC) < first_time.astimezone(UTC):
                self.report(
                    Level.ERROR,
                    self.where(second),
                    f"'{second}' ({second_time:%Y-%m-%d %H:%M}) is before '{first}' ({first_time:%Y-%m-%d %H:%M})",
                    "times must follow started <= detected <= mitigated <= resolved",
                    value=True,
                )
        return times

    def check_local_time(self, name: str, value: object, moment: datetime) -> None:
        """Report a local time that does not exist or happens twice, and a date
        without a time. A time that does not exist joins ``skipped_times``: it
        cannot be put in order with the others."""
        if isinstance(value, str) and re.fullmatch(
            r"\s*\d{4}-\d{1,2}-\d{1,2}\s*", value
        ):
            hint = "add the time, like 2025-01-15 03:00, because durations otherwise count from 00:00"
            self.report(
                Level.WARNING,
                self.where(name),
                f"'{name}' has a date but no time, so it is read as 00:00",
                hint,
                value=True,
            )
        if (
            moment.tzinfo is None
            or moment.utcoffset() is None
            or isinstance(moment.tzinfo, timezone)
        ):
            return
        round_trip = moment.astimezone(UTC).astimezone(moment.tzinfo)
        if round_trip.replace(tzinfo=None) != moment.replace(tzinfo=None):
            message = f"'{name}' ({moment:%Y-%m-%d %H:%M}) does not exist in {moment.tzinfo}: the clocks skipped it"
            self.report(
                Level.ERROR,
                self.where(name),
                message,
                "write the time with its UTC offset, like +02:00",
                value=True,
            )
            self.skipped_times.add(name)
            return
        if moment.replace(fold=1).utcoffset() != moment.utcoffset():
            message = f"'{name}' ({moment:%Y-%m-%d %H:%M}) happens twice in {moment.tzinfo}: the clocks went back"
            self.report(
                Level.WARNING,
                self.where(name),
                message,
                "write the time with its UTC offset to say which one",
                value=True,
            )
