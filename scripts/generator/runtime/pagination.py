"""Page iterators: every item of a list operation, requested page after page.

The API's list operations carry no paging object (no total, no "next" link): the only end-of-list signal is a page
shorter than the others, or an empty one. A server may also hand out fewer items per page than asked for (a cap of
its own), so "shorter" means shorter than the largest page seen so far, not than the page size sent: after a full
page, the first short page ends the list at once; when the very first page is already short, one more page is
asked for to tell a short list from a capped page (it comes back empty, or with more). Nothing is lost either way.
It holds one page at a time, and a ``break`` leaves the remaining pages unrequested.

A server that ignores ``page_no`` (and sends the same full page for every number) would make that loop endless, so
an iterator also stops after a page that brings no item it has not yielded already, and yields an item that comes
again on a later page (rows shift while people join) only once. Items are told apart by their ``id`` (else by
their whole content), so it keeps one key per item yielded.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable, Iterator, Sequence
from typing import Any, TypeVar

from .types import Unset

T = TypeVar("T")


def items_at(page: Any, path: Sequence[str]) -> list[Any]:
    """The list at ``path`` (attribute names) in a parsed page; [] where the page has null or nothing there."""
    value = page
    for name in path:
        value = getattr(value, name, None)
        if value is None or isinstance(value, Unset):
            return []
    return list(value) if isinstance(value, list) else []


def item_key(item: Any) -> Hashable:
    """What tells an item apart from the others: its ``id`` when it has one, else its whole content."""
    ident = getattr(item, "id", None)
    if isinstance(ident, str | int) and not isinstance(ident, bool):
        return ("id", ident)
    to_dict = getattr(item, "to_dict", None)
    content = to_dict() if callable(to_dict) else item
    try:
        return ("content", json.dumps(content, sort_keys=True, default=str))
    except (TypeError, ValueError):
        return ("object", id(item))


class _Pages:
    """The stop rule both iterators share: an empty page, a page shorter than the largest before it, or a page with
    nothing new."""

    def __init__(self, page_size: int) -> None:
        self.page_size = page_size
        self.largest = 0
        self.seen: set[Hashable] = set()

    def new_items(self, items: list[T | None]) -> tuple[list[T], bool]:
        """(the page's items not yielded before, whether to ask for the next page)."""
        fresh: list[T] = []
        for item in items:
            if item is None:
                continue
            key = item_key(item)
            if key not in self.seen:
                self.seen.add(key)
                fresh.append(item)
        full = len(items) >= min(self.page_size, self.largest or self.page_size)
        first_short = self.largest == 0 and len(items) < self.page_size
        self.largest = max(self.largest, len(items))
        return fresh, bool(fresh) and (full or first_short)


def iterate_pages(fetch: Callable[[int], list[T | None]], first_page: int, page_size: int) -> Iterator[T]:
    """Items of page ``first_page``, ``first_page + 1``, ... until a page is empty, shorter than the largest before
    it, or brings nothing an earlier page did not (see the module's docstring)."""
    pages = _Pages(page_size)
    number = first_page
    while True:
        fresh, more = pages.new_items(fetch(number))
        yield from fresh
        if not more:
            return
        number += 1


async def aiterate_pages(
    fetch: Callable[[int], Awaitable[list[T | None]]], first_page: int, page_size: int
) -> AsyncIterator[T]:
    """The async twin of iterate_pages()."""
    pages = _Pages(page_size)
    number = first_page
    while True:
        fresh, more = pages.new_items(await fetch(number))
        for item in fresh:
            yield item
        if not more:
            return
        number += 1


__all__ = ["aiterate_pages", "item_key", "items_at", "iterate_pages"]
