"""What every generated model class shares (each model adds its fields, from_dict and to_dict)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Self

from ._parsing import parse_json_body


class Model:
    """Base of the generated models: reading JSON text, and the keys the document does not describe.

    ``additional_properties`` holds every key of the body that the model does not declare (typed when the schema
    types them), so nothing the API sent is lost; ``model["key"]`` reads and writes it.
    """

    __slots__ = ()
    additional_properties: dict[str, Any]
    _wire_names: ClassVar[dict[str, str]] = {}
    """Attribute name -> JSON key, where they differ (``api_5_or_more`` -> ``5_or_more``)."""

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        raise NotImplementedError  # every generated model defines it

    def to_dict(self) -> dict[str, Any]:
        raise NotImplementedError  # every generated model defines it

    @classmethod
    def _from_wire(cls, wire: Any) -> Self:
        raise NotImplementedError  # every generated model defines it

    @classmethod
    def from_json(cls, data: bytes | str) -> Self:
        """Read a JSON document (bytes or text): with the `fast` extra through msgspec when the body allows it,
        else through from_dict, with the same result. Raises errors.ResponseParseError, with the raw body, when it is
        not JSON or does not fit."""
        return parse_json_body(data, cls.from_dict, cls)

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties


def from_wire(value: Any) -> Any:
    """A value of the `fast` extra's mirror (runtime/_fast.py) with every Struct in it replaced by its model: for the
    fields whose types nest models inside lists, maps or unions (the common cases are converted inline)."""
    if isinstance(value, list):
        return [from_wire(item) for item in value]
    if isinstance(value, dict):
        return {key: from_wire(item) for key, item in value.items()}
    model = getattr(type(value), "__model__", None)
    return value if model is None else model._from_wire(value)
