"""Pages of a list: iterate one page, or every page with ``auto_paging_iter()``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T")


class Page(Generic[T]):
    """One page: iterable over its items, with ``has_more`` and ``next_cursor``.

    ``for event in page`` visits this page only; ``page.auto_paging_iter()`` goes on through the
    next pages, each fetched when reached. The cursors are exact: items added meanwhile neither
    shift nor repeat a page.
    """

    def __init__(
        self,
        data: list[T],
        has_more: bool,
        next_cursor: str | None,
        fetch_next: Callable[[str], Page[T]] | None = None,
    ) -> None:
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
        return f"Page(len={len(self.data)}, has_more={self.has_more}, next_cursor={self.next_cursor!r})"

    def next_page(self) -> Page[T] | None:
        """The following page, or None after the last one."""
        if not self.has_more or not self.next_cursor or self._fetch_next is None:
            return None
        return self._fetch_next(self.next_cursor)

    def auto_paging_iter(self) -> Iterator[T]:
        """Every item of this page and of the pages after it."""
        page: Page[T] | None = self
        while page is not None:
            yield from page.data
            page = page.next_page()


class AsyncPage(Generic[T]):
    """One page of an ``AsyncClient`` list: ``for`` over its items, ``async for`` over
    ``auto_paging_iter()`` for every page."""

    def __init__(
        self,
        data: list[T],
        has_more: bool,
        next_cursor: str | None,
        fetch_next: Callable[[str], Awaitable[AsyncPage[T]]] | None = None,
    ) -> None:
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
        return f"AsyncPage(len={len(self.data)}, has_more={self.has_more}, next_cursor={self.next_cursor!r})"

    async def next_page(self) -> AsyncPage[T] | None:
        """The following page, or None after the last one."""
        if not self.has_more or not self.next_cursor or self._fetch_next is None:
            return None
        return await self._fetch_next(self.next_cursor)

    async def auto_paging_iter(self) -> AsyncIterator[T]:
        """Every item of this page and of the pages after it."""
        page: AsyncPage[T] | None = self
        while page is not None:
            for item in page.data:
                yield item
            page = await page.next_page()
