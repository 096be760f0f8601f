# Copied from scripts/generator/runtime/types.py by scripts/generator. DO NOT EDIT: change that file and run `make generate`.
"""Types shared by the generated models and operations: the UNSET marker, Response, and the open enums.

Why this replaces openapi-python-client's stock types module: its Response types ``status_code`` as
``http.HTTPStatus``, which cannot hold Cloudflare's 520-527 (ours is a plain int); its file-upload types are not
used by this API; and its enums reject values the document does not list, where ours keep them (``OpenEnum``).
"""

from __future__ import annotations

from collections.abc import MutableMapping
from enum import Enum
from typing import Any, Generic, Literal, TypeVar

from attrs import define


class Unset:
    """The type of UNSET: a field the body did not have, or an argument the caller did not give."""

    __slots__ = ()

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "UNSET"

    def __reduce__(self) -> str:
        return "UNSET"  # unpickles as the module's one instance


UNSET: Unset = Unset()

T = TypeVar("T")


@define
class Response(Generic[T]):
    """A response from an operation's ``*_detailed`` function: never raised for a status."""

    status_code: int
    content: bytes
    headers: MutableMapping[str, str]
    parsed: T | None


class OpenEnum(Enum):
    """An enum that also holds the values its document does not list.

    ``PresetViewType("GROUP_CALL")`` is the listed member; ``PresetViewType("BREAKOUT")`` (a value the API added
    later) is an unlisted value of the same type instead of a ValueError: it compares equal to its raw value, keeps
    it in ``.value``, and ``is_known`` is False. So a response with a new value parses, round-trips and can still be
    told apart. Generated enums derive from ``(str, OpenEnum)`` or ``(int, OpenEnum)``.
    """

    @classmethod
    def _missing_(cls, value: object) -> Any:
        member_type: Any = getattr(cls, "_member_type_", object)  # str or int for the generated enums
        if member_type not in (str, int) or type(value) is not member_type:
            return None
        construct: Any = member_type.__new__  # str.__new__ or int.__new__: a value of the enum's class, not a member
        unlisted = construct(cls, value)
        unlisted._name_ = str(value)
        unlisted._value_ = value
        return unlisted

    @property
    def is_known(self) -> bool:
        """Whether the document lists this value."""
        return type(self)._value2member_map_.get(self._value_) is self

    def __repr__(self) -> str:
        if self.is_known:
            return f"<{type(self).__name__}.{self._name_}: {self._value_!r}>"
        return f"<{type(self).__name__} unlisted value {self._value_!r}>"

    def __str__(self) -> str:
        return str(self._value_)

    def __format__(self, format_spec: str) -> str:
        return format(self._value_, format_spec)


__all__ = ["UNSET", "OpenEnum", "Response", "Unset"]
