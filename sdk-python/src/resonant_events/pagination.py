"""Pages of a list: iterate one page, or every page with ``auto_paging_iter()``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T")
F = TypeVar("F")


class _PageData(Generic[T, F]):
    """What both kinds of page hold: the items, ``has_more``, ``next_cursor``, and how to fetch more."""

    def __init__(self, data: list[T], has_more: bool, next_cursor: str | None, fetch_next: F | None = None) -> None:
        self.data = data
        self.has_more = has_more
        self.next_cursor = next_cursor
        self._fetch_next = fetch_next

    def __iter__(self) -> Iterator[T]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)

    def __getitem__(self, index: int) -> T:
        return self.data[index]

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(len={len(self.data)}, has_more={self.has_more}, next_cursor={self.next_cursor!r})"
        )

    def _next_cursor(self) -> str | None:
        """The cursor of the following page, when there is one to fetch."""
        return self.next_cursor if self.has_more and self._fetch_next is not None else None


class Page(_PageData[T, Callable[[str], "Page[T]"]]):
    """One page: iterable over its items, with ``has_more`` and ``next_cursor``.

    ``for event in page`` visits this page only; ``page.auto_paging_iter()`` goes on through the
    next pages, each fetched when reached. The cursors are exact: items added meanwhile neither
    shift nor repeat a page.
    """

    def next_page(self) -> Page[T] | None:
        """The following page, or None after the last one."""
        cursor = self._next_cursor()
        return self._fetch_next(cursor) if cursor and self._fetch_next else None

    def auto_paging_iter(self) -> Iterator[T]:
        """Every item of this page and of the pages after it."""
        page: Page[T] | None = self
        while page is not None:
            yield from page.data
            page = page.next_page()


class AsyncPage(_PageData[T, Callable[[str], Awaitable["AsyncPage[T]"]]]):
    """One page of an ``AsyncClient`` list: ``for`` over its items, ``async for`` over
    ``auto_paging_iter()`` for every page."""

    async def next_page(self) -> AsyncPage[T] | None:
        """The following page, or None after the last one."""
        cursor = self._next_cursor()
        return await self._fetch_next(cursor) if cursor and self._fetch_next else None

    async def auto_paging_iter(self) -> AsyncIterator[T]:
        """Every item of this page and of the pages after it."""
        page: AsyncPage[T] | None = self
        while page is not None:
            for item in page.data:
                yield item
            page = await page.next_page()
