# Copied from scripts/generator/runtime/_fast.py by scripts/generator. DO NOT EDIT: change that file and run `make generate`.
"""The `fast` extra: msgspec decodes a body into the generated models, checking it in C.

How: for each model class the first call builds a mirror ``msgspec.Struct`` type tree from the model's annotations:
the same fields under their JSON names, the same types (timestamps required to carry an offset), optional fields
defaulting to UNSET, and ``forbid_unknown_fields``. msgspec decodes the body into the mirror, and the model's
generated ``_from_wire`` turns the mirror into the attrs models, copying the already-checked values (and dropping
each list of the mirror as soon as it is copied). Measured on a 15 MB participant (``make bench``) that is about
0.7x the time of ``json.loads`` alone, against ~2x for ``json.loads`` plus the models' own ``from_dict``.

Same results, always: the mirror accepts exactly the bodies that the forgiving path (``from_dict``) reads into the
same objects. Anything else makes msgspec raise, and then ``decode`` returns None and the caller reads the body
the forgiving way:

- a key the model does not declare (the forgiving path keeps it in ``additional_properties``; msgspec would drop
  it), at any depth, or a key literally named ``additional_properties``;
- a value of the wrong type, a null where the mirror has none, a required property missing;
- a timestamp without an offset (the forgiving path takes it as UTC) or in a form msgspec does not read;
- JSON that msgspec is stricter about than the standard library (NaN, 1e400, lone surrogates, a byte order mark).

Integers in number fields stay integers on both paths (the models type them ``int | float``), unlisted enum values
become the same open-enum values (msgspec calls ``OpenEnum._missing_``), and both paths round timestamps with more
than 6 fractional digits to the nearest microsecond. A model whose types msgspec cannot express (a union of two
object types, for one) always takes the forgiving path. Each fallback is logged at DEBUG on the
``realtimekit_client`` logger with its reason, so ``logging.getLogger("realtimekit_client").setLevel("DEBUG")``
shows which path ran.
"""

from __future__ import annotations

import datetime
import functools
import json
import logging
import operator
import types
import typing
from typing import Annotated, Any, TypeVar

import attrs

from .types import UNSET, Unset

T = TypeVar("T")
logger = logging.getLogger(__package__ or __name__)  # the package's own name: a vendored copy logs under its name

try:
    import msgspec
except ImportError:  # the extra is not installed: every body takes the forgiving path
    msgspec = None  # type: ignore[assignment]


_enabled = True


def available() -> bool:
    """Whether the `fast` extra (msgspec) is installed and in use."""
    return msgspec is not None and _enabled


def use(enabled: bool) -> None:
    """Turn the extra off (or back on) in this process: every body is then read as it is without msgspec installed
    (``json.loads`` and the models' ``from_dict``). For comparisons (``make bench``) and debugging."""
    from . import _parsing  # noqa: PLC0415 - _parsing imports this module on first use

    global _enabled
    _enabled = enabled
    _parsing._json_loads = None if enabled else json.loads  # None: looked up again on the next body


_decoders: dict[type[Any], Any] = {}
"""Per model class: msgspec's decoder of its mirror, or None when the model cannot take the fast path."""


def decode(model: type[T], body: bytes) -> T | None:
    """``body`` as a ``model``, decoded by msgspec; None when msgspec is not installed or when the body must be read
    by the forgiving path (see the module's docstring)."""
    if msgspec is None or not _enabled:
        return None
    try:
        decoder = _decoders[model]
    except KeyError:
        decoder = _decoders[model] = _build(model)
    if decoder is None:
        return None
    try:
        wire = decoder.decode(body)
    except (msgspec.MsgspecError, RecursionError) as error:
        logger.debug("forgiving path for %s: %s", model.__name__, error)
        return None
    result: T = model._from_wire(wire)  # type: ignore[attr-defined]
    return result


def _build(model: type[Any]) -> Any:
    try:
        return msgspec.json.Decoder(_Mirror().struct(model))
    except (TypeError, ValueError, NameError) as error:  # a type msgspec cannot express: the forgiving path it is
        logger.debug("no fast path for %s: %s", model.__name__, error)
        return None


# No JSON value decodes to this (an object with at least one and at most zero keys): a body *key* named
# `additional_properties` fails and takes the forgiving path, which keeps it as an unknown key.
_NO_VALUE = Annotated[dict[str, Any], msgspec.Meta(min_length=1, max_length=0)] if msgspec is not None else None
_AWARE = Annotated[datetime.datetime, msgspec.Meta(tz=True)] if msgspec is not None else None


class _Mirror:
    """Builds the Struct mirror of a model and of every model it contains, once each."""

    def __init__(self) -> None:
        self.made: dict[type[Any], Any] = {}
        self.building: set[type[Any]] = set()

    def struct(self, model: type[Any]) -> Any:
        if model in self.made:
            return self.made[model]
        if model in self.building:
            raise TypeError(f"{model.__name__} contains itself")
        self.building.add(model)
        hints = typing.get_type_hints(model)
        renames: dict[str, str] = getattr(model, "_wire_names", {})
        fields: list[tuple[Any, ...]] = []
        for field in attrs.fields(model):
            if field.name == "additional_properties":
                continue
            wire_type = self.wire_type(hints[field.name])
            if field.default is attrs.NOTHING:  # required: a body without it takes the forgiving path (an error)
                fields.append((field.name, wire_type))
            else:  # absent from the body: the mirror holds the models' own UNSET, which _from_wire copies over
                fields.append((field.name, wire_type, UNSET))
        # Default None, not {}: msgspec gives every instance its own copy of an empty-dict default (~20 ns each, and
        # as many dicts to free as there are objects in the body), and nothing reads this field.
        fields.append(("additional_properties", _NO_VALUE, None))
        struct = msgspec.defstruct(
            f"{model.__name__}Wire",
            fields,
            forbid_unknown_fields=True,
            rename={name: renames[name] for name, *_ in fields if name in renames} or None,
            gc=False,  # the mirrors hold no cycles, and are dropped as soon as the models are built
        )
        setattr(struct, "__model__", model)  # noqa: B010 - for from_wire() in runtime/_model.py
        self.made[model] = struct
        self.building.discard(model)
        return struct

    def wire_type(self, hint: Any) -> Any:
        """The mirror's type for a model field's type: models become their mirrors, timestamps need an offset."""
        origin = typing.get_origin(hint)
        if origin in (typing.Union, types.UnionType):
            members = [self.wire_type(arg) for arg in typing.get_args(hint) if arg is not Unset]
            return functools.reduce(operator.or_, members)
        if origin is list:
            (item,) = typing.get_args(hint)
            return list[self.wire_type(item)]  # type: ignore[misc]
        if origin is dict:
            key, value = typing.get_args(hint)
            return dict[key, self.wire_type(value)]  # type: ignore[misc,valid-type]
        if hint is datetime.datetime:
            return _AWARE
        if isinstance(hint, type) and attrs.has(hint):
            return self.struct(hint)
        return hint
