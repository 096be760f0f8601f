"""Reading response bodies into the generated models: JSON decoding, timestamps, and the converters for the types a
model does not parse inline.

The generated ``from_dict`` methods parse the common field types (strings, numbers, booleans, timestamps, enums,
nested models and lists of them) with inline code, for speed; every other type (lists of lists, maps, unions,
dates...) goes through a converter built here once per field, at import time. Both follow the same rules:

- ``null`` is accepted everywhere and becomes None; a value of the wrong JSON type raises ResponseParseError;
- integers are accepted where numbers are declared; booleans are never numbers;
- timestamps parse with the standard library (python-dateutil as fallback) and are always timezone-aware;
- enum values the document does not list are kept (see ``types.OpenEnum``);
- a failure raises ResponseParseError with the JSON path relative to where it happened; each enclosing model or
  container prefixes its own part on the way out, so the happy path builds no path strings at all.
"""

from __future__ import annotations

import datetime
import gc
import json
import re
from collections.abc import Callable, Mapping, Sequence
from enum import Enum
from typing import Any, TypeVar

from .errors import ResponseParseError
from .types import UNSET, OpenEnum, Unset

T = TypeVar("T")
Converter = Callable[[Any], Any]
"""Turns one decoded JSON value (never UNSET) into its parsed form, or raises ResponseParseError."""

# -- Decoding ----------------------------------------------------------------------------------------------------

_json_loads: Callable[[bytes | str], Any] | None = None


def _loads() -> Callable[[bytes | str], Any]:
    """msgspec's JSON decoder when the optional `fast` extra is installed (several times faster on large bodies, and
    exact for integers of any size), else json.loads. Looked up on first use, not at import, to keep
    `import realtimekit_client` cheap."""
    global _json_loads
    if _json_loads is None:
        try:
            from msgspec import DecodeError  # noqa: PLC0415
            from msgspec.json import decode  # noqa: PLC0415

            def loads(content: bytes | str) -> Any:
                try:
                    return decode(content)
                except (DecodeError, UnicodeError):
                    # msgspec is stricter than the standard library (NaN, 1e400, lone surrogates, a byte order mark;
                    # a str with a lone surrogate raises UnicodeEncodeError): what json reads is read the same way
                    # with or without the extra.
                    return json.loads(content)

            _json_loads = loads
        except ImportError:
            _json_loads = json.loads
    return _json_loads


def decode_json(content: bytes | str) -> Any:
    """Decode a JSON body (with msgspec when installed). Raises ValueError when it is not JSON."""
    return _loads()(content)


_HELD_BACK = 1 << 30
"""The threshold of the collector's older generations while a body is read: never reached (see parse_json_body)."""


def parse_json_body(content: bytes | str, parse: Callable[[Any], T], model: type[T] | None = None) -> T:
    """Decode a JSON body and build models from it; ResponseParseError (with the raw body) if either fails.

    With the `fast` extra and a ``model`` class, msgspec first tries to decode the body straight into the model
    (``_fast.py``); a body it cannot read exactly as the forgiving path would is read by the forgiving path
    (``json`` + ``parse``), so the result never depends on which path ran.

    Python's cyclic garbage collector is held back meanwhile. A large body is ~100k new objects that it tracks (every
    instance of a class is tracked) and no cycles: each of its passes over them finds nothing to free, and an object
    is scanned again by the pass of each generation it ages into, from memory by then. So its two older generations
    are suspended (thresholds raised) while the body is read: the youngest is still collected, every 700 new objects
    by default, which scans each new object once while it is still in the CPU cache and moves it to the middle
    generation; that one is collected as usual once its threshold is next reached after the parse. Disabling the
    collector instead was 10-20 % slower on a 15 MB body: the new objects then pile up in the youngest generation, and
    its first pass after the pause scans them all from memory (21 ms for the benchmark participant's 86,000 models).
    The setting is process-wide while it lasts (a few ms to a few hundred ms for the largest bodies); nothing changes
    when the collector is disabled or already held back (by a parse in another thread).
    """
    body = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
    thresholds = gc.get_threshold()
    hold_gc = gc.isenabled() and thresholds[1] != _HELD_BACK
    if hold_gc:
        gc.set_threshold(thresholds[0], _HELD_BACK, _HELD_BACK)
    try:
        if model is not None:
            from ._fast import decode  # noqa: PLC0415 - imports msgspec on first use, not at start-up

            fast = decode(model, body)
            if fast is not None:
                return fast
        try:
            data = _loads()(content)
        except (ValueError, RecursionError) as error:  # not JSON (or UTF-8), or nested deeper than json can go
            text = body[:200].decode("utf-8", "replace")
            raise ResponseParseError(f"body is not JSON ({error})", path="$", value=text, body=body) from error
        try:
            parsed = parse(data)
        except ResponseParseError as error:
            error.body = body
            raise
        except RecursionError as error:  # nested deeper than the models can follow
            raise ResponseParseError("body is nested too deeply", path="$", value=None, body=body) from error
    finally:
        if hold_gc:
            gc.set_threshold(*thresholds)
    return parsed


# -- Errors and paths --------------------------------------------------------------------------------------------

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def path_segment(key: str) -> str:
    """A JSON path step for an object key: ``.name``, or ``['5_or_more']`` when the key is not a plain name."""
    return "." + key if _IDENTIFIER.fullmatch(key) else "[" + json.dumps(key).replace('"', "'") + "]"


def bad_value(reason: str, path: str, value: Any) -> ResponseParseError:
    """The error for a value that does not fit the model; path is relative to the model (".field" or "")."""
    return ResponseParseError(reason, path="$" + path, value=value)


def missing(path: str) -> ResponseParseError:
    """The error for a required property the body does not have."""
    return ResponseParseError("required property is missing", path="$" + path, value=UNSET)


def nest_error(error: ResponseParseError, path: str) -> None:
    """Prefix the enclosing field's path to a failure raised by a nested model or converter."""
    error.path = "$" + path + error.path[1:]


def nest_list_error(
    error: ResponseParseError, path: str, items: list[Any], parse: Callable[[Any], Any]
) -> ResponseParseError:
    """The failure inside a list, located at its item: parse the items again one by one (error path only)."""
    for index, item in enumerate(items):
        if item is None:
            continue
        try:
            parse(item)
        except ResponseParseError as located:
            nest_error(located, f"{path}[{index}]")
            return located
    nest_error(error, path)
    return error


# -- Timestamps and dates ----------------------------------------------------------------------------------------


MICROSECOND = datetime.timedelta(microseconds=1)


def rounds_up(value: str) -> bool:
    """Whether an RFC 3339 timestamp has more than 6 fractional digits and the 7th is 5 or more.

    A datetime holds microseconds: the standard library drops further digits, msgspec (the `fast` extra) rounds to
    the nearest microsecond. Both paths round, so a body gives the same datetime whichever path read it."""
    return len(value) > 26 and value[19] == "." and "5" <= value[26] <= "9"


def parse_datetime(value: str) -> datetime.datetime:
    """An ISO 8601 / RFC 3339 timestamp as an aware datetime (UTC when it carries no offset), to the nearest
    microsecond.

    The standard library handles what the API sends (and is ~40x faster); python-dateutil's ISO parser is the
    fallback for the forms it rejects. Raises ValueError (or OverflowError) when neither can read the value.
    """
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError:
        from dateutil.parser import isoparse  # noqa: PLC0415 - only on the rare fallback, keeps import time low

        parsed = isoparse(value)
        offset = parsed.utcoffset()
        if offset is not None:  # dateutil's tzutc()/tzoffset(): the standard library's, as every other path gives
            parsed = parsed.replace(tzinfo=datetime.timezone(offset))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.UTC)
    if rounds_up(value):
        parsed += MICROSECOND
    return parsed


def parse_datetime_or_fail(value: str, path: str) -> datetime.datetime:
    """parse_datetime, or the parse error for the field at path (relative to the model)."""
    try:
        return parse_datetime(value)
    except (ValueError, OverflowError) as error:
        raise bad_value(f"not an ISO 8601 timestamp ({error})", path, value) from error


def format_datetime(value: datetime.datetime) -> str:
    """RFC 3339: ISO format with an offset (a naive datetime is taken as UTC, as parse_datetime does)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return value.isoformat()


# -- Converters: one per declared type, composed at import time --------------------------------------------------

_EXPECTED = {str: "a string", int: "an integer", float: "a number", bool: "a boolean"}


def as_str(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise bad_value("expected a string", "", value)


def as_int(value: Any) -> int | None:
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise bad_value("expected an integer", "", value)


def as_float(value: Any) -> float | None:
    if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        return value
    raise bad_value("expected a number", "", value)


def as_bool(value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise bad_value("expected a boolean", "", value)


def as_any(value: Any) -> Any:
    return value


def as_none(value: Any) -> None:
    if value is None:
        return None
    raise bad_value("expected null", "", value)


def as_object(value: Any) -> dict[str, Any] | None:
    """A free-form object: kept as the decoded dict."""
    if value is None or isinstance(value, dict):
        return value
    raise bad_value("expected an object", "", value)


def as_datetime(value: Any) -> datetime.datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        return parse_datetime_or_fail(value, "")
    raise bad_value("expected a timestamp string", "", value)


def as_date(value: Any) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError as error:
            raise bad_value(f"not an ISO 8601 date ({error})", "", value) from error
    raise bad_value("expected a date string", "", value)


def as_const(expected: Any) -> Converter:
    """The one value a ``const`` schema allows (of its JSON type: ``1`` is not ``true``)."""

    def convert(value: Any) -> Any:
        if value is None or (type(value) is type(expected) and value == expected):
            return value
        raise bad_value(f"expected {json.dumps(expected)}", "", value)

    return convert


def as_enum(cls: type[OpenEnum]) -> Converter:
    """Values of an enum: listed ones become members, others unlisted values of the same type."""
    member_type: type[Any] = getattr(cls, "_member_type_", object)
    expected = _EXPECTED.get(member_type, "a value")

    def convert(value: Any) -> Any:
        if value is None:
            return None
        if type(value) is member_type:
            return cls(value)
        raise bad_value(f"expected {expected}", "", value)

    return convert


def as_model(cls: Any) -> Converter:
    """Objects of a generated model (its from_dict)."""
    from_dict = cls.from_dict

    def convert(value: Any) -> Any:
        return None if value is None else from_dict(value)

    return convert


def as_list(item: Converter) -> Converter:
    """Arrays whose items convert with ``item``."""

    def convert(value: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, list):
            raise bad_value("expected an array", "", value)
        try:
            return [item(element) for element in value]
        except ResponseParseError as failure:
            raise nest_list_error(failure, "", value, item) from failure.__cause__

    return convert


def as_map(item: Converter) -> Converter:
    """Objects used as maps (``additionalProperties``): every value converts with ``item``."""

    def convert(value: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, dict):
            raise bad_value("expected an object", "", value)
        converted: dict[str, Any] = {}
        for key, element in value.items():
            try:
                converted[key] = item(element)
            except ResponseParseError as failure:
                nest_error(failure, path_segment(key))
                raise
        return converted

    return convert


def _fit(convert: Converter, value: Any) -> tuple[bool, Any]:
    try:
        return True, convert(value)
    except ResponseParseError:
        return False, None


def _declared_keys(value: dict[str, Any], parsed: Any) -> int:
    """How many of an object's keys the member it was parsed as declares (to pick the best fitting member); a map
    member (a plain dict) declares none of them, so it is the last resort."""
    extra = getattr(parsed, "additional_properties", None)
    return len(value) - len(extra) if isinstance(extra, dict) else -1


def as_union(
    members: Sequence[tuple[str, Converter]],
    *,
    discriminator: str | None = None,
    mapping: Mapping[str, Converter] | None = None,
) -> Converter:
    """Values of a ``oneOf``/``anyOf``/type-list union, tried in a defined order.

    ``members`` pairs each member's JSON kind ("string", "integer", "number", "boolean", "object", "array", "null",
    and "datetime"/"date"/"enum" for strings with a format or a value list) with its converter, in the document's
    order. A value is matched by its JSON type:

    - an object with the ``discriminator`` property set to a value in ``mapping`` becomes that member;
    - otherwise an object becomes the object member it fits best: every member that parses it is a candidate, and
      the one that declares the most of its keys wins (the first in document order on a tie);
    - a string is tried as a timestamp, a date, a listed enum value, then a plain string, then an unlisted enum value;
    - an integer as an integer member, else a number member; a number as a number member; an array as the first array
      member that parses it.

    ResponseParseError (naming what was expected) when no member fits.
    """
    by_kind: dict[str, list[Converter]] = {}
    for kind, member in members:
        by_kind.setdefault(kind, []).append(member)
    expected = " or ".join(dict.fromkeys(kind for kind, _ in members))

    def convert(value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, dict):
            if discriminator is not None and mapping is not None:
                tag = value.get(discriminator)
                if isinstance(tag, str) and tag in mapping:
                    return mapping[tag](value)
            candidates = [parsed for ok, parsed in (_fit(c, value) for c in by_kind.get("object", ())) if ok]
            if candidates:
                return max(candidates, key=lambda parsed: _declared_keys(value, parsed))
        elif isinstance(value, str):
            for kind in ("datetime", "date"):
                for candidate in by_kind.get(kind, ()):
                    ok, parsed = _fit(candidate, value)
                    if ok:
                        return parsed
            for candidate in by_kind.get("enum", ()):
                parsed = candidate(value)
                if isinstance(parsed, OpenEnum) and parsed.is_known:
                    return parsed
            if "string" in by_kind:
                return value
            if "enum" in by_kind:
                return by_kind["enum"][0](value)
        elif isinstance(value, bool):
            if "boolean" in by_kind:
                return value
        elif isinstance(value, int):
            if "integer" in by_kind or "number" in by_kind:
                return value
            for candidate in by_kind.get("enum", ()):
                ok, parsed = _fit(candidate, value)
                if ok:
                    return parsed
        elif isinstance(value, float):
            if "number" in by_kind:
                return value
        elif isinstance(value, list):
            for candidate in by_kind.get("array", ()):
                ok, parsed = _fit(candidate, value)
                if ok:
                    return parsed
        raise bad_value(f"expected {expected}", "", value)

    return convert


# -- Writing models back to JSON ---------------------------------------------------------------------------------


def to_json(value: Any) -> Any:
    """The JSON form of a parsed value: models through to_dict, enums as their values, timestamps in RFC 3339,
    dates in ISO 8601, containers item by item; UNSET is never passed here (absent fields are left out)."""
    if value is None or isinstance(value, (str, int, float)) and not isinstance(value, Enum):
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime.datetime):
        return format_datetime(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list):
        return [to_json(item) for item in value]
    if isinstance(value, dict):
        return {key: to_json(item) for key, item in value.items()}
    to_dict = getattr(value, "to_dict", None)
    if to_dict is not None:
        return to_dict()
    return value


__all__ = ["Converter", "Unset", "decode_json", "parse_datetime", "parse_json_body", "to_json"]
