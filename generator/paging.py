"""Split long lists over numbered pages: ``folder/``, ``folder/page/2/``, …

Page 1 is the folder's own URL, so links to a list keep working whether it
has one page or many.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

Item = TypeVar("Item")

PAGE_SIZE = 200
# The pager links the first and last page and this many pages on each side
# of the current one.
PAGER_REACH = 2


def page_url(folder: str, number: int) -> str:
    """Return the URL of page ``number`` of a list whose first page is ``folder``."""
    return folder if number <= 1 else f"{folder}page/{number}/"


@dataclass
class Pagination:
    """The place of one page in a paginated list: its number and its items' positions."""

    folder: str
    number: int
    count: int
    total: int
    # The 1-based positions of the page's first and last items, 0 on an empty list.
    first: int
    last: int

    @property
    def url(self) -> str:
        """Return this page's URL, relative to the site root."""
        return page_url(self.folder, self.number)

    @property
    def previous_url(self) -> str:
        """Return the URL of the page before, or '' on the first page."""
        return page_url(self.folder, self.number - 1) if self.number > 1 else ""

    @property
    def next_url(self) -> str:
        """Return the URL of the page after, or '' on the last page."""
        return (
            page_url(self.folder, self.number + 1) if self.number < self.count else ""
        )

    @property
    def partial(self) -> bool:
        """Tell whether the list has more pages than this one."""
        return self.count > 1

    def links(self) -> list[tuple[int, str] | None]:
        """Return the pages the pager links, as (number, URL), None for a gap."""
        numbers = {1, self.count}
        numbers.update(range(self.number - PAGER_REACH, self.number + PAGER_REACH + 1))
        linked = sorted(n for n in numbers if 1 <= n <= self.count)
        links: list[tuple[int, str] | None] = []
        for number in linked:
            if links and links[-1] is not None and number > links[-1][0] + 1:
                links.append(None)
            links.append((number, page_url(self.folder, number)))
        return links


def paginate(
    items: Sequence[Item], folder: str, size: int = PAGE_SIZE
) -> list[tuple[list[Item], Pagination]]:
    """Split items into pages of ``size``. An empty list still gets one empty page."""
    count = max(1, -(-len(items) // size))
    pages = []
    for number in range(1, count + 1):
        start = (number - 1) * size
        chunk = list(items[start : start + size])
        first = start + 1 if chunk else 0
        pagination = Pagination(
            folder, number, count, len(items), first, start + len(chunk)
        )
        pages.append((chunk, pagination))
    return pages


def page_title(title: str, pagination: Pagination) -> str:
    """Return a page's title, with its page number after the first page."""
    if pagination.number == 1:
        return title
    return f"{title} (page {pagination.number} of {pagination.count})"
