"""Splitting long lists over numbered pages."""

from __future__ import annotations

import pytest

from generator.paging import Pagination, page_title, page_url, paginate


def test_page_urls() -> None:
    assert page_url("actions/status/done/", 1) == "actions/status/done/"
    assert page_url("actions/status/done/", 2) == "actions/status/done/page/2/"


@pytest.mark.parametrize(
    ("count", "sizes", "bounds"),
    [
        (0, [0], [(0, 0)]),
        (1, [1], [(1, 1)]),
        (3, [3], [(1, 3)]),
        (4, [3, 1], [(1, 3), (4, 4)]),
        (6, [3, 3], [(1, 3), (4, 6)]),
    ],
)
def test_paginate_sizes(count, sizes, bounds) -> None:
    pages = paginate(list(range(count)), "list/", size=3)
    assert [len(items) for items, _ in pages] == sizes
    assert [(p.first, p.last) for _, p in pages] == bounds
    assert [p.number for _, p in pages] == list(range(1, len(sizes) + 1))
    assert {p.count for _, p in pages} == {len(sizes)}
    assert {p.total for _, p in pages} == {count}


def test_previous_and_next() -> None:
    (_, first), (_, second), (_, third) = paginate(list(range(7)), "list/", size=3)
    assert (first.previous_url, first.next_url) == ("", "list/page/2/")
    assert (second.previous_url, second.next_url) == ("list/", "list/page/3/")
    assert (third.previous_url, third.next_url) == ("list/page/2/", "")
    assert third.url == "list/page/3/"
    assert first.partial is True


def test_single_page_not_partial() -> None:
    ((items, pagination),) = paginate(["a"], "list/")
    assert items == ["a"]
    assert pagination.partial is False
    assert pagination.links() == [(1, "list/")]


def test_links_skip_far_pages() -> None:
    pagination = Pagination("list/", 10, 20, 4000, 1801, 2000)
    numbers = [link[0] if link else None for link in pagination.links()]
    assert numbers == [1, None, 8, 9, 10, 11, 12, None, 20]
    near_start = Pagination("list/", 2, 20, 4000, 201, 400)
    assert [link[0] if link else None for link in near_start.links()] == [
        1, 2, 3, 4, None, 20,
    ]  # fmt: skip


def test_page_titles() -> None:
    (_, first), (_, second) = paginate(list(range(4)), "list/", size=3)
    assert page_title("Done", first) == "Done"
    assert page_title("Done", second) == "Done (page 2 of 2)"
