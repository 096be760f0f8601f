# Copied from scripts/generator/runtime/pagination.py by scripts/generator. DO NOT EDIT: change that file and run `make generate`.
"""Page iterators: every item of a list operation, requested page after page.

The API's list operations carry no paging object (no total, no "next" link): the only end-of-list signal is a page
shorter than the page size, or an empty one. So an iterator always sends the page size it expects, and stops after
the first short page (one request fewer than waiting for an empty page, except when the total is an exact multiple
of the page size). It holds one page at a time, and a ``break`` leaves the remaining pages unrequested.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
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


def iterate_pages(fetch: Callable[[int], list[T | None]], first_page: int, page_size: int) -> Iterator[T]:
    """Items of page ``first_page``, ``first_page + 1``, ... until a page has fewer than ``page_size`` items."""
    number = first_page
    while True:
        items = fetch(number)
        for item in items:
            if item is not None:
                yield item
        if len(items) < page_size:
            return
        number += 1


async def aiterate_pages(
    fetch: Callable[[int], Awaitable[list[T | None]]], first_page: int, page_size: int
) -> AsyncIterator[T]:
    """The async twin of iterate_pages()."""
    number = first_page
    while True:
        items = await fetch(number)
        for item in items:
            if item is not None:
                yield item
        if len(items) < page_size:
            return
        number += 1


__all__ = ["aiterate_pages", "items_at", "iterate_pages"]
