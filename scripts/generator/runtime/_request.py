"""Building requests: every argument checked against what the document states, then encoded for the wire.

Each operation module declares its parameters once, at import time, as ``PathParam`` / ``QueryParam`` objects
holding a schema (``String``, ``Integer``, ``Number``, ``Boolean``, ``EnumOf``, ``DateTime``, ``Date``, ``Array``)
with the document's constraints. Calling an operation encodes each argument through them, so a bad argument raises
before anything is sent:

- ``TypeError`` for a value of the wrong type (a bool is not an integer or a number; a naive datetime is refused
  with ValueError, since it names no moment);
- ``ValueError`` for a value outside what the document allows, naming the parameter, the value and the bound.

Query values are percent-encoded here; arrays go out as the document's ``style: form`` says: ``explode: true``
repeats the parameter, ``explode: false`` joins the values with literal commas (httpx's ``params=`` would write
``%2C``).
"""

from __future__ import annotations

import datetime
import json
import math
import re
from collections.abc import Iterable, Mapping
from enum import Enum
from typing import Any
from urllib.parse import quote

from .types import Unset

_UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]*").fullmatch
"""Whether a text is made only of what ``quote(text, safe="")`` leaves unescaped (RFC 3986's unreserved characters)."""


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _type_error(name: str, expected: str, value: object) -> TypeError:
    return TypeError(f"{name} must be {expected}, got {_shown(value)} ({type(value).__name__})")


def check_unicode(name: str, value: str) -> None:
    """ValueError naming ``name`` when a text cannot be sent (UTF-8 has no lone surrogate, such as ``"\\ud800"``)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError(
            f"{name} is not valid Unicode text: {error.reason} at position {error.start}, got {_shown(value)}"
        ) from None


class Schema:
    """What one value may be: ``check`` returns it normalised or raises; ``encode`` writes a checked value."""

    def check(self, name: str, value: Any) -> Any:
        raise NotImplementedError

    def encode(self, value: Any) -> str:
        return quote(str(value), safe="")

    def describe(self) -> str:
        """The constraints in words, for argument docs and error messages."""
        return ""


def _bounds(
    name: str,
    value: float,
    minimum: float | None,
    maximum: float | None,
    exclusive_minimum: float | None,
    exclusive_maximum: float | None,
) -> None:
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {_shown(value)}")
    if exclusive_minimum is not None and value <= exclusive_minimum:
        raise ValueError(f"{name} must be greater than {exclusive_minimum}, got {_shown(value)}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be at most {maximum}, got {_shown(value)}")
    if exclusive_maximum is not None and value >= exclusive_maximum:
        raise ValueError(f"{name} must be less than {exclusive_maximum}, got {_shown(value)}")


def _describe_bounds(
    minimum: float | None, maximum: float | None, exclusive_minimum: float | None, exclusive_maximum: float | None
) -> list[str]:
    words = []
    if minimum is not None:
        words.append(f">= {minimum}")
    if exclusive_minimum is not None:
        words.append(f"> {exclusive_minimum}")
    if maximum is not None:
        words.append(f"<= {maximum}")
    if exclusive_maximum is not None:
        words.append(f"< {exclusive_maximum}")
    return words


class String(Schema):
    def __init__(self, *, min_length: int | None = None, max_length: int | None = None, pattern: str | None = None):
        self.min_length = min_length
        self.max_length = max_length
        self.pattern = pattern
        # JSON Schema patterns are not anchored: a match anywhere in the value counts.
        self._pattern = re.compile(pattern) if pattern is not None else None

    def check(self, name: str, value: Any) -> str:
        if not isinstance(value, str):
            raise _type_error(name, "a str", value)
        if not value.isascii():
            check_unicode(name, value)
        if self.min_length is not None and len(value) < self.min_length:
            raise ValueError(f"{name} must be at least {self.min_length} characters long, got {_shown(value)}")
        if self.max_length is not None and len(value) > self.max_length:
            raise ValueError(
                f"{name} must be at most {self.max_length} characters long, got {_shown(value)} ({len(value)})"
            )
        if self._pattern is not None and not self._pattern.search(value):
            raise ValueError(f"{name} must match the pattern {self.pattern!r}, got {_shown(value)}")
        return value

    def encode(self, value: str) -> str:
        # The usual id is made only of the characters quote() leaves as they are: skip its work (~1 us a call for
        # an operation's four path parameters).
        return value if _UNRESERVED(value) else quote(value, safe="")

    def describe(self) -> str:
        words = []
        if self.min_length is not None:
            words.append(f"at least {self.min_length} characters")
        if self.max_length is not None:
            words.append(f"at most {self.max_length} characters")
        if self.pattern is not None:
            words.append(f"matching {self.pattern!r}")
        return ", ".join(words)


class Integer(Schema):
    def __init__(
        self,
        *,
        minimum: int | None = None,
        maximum: int | None = None,
        exclusive_minimum: int | None = None,
        exclusive_maximum: int | None = None,
    ):
        self.bounds = (minimum, maximum, exclusive_minimum, exclusive_maximum)

    def check(self, name: str, value: Any) -> int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise _type_error(name, "an int", value)
        _bounds(name, value, *self.bounds)
        return value

    def encode(self, value: int) -> str:
        return str(int(value))

    def describe(self) -> str:
        return ", ".join(_describe_bounds(*self.bounds))


class Number(Schema):
    def __init__(
        self,
        *,
        minimum: float | None = None,
        maximum: float | None = None,
        exclusive_minimum: float | None = None,
        exclusive_maximum: float | None = None,
    ):
        self.bounds = (minimum, maximum, exclusive_minimum, exclusive_maximum)

    def check(self, name: str, value: Any) -> float:
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise _type_error(name, "a number (int or float)", value)
        # An int is finite, but math.isfinite() cannot convert one past the float range.
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"{name} must be a finite number, got {_shown(value)}")
        _bounds(name, value, *self.bounds)
        return value

    def encode(self, value: float) -> str:
        return repr(value)  # an int stays "2"; a float is written exactly ("2.5", "1e-07")

    def describe(self) -> str:
        return ", ".join(_describe_bounds(*self.bounds))


class Boolean(Schema):
    def check(self, name: str, value: Any) -> bool:
        if not isinstance(value, bool):
            raise _type_error(name, "True or False", value)
        return value

    def encode(self, value: bool) -> str:
        return "true" if value else "false"


class EnumOf(Schema):
    """One of an enum's listed values: a member, or its raw value (a str or an int)."""

    def __init__(self, cls: type[Enum]):
        self.cls = cls
        self.values = {member.value: member for member in cls}
        self.raw_type: type[Any] = type(next(iter(self.values))) if self.values else str

    def check(self, name: str, value: Any) -> Any:
        raw = value.value if isinstance(value, self.cls) else value
        if type(raw) is not self.raw_type:
            raise _type_error(name, f"a {self.cls.__name__} or {self.raw_type.__name__}", value)
        if raw not in self.values:
            allowed = ", ".join(str(v) for v in self.values)
            raise ValueError(f"{name} must be one of {allowed}; got {_shown(raw)}")
        return raw

    def encode(self, value: Any) -> str:
        return quote(str(value), safe="")

    def describe(self) -> str:
        return "one of " + ", ".join(str(value) for value in self.values)


class DateTime(Schema):
    """A moment: an aware ``datetime``, sent in ISO 8601 with ``T`` and its UTC offset."""

    def check(self, name: str, value: Any) -> datetime.datetime:
        if not isinstance(value, datetime.datetime):
            raise _type_error(name, "a datetime.datetime", value)
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"{name} must be timezone-aware (a naive datetime names no moment), got {_shown(value)}")
        return value

    def encode(self, value: datetime.datetime) -> str:
        return quote(value.isoformat(), safe="")

    def describe(self) -> str:
        return "a timezone-aware datetime"


class Date(Schema):
    def check(self, name: str, value: Any) -> datetime.date:
        if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
            raise _type_error(name, "a datetime.date", value)
        return value

    def encode(self, value: datetime.date) -> str:
        return value.isoformat()


class Array(Schema):
    """A list of values of one schema. A single value counts as a list of one; with ``unique``, repeats are dropped
    (first one kept, order kept)."""

    def __init__(
        self, item: Schema, *, min_items: int | None = None, max_items: int | None = None, unique: bool = False
    ):
        self.item = item
        self.min_items = min_items
        self.max_items = max_items
        self.unique = unique

    def check(self, name: str, value: Any) -> list[Any]:
        items: Iterable[Any]
        if isinstance(value, (str, bytes, Enum, int, float, datetime.date)):
            items = [value]
        elif isinstance(value, Iterable) and not isinstance(value, Mapping):
            items = value
        else:
            raise _type_error(name, "a list", value)
        checked = [self.item.check(name, item) for item in items]
        if self.unique:
            checked = list(dict.fromkeys(checked))
        if self.min_items is not None and len(checked) < self.min_items:
            raise ValueError(f"{name} must have at least {self.min_items} items, got {len(checked)}")
        if self.max_items is not None and len(checked) > self.max_items:
            raise ValueError(f"{name} must have at most {self.max_items} items, got {len(checked)}")
        return checked

    def describe(self) -> str:
        words = [self.item.describe()] if self.item.describe() else []
        if self.min_items is not None:
            words.append(f"at least {self.min_items} items")
        if self.max_items is not None:
            words.append(f"at most {self.max_items} items")
        return ", ".join(words)


class PathParam:
    """A path parameter: one percent-encoded segment (``/`` included), never empty, ``.`` or ``..``."""

    def __init__(self, name: str, schema: Schema):
        self.name = name
        self.schema = schema

    def encode(self, value: Any) -> str:
        checked = self.schema.check(self.name, value)
        encoded = self.schema.encode(checked)
        if encoded in ("", ".", ".."):
            raise ValueError(f"{self.name} must be a non-empty id, not {value!r} (it would request a different URL)")
        return encoded


class QueryParam:
    """A query parameter: no pair when the argument is UNSET or None; an array per its ``explode`` style. An empty
    value is refused unless the document allows one (``allowEmptyValue``): servers reject ``search=``."""

    def __init__(self, name: str, schema: Schema, *, explode: bool = True, allow_empty: bool = False):
        self.name = name
        self.key = quote(name, safe="")
        self.schema = schema
        self.explode = explode
        self.allow_empty = allow_empty

    def encode(self, value: Any) -> list[tuple[str, str]]:
        if value is None or isinstance(value, Unset):
            return []
        if value == "" and not self.allow_empty:
            raise ValueError(f"{self.name} must not be empty (leave it out, or pass None, to send no {self.name})")
        checked = self.schema.check(self.name, value)
        if isinstance(self.schema, Array):
            item = self.schema.item
            if not checked:
                return []
            if self.explode:
                return [(self.key, item.encode(one)) for one in checked]
            return [(self.key, ",".join(item.encode(one) for one in checked))]
        return [(self.key, self.schema.encode(checked))]


def query(*pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The query of a request from each parameter's encoded pairs, in the document's order."""
    return [pair for encoded in pairs for pair in encoded]


def json_body(name: str, value: Any, cls: type[Any] | None) -> bytes:
    """A request body as JSON, written with the models' to_dict rules (wire names, enum values, RFC 3339)."""
    from ._parsing import to_json  # noqa: PLC0415 - only operations with a body need it

    if cls is not None and not isinstance(value, cls):
        raise _type_error(name, f"a {cls.__name__}", value)
    return json.dumps(to_json(value), ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


__all__ = [
    "Array",
    "Boolean",
    "Date",
    "DateTime",
    "EnumOf",
    "Integer",
    "Number",
    "PathParam",
    "QueryParam",
    "String",
    "json_body",
    "query",
]
