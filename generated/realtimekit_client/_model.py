# Copied from scripts/generator/runtime/_model.py by scripts/generator. DO NOT EDIT: change that file and run `make generate`.
"""What every generated model class shares (each model adds its fields, from_dict and to_dict)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from ._parsing import parse_json_body


class Model:
    """Base of the generated models: reading JSON text, and the keys the document does not describe.

    ``additional_properties`` holds every key of the body that the model does not declare (typed when the schema
    types them), so nothing the API sent is lost; ``model["key"]`` reads and writes it.
    """

    __slots__ = ()
    additional_properties: dict[str, Any]

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        raise NotImplementedError  # every generated model defines it

    def to_dict(self) -> dict[str, Any]:
        raise NotImplementedError  # every generated model defines it

    @classmethod
    def from_json(cls, data: bytes | str) -> Self:
        """Read a JSON document (bytes or text). Raises errors.ResponseParseError, with the raw body, when it is not
        JSON or does not fit."""
        return parse_json_body(data, cls.from_dict)

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
