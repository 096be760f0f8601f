"""What the templates print, decided in Python: per-schema field plans and per-operation request plans.

openapi-python-client parses the document into Property and Endpoint objects; the templates in ``templates/`` lay
out the modules. In between, this module decides, for each model field and each operation parameter, its Python
type, how it is parsed or encoded, and what its documentation says. Everything here follows from the document
(types, formats, constraints, ``required``, nullability, ``style``/``explode``, discriminators); nothing depends on
a particular schema's or class's name. The templates call ``model_plan(model)``, ``enum_plan(enum)`` and
``operation_plan(endpoint)``; ``normalize`` runs on the document before the generator reads it.
"""

from __future__ import annotations

import ast
import builtins
import copy
import json
import keyword
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from jinja2 import Environment, pass_environment
from openapi_python_client import strings
from openapi_python_client.config import ClassOverride, Config
from openapi_python_client.parser.openapi import Endpoint
from openapi_python_client.parser.properties import (
    AnyProperty,
    EnumProperty,
    ModelProperty,
)
from openapi_python_client.parser.properties.boolean import BooleanProperty
from openapi_python_client.parser.properties.const import ConstProperty
from openapi_python_client.parser.properties.date import DateProperty
from openapi_python_client.parser.properties.datetime import DateTimeProperty
from openapi_python_client.parser.properties.float import FloatProperty
from openapi_python_client.parser.properties.int import IntProperty
from openapi_python_client.parser.properties.list_property import ListProperty
from openapi_python_client.parser.properties.none import NoneProperty
from openapi_python_client.parser.properties.schemas import Class
from openapi_python_client.parser.properties.string import StringProperty
from openapi_python_client.parser.properties.union import UnionProperty
from openapi_python_client.parser.properties.uuid import UuidProperty
from openapi_python_client.schema.untrusted_string import UntrustedString

Json = dict[str, Any]

MEMBER_NAMES = frozenset({"to_dict", "from_dict", "from_json", "additional_properties", "additional_keys"})
"""Names a model class uses itself: a property with one of these names gets a trailing underscore."""

TEMPLATE_LOCALS = frozenset(dir(builtins)) | {
    # model.py.jinja: its module-level imports and constants, and the locals of from_dict, _from_wire and to_dict
    *("datetime", "Mapping", "itemgetter", "Any", "ClassVar", "Self", "Model", "from_wire", "UNSET", "Unset"),
    *("ResponseParseError", "MICROSECOND", "bad_value", "missing", "nest_error", "nest_list_error", "path_segment"),
    *("parse_datetime_or_fail", "rounds_up", "to_json", "cls", "self", "src_dict", "wire", "get", "instance"),
    *("has_unknown_keys", "additional", "field_dict", "key", "value", "item"),
}
"""Names model.py.jinja's code uses (and Python's builtins): a field's local variable in from_dict is never one of
these (``get`` gets ``get_``), whatever the property is called. (The converters, ``as_*``, are used only at module
level, and a property's Python name never starts with ``_``.)"""

TEMPLATE_CLASS_NAMES = frozenset(
    {"Any", "AsyncIterator", "Callable", "ClassVar", "Iterator", "Mapping", "Sequence", "Self", "TYPE_CHECKING"}
    | {"AuthenticatedClient", "Model", "OpenEnum", "Request", "Response", "ResponseParseError", "Unset"}
)
"""Names the templates import into model and operation modules: a schema whose class would be called like one
gets the suffix ``Schema`` (``Response`` -> ``ResponseSchema``), as if the configuration overrode its name. One whose
name starts with ``ClassVar`` gets the prefix (``SchemaClassVar``): attrs takes any annotation whose text starts with
``ClassVar`` for a class variable."""

PATH_PARAMETER = re.compile(r"\{([^}]+)\}")
"""A parameter in a path template (``{meetingId}``)."""

TITLE_EXTENSION = "x-realtimekit-title"
"""Where normalize() moves a schema's ``title``: openapi-python-client would name the class after it, so adding a
title (documentation) would rename a class (a breaking change). It stays the first line of the class's docstring."""

PAGINATION_EXTENSION = "x-realtimekit-pagination"
"""Operation extension that asks for page iterators (see README, Regenerating)."""


class GeneratorError(Exception):
    """The document uses something this generator does not support: generation stops with this message."""


def text(value: Any) -> str:
    """The document's text behind openapi-python-client's UntrustedString wrapper (to be escaped before use)."""
    return value.get_untrusted_value() if isinstance(value, UntrustedString) else str(value)


def literal(value: Any) -> str:
    """A Python string literal for any text from the document, exact and safe (non-ASCII escaped). ascii(), not
    json.dumps(): JSON writes a character past U+FFFF as a surrogate pair, which Python reads as two lone surrogates."""
    return ascii(text(value))


def json_path_segment(key: str) -> str:
    """The JSON path step of an object key, as the runtime writes it (``.name`` or ``['5_or_more']``)."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
        return "." + key
    return "[" + json.dumps(key).replace('"', "'") + "]"


def docstring_text(value: Any) -> str:
    """Text from the document, made safe inside a triple-quoted docstring, on one line."""
    if value is None:
        return ""
    return str(strings.safe_for_docstring(" ".join(text(value).split())))


# -- The raw document ------------------------------------------------------------------------------------------------


class RawSpec:
    """The document as plain data, for what openapi-python-client's objects leave out (constraints, style, explode,
    discriminators, extensions)."""

    def __init__(self, data: Json, config: Config, models: list[ModelProperty]):
        self.data = data
        self.config = config
        # A property that refers to a model holds a copy made before the model's properties were read; the
        # generator's own list has the complete one.
        self.models = {str(model.class_info.name): model for model in models}

    def canonical(self, prop: Any) -> Any:
        """The complete ModelProperty behind a reference to a model (other properties unchanged)."""
        if isinstance(prop, ModelProperty):
            return self.models.get(str(prop.class_info.name), prop)
        return prop

    def members(self, prop: Any) -> list[Any]:
        """The members of a property that carry a type: a nullable union's non-null members, or the property."""
        return [self.canonical(member) for member in _non_null(prop)]

    def resolve(self, node: Any) -> Any:
        seen = 0
        while isinstance(node, dict) and "$ref" in node:
            ref = node["$ref"]
            if not isinstance(ref, str) or not ref.startswith("#/"):
                raise GeneratorError(f"only local $refs are supported, got {ref!r}")
            target: Any = self.data
            for part in ref[2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            node = target
            seen += 1
            if seen > 50:
                raise GeneratorError(f"circular $ref {ref!r}")
        return node

    def class_name(self, ref: str) -> str:
        """The class the generator makes for a component schema reference."""
        return str(Class.from_string(string=ref, config=self.config).name)

    def path(self, endpoint: Endpoint) -> str:
        """The document's path template of an operation (``/h/{meetingId}``).

        openapi-python-client rewrites ``endpoint.path`` with each path parameter's Python name (``/h/{meeting_id}``,
        ``/h/{from_}``), so it is no key of ``paths``: the document's path is the one with this method whose
        parameters are the endpoint's, in the same order, and which that same rewriting turns into
        ``endpoint.path``."""
        wanted = text(endpoint.path)
        names = [(text(param.name), str(param.python_name)) for param in endpoint.path_parameters]
        for path, item in (self.data.get("paths") or {}).items():
            if not isinstance(item, dict) or endpoint.method not in item:
                continue
            if re.findall(PATH_PARAMETER, path) != [wire for wire, _ in names]:
                continue
            rewritten = path
            for wire, python in names:  # as openapi-python-client does it: one parameter after the other
                rewritten = rewritten.replace("{" + wire + "}", "{" + python + "}")
            if rewritten == wanted:
                return str(path)
        raise GeneratorError(f"{endpoint.method.upper()} {wanted}: no such path in the document")

    def operation(self, endpoint: Endpoint) -> Json:
        operation: Json = self.data["paths"][self.path(endpoint)][endpoint.method]
        return operation

    def parameter(self, endpoint: Endpoint, name: str, location: str) -> Json:
        path = self.path(endpoint)
        path_item = self.data["paths"][path]
        for raw in [*path_item[endpoint.method].get("parameters", []), *path_item.get("parameters", [])]:
            resolved = self.resolve(raw)
            if resolved.get("name") == name and resolved.get("in") == location:
                return dict(resolved)
        raise GeneratorError(f"{endpoint.method.upper()} {path}: no parameter {name!r} in {location}")


# -- normalize: one class per inline enum ----------------------------------------------------------------------------


def _enum_key(schema: Json) -> tuple[str, tuple[Any, ...]] | None:
    values = schema.get("enum")
    if not isinstance(values, list):
        return None
    kind = schema.get("type")
    if isinstance(kind, list):
        kinds = [k for k in kind if k != "null"]
        kind = kinds[0] if len(kinds) == 1 else None
    if kind not in ("string", "integer", None):
        return None
    listed = tuple(value for value in values if value is not None)
    if not listed:
        return None
    return ("integer" if all(type(v) is int for v in listed) else "string", listed)


def _inline_enums(
    node: Any, name: str, parent: str, where: list[tuple[Json, str, str, bool]], item: bool = False
) -> None:
    """Collect (schema, property name, parent name, inside an array) for every inline enum below node (not behind
    a $ref)."""
    if not isinstance(node, dict) or "$ref" in node:
        return
    if _enum_key(node) is not None:
        where.append((node, name, parent, item))
        return
    for key, child in (node.get("properties") or {}).items():
        _inline_enums(child, key, name, where)
    _inline_enums(node.get("items"), name, parent, where, item=True)
    _inline_enums(node.get("additionalProperties"), name, parent, where, item=True)
    for key in ("allOf", "oneOf", "anyOf"):
        for child in node.get(key) or []:
            _inline_enums(child, name, parent, where)


def _refer(schema: Json, target: str) -> None:
    """Turn an inline schema into a reference to the component schema ``target``, keeping its description (the
    property's own words)."""
    description = schema.get("description")
    schema.clear()
    schema["$ref"] = f"#/components/schemas/{target}"
    if description:
        schema["description"] = description


def normalize(spec: Json) -> Json:
    """The document with every inline enum that is used in more than one place moved to ``components/schemas``
    (one class instead of one per place). The shared schema is named after the property or parameter it describes
    (PascalCase; the first use that is a single value, else the first use), or after that use's parent too when the
    name is taken."""
    spec = copy.deepcopy(spec)
    schemas: Json = spec.setdefault("components", {}).setdefault("schemas", {})
    where: list[tuple[Json, str, str, bool]] = []
    for name, schema in list(schemas.items()):
        for key, child in (schema.get("properties") or {}).items():
            _inline_enums(child, key, name, where)
        for key in ("items", "additionalProperties"):
            _inline_enums(schema.get(key), name, "", where)
        for key in ("allOf", "oneOf", "anyOf"):
            for child in schema.get(key) or []:
                _inline_enums(child, name, "", where)
    for path_item in (spec.get("paths") or {}).values():
        for method, operation in path_item.items():
            if not isinstance(operation, dict):
                continue
            parameters = operation.get("parameters", []) if method != "parameters" else operation
            for parameter in parameters if isinstance(parameters, list) else []:
                if isinstance(parameter, dict) and "$ref" not in parameter:
                    _inline_enums(parameter.get("schema"), str(parameter.get("name", "")), "", where)
    for parameter in (spec["components"].get("parameters") or {}).values():
        if isinstance(parameter, dict) and "$ref" not in parameter:
            _inline_enums(parameter.get("schema"), str(parameter.get("name", "")), "", where)

    groups: dict[tuple[str, tuple[Any, ...]], list[tuple[Json, str, str, bool]]] = {}
    for schema, name, parent, item in where:
        key = _enum_key(schema)
        assert key is not None
        groups.setdefault(key, []).append((schema, name, parent, item))
    for (kind, values), uses in groups.items():
        if len(uses) < 2:
            # One use keeps its inline name (parent + property), unless a component schema already has that name:
            # openapi-python-client would stop on the clash and drop the model. Then it is moved out like a shared
            # one, under the first free name with a number.
            schema, name, parent, item = uses[0]
            inline_name = strings.pascal_case(parent) + strings.pascal_case(name)
            if item or not parent or inline_name not in schemas:
                continue
            number = 2
            while f"{inline_name}{number}" in schemas:
                number += 1
            schemas[f"{inline_name}{number}"] = {key: value for key, value in schema.items() if key != "description"}
            _refer(schema, f"{inline_name}{number}")
            continue
        # Named after a use that is one value (`color`) rather than a list of them (`colors`), when there is one.
        first, name, parent, _ = min(uses, key=lambda use: use[3])
        shared: Json = {"type": kind, "enum": list(values)}
        if first.get("description"):
            shared["description"] = first["description"]
        candidates = [strings.pascal_case(name), strings.pascal_case(parent) + strings.pascal_case(name)]
        target = next((c for c in candidates if c and schemas.get(c, shared) == shared), None)
        number = 2
        while target is None:
            candidate = f"{candidates[-1]}{number}"
            target = candidate if schemas.get(candidate, shared) == shared else None
            number += 1
        schemas[target] = shared
        for schema, *_ in uses:
            _refer(schema, target)
    _unique_enum_names(spec)
    _move_titles(spec)
    return spec


_NOT_SCHEMAS = frozenset({"example", "examples", "default", "enum", "const", "info"})
"""Keys whose values are data or metadata, not schemas: a ``title`` inside them is left alone."""


def _move_titles(node: Any) -> None:
    """Every schema's ``title`` (a string) moved to TITLE_EXTENSION, wherever the schema is; a property *named*
    ``title`` is a schema (a dict), not a string, and stays."""
    if isinstance(node, list):
        for child in node:
            _move_titles(child)
        return
    if not isinstance(node, dict):
        return
    if isinstance(node.get("title"), str):
        node[TITLE_EXTENSION] = node.pop("title")
    for key, child in node.items():
        if key not in _NOT_SCHEMAS and not key.startswith("x-"):
            _move_titles(child)


class ClassNameGuard(dict[str, ClassOverride]):
    """``config.class_overrides`` that also renames a class the templates' imports would shadow (TEMPLATE_CLASS_NAMES):
    openapi-python-client asks it for every class name it makes (``get``), from component and inline schemas alike.
    The new name avoids the document's component schemas; an override the configuration sets wins."""

    def __init__(self, overrides: dict[str, ClassOverride], document: Json) -> None:
        super().__init__(overrides)
        schemas = (document.get("components") or {}).get("schemas") or {}
        self.taken = {str(strings.ClassName(str(name), "")) for name in schemas}

    def get(self, key: str, default: ClassOverride | None = None) -> ClassOverride | None:  # type: ignore[override]
        if key in self:
            return self[key]
        if key.startswith("ClassVar"):  # attrs reads a field annotated "ClassVar..." as a class variable, by its text
            name = "Schema" + key
            while name in self.taken:
                name = "Schema" + name
        elif key in TEMPLATE_CLASS_NAMES:
            name = key + "Schema"
            while name in self.taken:
                name += "Schema"
        else:
            return default
        return ClassOverride(class_name=name)  # type: ignore[arg-type]  # pydantic validates it as a str


def _member_names(values: list[str]) -> list[str]:
    """The member names openapi-python-client gives a string enum's values (EnumProperty.values_from_list)."""
    names = []
    for index, value in enumerate(values):
        key = value.upper() if value and value[0].isalpha() else f"VALUE_{index}"
        names.append(strings.snake_case(key).upper())
    return names


def _is_dropped_control(character: str) -> bool:
    return character not in "\b\t\f" and unicodedata.category(character).startswith("C")


def _unique_enum_names(node: Any) -> None:
    """Give every string enum whose values would make the same member name twice (``a-b``, ``A-B``, ``a b``; or
    ``Active``, ``active``) distinct names, through the ``x-enum-varnames`` extension the generator reads: the first
    keeps the name, the others get ``_2``, ``_3``... Without it the generator stops on one of them and silently drops
    the other. A document's own x-enum-varnames are kept."""
    if isinstance(node, list):
        for child in node:
            _unique_enum_names(child)
        return
    if not isinstance(node, dict):
        return
    values = node.get("enum")
    if isinstance(values, list) and "x-enum-varnames" not in node:
        listed = [value for value in values if value is not None]
        if listed and all(isinstance(value, str) for value in listed):
            for value in listed:
                # openapi-python-client leaves these characters out of the member's value (strings.py): refused
                # rather than generating an enum that cannot match what the server sends.
                if any(unicodedata.category(c) in ("Zl", "Zp") or _is_dropped_control(c) for c in value):
                    raise GeneratorError(f"enum value {value!r}: control characters and line separators unsupported")
            names = _member_names(listed)
            if len(set(names)) < len(names):
                unique: list[str] = []
                for name in names:
                    candidate, number = name, 2
                    while candidate in unique:
                        candidate, number = f"{name}_{number}", number + 1
                    unique.append(candidate)
                node["x-enum-varnames"] = unique
    for child in node.values():
        _unique_enum_names(child)


# -- Types of values ---------------------------------------------------------------------------------------------


def _non_null(prop: Any) -> list[Any]:
    """The members of a property that carry a type: a nullable union's non-null members, or the property."""
    if isinstance(prop, UnionProperty):
        return [inner for inner in prop.inner_properties if not isinstance(inner, NoneProperty)]
    return [prop]


def is_map_model(prop: Any) -> bool:
    """A schema of only ``additionalProperties`` (or a bare ``type: object``): a dict, not a class."""
    return (
        isinstance(prop, ModelProperty)
        and not (prop.required_properties or prop.optional_properties)
        and prop.additional_properties is not None
    )


def _map_value(prop: ModelProperty) -> Any:
    """The value property of a map model, or None for a free-form object."""
    value = prop.additional_properties
    return None if value is None or isinstance(value, AnyProperty) else value


class TypeMapper:
    """Python types, parse converters and union kinds of properties (recursive)."""

    def __init__(self, raw: RawSpec):
        self.raw = raw
        self.enums: set[Any] = set()  # (module, class) used in annotations or converters
        self.models: set[Any] = set()

    def _use(self, prop: Any) -> str:
        name = str(prop.class_info.name)
        target = self.enums if isinstance(prop, EnumProperty) else self.models
        target.add((str(prop.class_info.module_name), name))
        return name

    def value_type(self, prop: Any) -> str:
        """The Python type of a value (without None)."""
        members = self.raw.members(prop)
        if not members:
            return "None"
        if len(members) > 1:
            types = dict.fromkeys(self.value_type(member) for member in members)
            return "Any" if "Any" in types else " | ".join(types)
        prop = members[0]
        if isinstance(prop, (StringProperty, UuidProperty)):
            return "str"
        if isinstance(prop, IntProperty):
            return "int"
        if isinstance(prop, FloatProperty):
            return "int | float"  # a JSON integer stays an int (exact at any size), on either parse path
        if isinstance(prop, BooleanProperty):
            return "bool"
        if isinstance(prop, DateTimeProperty):
            return "datetime.datetime"
        if isinstance(prop, DateProperty):
            return "datetime.date"
        if isinstance(prop, EnumProperty):
            return self._use(prop)
        if isinstance(prop, ConstProperty):
            return type(prop.value.raw_value).__name__ if prop.value is not None else "Any"
        if isinstance(prop, ListProperty):
            return f"list[{self.item_type(prop.inner_property)}]"
        if isinstance(prop, ModelProperty):
            if is_map_model(prop):
                value = _map_value(prop)
                return "dict[str, Any]" if value is None else f"dict[str, {self.item_type(value)}]"
            return self._use(prop)
        return "Any"

    def item_type(self, prop: Any) -> str:
        """The type of an array item or map value: nulls are accepted there too."""
        value = self.value_type(prop)
        return value if value in ("Any", "None") else f"{value} | None"

    def converter(self, prop: Any, raw: Any = None) -> str:
        """A runtime converter expression (see runtime/_parsing.py) for values of prop."""
        raw = self.raw.resolve(raw) if raw is not None else None
        members = self.raw.members(prop)
        if not members:
            return "as_none"
        if len(members) > 1:
            return self._union_converter(members, raw)
        prop = members[0]
        if isinstance(prop, (StringProperty, UuidProperty)):
            return "as_str"
        if isinstance(prop, IntProperty):
            return "as_int"
        if isinstance(prop, FloatProperty):
            return "as_float"
        if isinstance(prop, BooleanProperty):
            return "as_bool"
        if isinstance(prop, DateTimeProperty):
            return "as_datetime"
        if isinstance(prop, DateProperty):
            return "as_date"
        if isinstance(prop, EnumProperty):
            return f"as_enum({self._use(prop)})"
        if isinstance(prop, ConstProperty) and prop.value is not None:
            value = prop.value.raw_value
            return f"as_const({literal(value) if isinstance(value, str) else repr(value)})"
        if isinstance(prop, ListProperty):
            items = raw.get("items") if isinstance(raw, dict) else None
            return f"as_list({self.converter(prop.inner_property, items)})"
        if isinstance(prop, ModelProperty):
            if is_map_model(prop):
                value = _map_value(prop)
                if value is None:
                    return "as_object"
                values = raw.get("additionalProperties") if isinstance(raw, dict) else None
                return f"as_map({self.converter(value, values if isinstance(values, dict) else None)})"
            return f"as_model({self._use(prop)})"
        return "as_any"

    def contains_model(self, prop: Any) -> bool:
        """Whether values of prop can hold model objects (then the fast path converts them; see _from_wire)."""
        for member in self.raw.members(prop):
            if isinstance(member, ListProperty) and self.contains_model(member.inner_property):
                return True
            if isinstance(member, ModelProperty):
                if not is_map_model(member):
                    return True
                value = _map_value(member)
                if value is not None and self.contains_model(value):
                    return True
        return False

    def union_kind(self, prop: Any) -> str:
        if isinstance(prop, (StringProperty, UuidProperty)):
            return "string"
        if isinstance(prop, IntProperty):
            return "integer"
        if isinstance(prop, FloatProperty):
            return "number"
        if isinstance(prop, BooleanProperty):
            return "boolean"
        if isinstance(prop, DateTimeProperty):
            return "datetime"
        if isinstance(prop, DateProperty):
            return "date"
        if isinstance(prop, EnumProperty):
            return "enum"
        if isinstance(prop, ListProperty):
            return "array"
        if isinstance(prop, ModelProperty):
            return "object"
        return "any"

    def _union_converter(self, members: list[Any], raw: Any) -> str:
        kinds = [self.union_kind(member) for member in members]
        if "any" in kinds:
            return "as_any"
        raw_members: list[Any] = []
        if isinstance(raw, dict):
            raw_members = [*raw.get("anyOf", []), *raw.get("oneOf", [])]
        pairs = []
        for index, (kind, member) in enumerate(zip(kinds, members, strict=True)):
            member_raw = raw_members[index] if index < len(raw_members) else None
            pairs.append(f"({literal(kind)}, {self.converter(member, member_raw)})")
        expression = "as_union([" + ", ".join(pairs) + "]"
        discriminator = raw.get("discriminator") if isinstance(raw, dict) else None
        if isinstance(discriminator, dict) and discriminator.get("propertyName"):
            by_class = {str(m.class_info.name): m for m in members if isinstance(m, ModelProperty)}
            mapping = discriminator.get("mapping") or {}
            if not mapping:  # implicit: each member schema's own name
                mapping = {ref["$ref"].rsplit("/", 1)[-1]: ref["$ref"] for ref in raw_members if "$ref" in ref}
            entries = []
            for tag, ref in mapping.items():
                member = by_class.get(self.raw.class_name(ref))
                if member is None:
                    raise GeneratorError(f"discriminator mapping {tag!r} -> {ref!r} names no member of the union")
                entries.append(f"{literal(str(tag))}: as_model({self._use(member)})")
            expression += f", discriminator={literal(discriminator['propertyName'])}"
            expression += ", mapping={" + ", ".join(entries) + "}"
        return expression + ")"


# -- Models --------------------------------------------------------------------------------------------------------

INLINE_KINDS = {
    StringProperty: "str",
    UuidProperty: "str",
    IntProperty: "int",
    FloatProperty: "float",
    BooleanProperty: "bool",
    DateTimeProperty: "datetime",
}


@dataclass
class FieldPlan:
    """One model field: how it is declared, read from JSON and written back."""

    attr: str
    """The Python attribute (a valid identifier; the wire name when it is one)."""
    local: str
    """The name of its local variable in from_dict: the attribute's, unless the template's code uses that name."""
    wire: str
    key: str
    """The wire name as a Python string literal."""
    segment: str
    """The field's JSON path step as a Python string literal (``".id"``, ``"['5_x']"``)."""
    required: bool
    annotation: str
    kind: str
    """How from_dict reads it: str, int, float, bool, datetime, enum, model, model_list, converted, any."""
    class_name: str = ""
    enum_type: str = ""
    """For enums: the JSON type of their values (str or int)."""
    expected: str = ""
    converter: str = ""
    plain_dump: bool = True
    """Written back as it is (scalars); otherwise through to_json()."""
    wire_models: bool = False
    """For converted fields: whether the value can hold models, which the fast path's mirror holds as Structs."""
    doc: str = ""


@dataclass
class ModelPlan:
    class_name: str
    module_name: str
    is_map: bool
    alias: str
    doc: str
    fields: list[FieldPlan]
    additional_type: str
    additional_converter: str
    enum_imports: list[tuple[str, str]]
    model_imports: list[tuple[str, str]]
    converters: list[tuple[str, str]] = field(default_factory=list)
    """Module-level (name, expression) pairs, built after the imports."""
    wire_names: list[tuple[str, str]] = field(default_factory=list)
    """(attribute, JSON key) where they differ."""
    enum_tables: list[str] = field(default_factory=list)
    """Enums read inline: each gets one module-level table from value to member."""


class Plans:
    """The Jinja globals: plans for the templates, from the document and the generator's parse of it."""

    def __init__(self, raw: RawSpec):
        self.raw = raw
        self.module_names: dict[Environment, frozenset[str]] = {}

    def _raw_property(self, model: ModelProperty, wire: str) -> Any:
        data = model.data.model_dump(by_alias=True, exclude_none=True, mode="json")
        node = (data.get("properties") or {}).get(wire)
        if node is None:  # a property merged in from an allOf member
            for member in data.get("allOf") or []:
                member = self.raw.resolve(member)
                node = (member.get("properties") or {}).get(wire)
                if node is not None:
                    break
        return node

    def model_plan(self, model: ModelProperty) -> ModelPlan:
        types = TypeMapper(self.raw)
        class_name = str(model.class_info.name)
        title = (model.data.model_extra or {}).get(TITLE_EXTENSION)
        doc_parts = [docstring_text(title if isinstance(title, str) else None), docstring_text(model.description)]
        doc = "\n\n".join(part for part in doc_parts if part)
        fields: list[FieldPlan] = []
        converters: list[tuple[str, str]] = []
        taken: set[str] = set()
        locals_taken: set[str] = set()
        for prop in [*(model.required_properties or []), *(model.optional_properties or [])]:
            wire = text(prop.name)
            attr = str(prop.python_name)
            if attr in MEMBER_NAMES or keyword.iskeyword(attr):
                attr += "_"
            while attr in taken:
                attr += "_"
            taken.add(attr)
            local = attr
            while local in TEMPLATE_LOCALS or local in locals_taken:
                local += "_"
            locals_taken.add(local)
            raw = self._raw_property(model, wire)
            # readOnly / writeOnly: sent only one way, so absent the other way; required in neither (a request body
            # cannot be made without the server's id, a response does not carry a password).
            one_way = any(
                isinstance(node, dict) and (node.get("readOnly") or node.get("writeOnly"))
                for node in (raw, self.raw.resolve(raw) if isinstance(raw, dict) else None)
            )
            required = bool(prop.required) and not one_way
            value = types.value_type(prop)
            annotation = value if value in ("Any", "None") else f"{value} | None"
            if not required:
                annotation += " | Unset"
            plan = FieldPlan(
                attr=attr,
                local=local,
                wire=wire,
                key=literal(wire),
                segment=literal(json_path_segment(wire)),
                required=required,
                annotation=annotation,
                kind="converted",
                # The document's own words for this property; the generator gives a referenced schema's instead.
                doc=docstring_text((raw.get("description") if isinstance(raw, dict) else None) or prop.description),
            )
            members = self.raw.members(prop)
            core = members[0] if len(members) == 1 else None
            if core is not None and type(core) in INLINE_KINDS:
                plan.kind = INLINE_KINDS[type(core)]
                plan.plain_dump = plan.kind != "datetime"
            elif isinstance(core, EnumProperty):
                plan.kind, plan.class_name, plan.plain_dump = "enum", types._use(core), False
                plan.enum_type = "int" if core.value_type is int else "str"
                plan.expected = "an integer" if core.value_type is int else "a string"
            elif isinstance(core, ModelProperty) and not is_map_model(core):
                plan.kind, plan.class_name, plan.plain_dump = "model", types._use(core), False
            elif (
                isinstance(core, ListProperty)
                and isinstance(self.raw.canonical(core.inner_property), ModelProperty)
                and not is_map_model(self.raw.canonical(core.inner_property))
            ):
                plan.kind, plan.class_name, plan.plain_dump = "model_list", types._use(core.inner_property), False
            elif value == "Any":
                plan.kind = "any"
            else:
                plan.converter = f"_parse_{attr}"
                plan.plain_dump = False
                plan.wire_models = types.contains_model(prop)
                converters.append((plan.converter, types.converter(prop, raw)))
            fields.append(plan)

        additional = model.additional_properties
        additional_value = None if additional is None or isinstance(additional, AnyProperty) else additional
        additional_type = "Any" if additional_value is None else types.item_type(additional_value)
        additional_converter = ""
        if additional_value is not None:
            additional_converter = "_parse_additional"
            raw_additional = model.data.model_dump(by_alias=True, exclude_none=True, mode="json").get(
                "additionalProperties"
            )
            converters.append((additional_converter, types.converter(additional_value, raw_additional or None)))
        is_map = is_map_model(model)
        alias = ""
        if is_map:
            alias = types.value_type(model)
            converters = []
        return ModelPlan(
            class_name=class_name,
            module_name=str(model.class_info.module_name),
            is_map=is_map,
            alias=alias,
            doc=doc,
            fields=fields,
            additional_type=additional_type,
            additional_converter=additional_converter,
            enum_imports=sorted(types.enums),
            model_imports=sorted(m for m in types.models if m[1] != class_name),
            converters=converters,
            enum_tables=list(dict.fromkeys(f.class_name for f in fields if f.kind == "enum")),
            wire_names=[(f.attr, f.key) for f in fields if f.attr != f.wire],
        )

    def enum_plan(self, enum: EnumProperty) -> dict[str, Any]:
        """Members in the document's order, with Python literals for their values."""
        members = []
        for name, value in enum.values.items():
            if enum.value_type is int:
                python_value = str(value)
            else:  # openapi-python-client keeps each value JSON-escaped, without its quotes: read it back
                python_value = literal(json.loads('"' + str(value) + '"'))
            members.append((str(name), python_value))
        return {
            "class_name": str(enum.class_info.name),
            "base": "int" if enum.value_type is int else "str",
            "doc": docstring_text(enum.description),
            "members": members,
        }

    def operation_plan(self, endpoint: Endpoint, env: Environment) -> OperationPlan:
        if env not in self.module_names:
            self.module_names[env] = endpoint_module_names(env)
        return OperationBuilder(self.raw, endpoint, self.module_names[env]).build()


# -- Operations ----------------------------------------------------------------------------------------------------


@dataclass
class ParamPlan:
    python_name: str
    wire: str
    location: str
    required: bool
    annotation: str
    """The argument's annotation, without the default."""
    schema: str
    """A runtime Schema expression (see runtime/_request.py)."""
    var: str
    """The module-level PathParam/QueryParam holding it."""
    explode: bool
    allow_empty: bool
    doc: str


@dataclass
class BodyPlan:
    required: bool
    annotation: str
    model: str
    """The model class the body must be an instance of ("None" for a body that is not a model)."""
    doc: str
    content_type: str = ""
    """The declared media type as a Python literal, when it is not plain ``application/json`` (sent as declared:
    ``application/merge-patch+json``, ``application/json; charset=utf-8``)."""


@dataclass
class PaginationPlan:
    iterator: str
    async_iterator: str
    page_param: str
    size_param: str
    first_page: int
    default_size: int
    items: list[str]
    item_type: str


@dataclass
class OperationPlan:
    method: str
    path: str
    """The path as a Python expression (an f-string encoding each parameter, or a plain string)."""
    summary: str
    description: str
    path_params: list[ParamPlan]
    query_params: list[ParamPlan]
    body: BodyPlan | None
    success_type: str
    success_parser: str
    success_reader: str
    """The success parser's annotation: ``Callable[[bytes], T]``, or ``ByStatus[T]`` for one parser per status."""
    error_parsers: list[tuple[int, int, str]]
    error_type: str
    enum_imports: list[tuple[str, str]]
    model_imports: list[tuple[str, str]]
    runtime_request: list[str]
    pagination: PaginationPlan | None
    runtime_response: list[str] = field(default_factory=list)
    """What the success parsers use from runtime/_response.py besides what every operation uses."""

    @property
    def parsed_type(self) -> str:
        return self.success_type if self.error_type == "None" else f"{self.success_type} | {self.error_type}"


ENDPOINT_TEMPLATE = "endpoint_module.py.jinja"


def endpoint_module_names(env: Environment) -> frozenset[str]:
    """Every name the endpoint template's code uses: its imports, module-level functions and constants, the
    builtins it calls, the per-call keywords (``client``, ``body``, ``timeout``...), and the locals and arguments of
    its functions (``request``, ``options``...).

    A parameter's Python name must be none of these, or it would hide the module's own ``query()`` or ``send()``
    inside the functions that take it, or be overwritten by a local. Read from the template itself, so the list
    follows it: the template is rendered for an operation that has every feature (a path and a query parameter, a
    model body, error models, page iterators) and the names in the module are collected from its syntax tree,
    less the made-up operation's own."""
    own = {"zz_path", "zz_query", "zz_page", "zz_size", "zz_iterator", "azz_iterator", "ZzModel", "ZzEnum"}

    def param(name: str, location: str) -> ParamPlan:
        return ParamPlan(name, name, location, True, "str", "String()", "_" + name.upper(), True, False, "")

    names: set[str] = set()
    for required in (True, False):
        plan = OperationPlan(
            method="POST",
            path='f"/zz/{_ZZ_PATH.encode(zz_path)}"',
            summary="",
            description="",
            path_params=[param("zz_path", "path")],
            query_params=[param(name, "query") for name in ("zz_query", "zz_page", "zz_size")],
            body=BodyPlan(required=required, annotation="ZzModel", model="ZzModel", doc=""),
            success_type="ZzModel",
            success_parser="ZzModel.from_json",
            success_reader="Callable[[bytes], ZzModel]",
            error_parsers=[(400, 499, "ZzModel.from_json")],
            error_type="ZzModel",
            enum_imports=[("zz_enum", "ZzEnum")],
            model_imports=[("zz_model", "ZzModel")],
            runtime_request=[
                *"Array Boolean Date DateTime EnumOf Integer Number PathParam QueryParam String".split(),
                "json_body",
            ],
            runtime_response=["ByStatus", "json_parser", "no_body", "nullable_json_parser"],
            pagination=PaginationPlan("zz_iterator", "azz_iterator", "zz_page", "zz_size", 1, 10, ["zz"], "Any"),
        )
        source = env.get_template(ENDPOINT_TEMPLATE).render(
            operation_plan=lambda _endpoint, plan=plan: plan, endpoint=SimpleNamespace(name="zz_operation")
        )
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Name):
                names.add(node.id)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
            elif isinstance(node, ast.alias):
                names.add((node.asname or node.name).split(".")[0])
    return frozenset(name for name in names if name not in own and not name.startswith("_ZZ_"))


def python_names(params: list[ParamPlan], taken: frozenset[str]) -> None:
    """Give a trailing underscore to each parameter whose Python name the module uses itself (``query`` becomes
    ``query_``; the wire name stays), and a module-level variable name of its own to each."""
    used = set(taken) | {param.python_name for param in params}
    variables: set[str] = set()
    for param in params:
        if param.python_name in taken:
            name = param.python_name + "_"
            while name in used:
                name += "_"
            used.add(name)
            param.python_name = name
        var = "_" + param.python_name.upper()
        while var in variables or var in taken:
            var += "_"
        variables.add(var)
        param.var = var


def union_type(types: list[str]) -> str:
    """One annotation for values of any of these types (each may be a union itself), None last."""
    members: list[str] = []
    for annotation in types:
        depth, start = 0, 0
        for index, char in enumerate(annotation + "|"):
            depth += char == "["
            depth -= char == "]"
            if char == "|" and depth == 0:
                member = annotation[start:index].strip()
                start = index + 1
                if member not in members:
                    members.append(member)
    if "Any" in members:
        return "Any"
    if "None" in members:
        members = [member for member in members if member != "None"] + ["None"]
    return " | ".join(members)


class OperationBuilder:
    def __init__(self, raw: RawSpec, endpoint: Endpoint, module_names: frozenset[str]):
        self.raw = raw
        self.endpoint = endpoint
        self.module_names = module_names
        """The names the endpoint module uses itself (endpoint_module_names): no parameter may be named like one."""
        self.types = TypeMapper(raw)
        self.runtime: set[str] = set()
        self.response_names: set[str] = set()
        self.where = f"{endpoint.method.upper()} {raw.path(endpoint)}"

    def fail(self, message: str) -> GeneratorError:
        return GeneratorError(f"{self.where}: {message}")

    def build(self) -> OperationPlan:
        endpoint = self.endpoint
        if endpoint.header_parameters or endpoint.cookie_parameters:
            raise self.fail("header and cookie parameters are not supported (this API has none)")
        operation = self.raw.operation(endpoint)
        # The operation's own `security`, else the document's (OpenAPI: an operation inherits it).
        if not operation.get("security", self.raw.data.get("security")):
            raise self.fail("every operation must require bearer security (the client always sends the token)")
        path_params = [self.param(p, "path") for p in endpoint.path_parameters]
        query_params = [self.param(p, "query") for p in endpoint.query_parameters]
        python_names([*path_params, *query_params], self.module_names)
        path = self.path_expression(path_params)
        body = self.body(operation)
        success_type, success_parser, success_reader = self.success()
        error_parsers, error_type = self.errors()
        pagination = self.pagination(operation, query_params)  # before the imports are listed
        return OperationPlan(
            method=endpoint.method.upper(),
            path=path,
            summary=docstring_text(endpoint.summary),
            description=docstring_text(endpoint.description),
            path_params=path_params,
            query_params=query_params,
            body=body,
            success_type=success_type,
            success_parser=success_parser,
            success_reader=success_reader,
            error_parsers=error_parsers,
            error_type=error_type,
            enum_imports=sorted(self.types.enums),
            model_imports=sorted(self.types.models),
            runtime_request=sorted(self.runtime),
            pagination=pagination,
            runtime_response=sorted(self.response_names),
        )

    # parameters

    def param(self, prop: Any, location: str) -> ParamPlan:
        wire = text(prop.name)
        raw = self.raw.parameter(self.endpoint, wire, location)
        declared = raw.get("schema") or {}
        # Keywords beside a $ref (a default, a description) apply too.
        schema = {**self.raw.resolve(declared), **{k: v for k, v in declared.items() if k != "$ref"}}
        style = raw.get("style", "form" if location == "query" else "simple")
        explode = bool(raw.get("explode", style == "form"))
        if location == "query" and style != "form":
            raise self.fail(f"query parameter {wire!r}: only style form is supported, not {style!r}")
        schema_expression, annotation = self.schema(prop, schema, wire)
        required = bool(raw.get("required", location == "path"))
        description = docstring_text(raw.get("description") or schema.get("description"))
        facts = []
        constraint = self.constraint_words(schema)
        if constraint:
            facts.append(constraint)
        if "default" in schema:
            facts.append(f"The API's default: {json.dumps(schema['default'])} (not sent unless you pass a value)")
        if location == "query" and schema.get("type") == "array":
            facts.append(
                "A single value counts as a list of one; sent "
                + ("as the parameter repeated." if explode else "as one parameter joined by commas.")
            )
        doc = " ".join(part.rstrip(".") + "." for part in [description, *facts] if part)
        self.runtime.add("PathParam" if location == "path" else "QueryParam")
        return ParamPlan(
            python_name=str(prop.python_name),
            wire=wire,
            location=location,
            required=required,
            annotation=annotation,
            schema=schema_expression,
            var="_" + str(prop.python_name).upper(),
            explode=explode,
            allow_empty=bool(raw.get("allowEmptyValue", False)),
            doc=doc,
        )

    def constraint_words(self, schema: Json) -> str:
        words = []
        exclusive = {
            "minimum": schema.get("exclusiveMinimum") is True,
            "maximum": schema.get("exclusiveMaximum") is True,
        }
        for key, text in (
            ("minimum", ">= {}"),
            ("maximum", "<= {}"),
            ("minLength", "at least {} character(s) long"),
            ("maxLength", "at most {} character(s) long"),
            ("pattern", "matching {!r}"),
            ("minItems", "at least {} items"),
            ("maxItems", "at most {} items"),
        ):
            if key in schema and not exclusive.get(key):
                words.append(text.format(schema[key]))
        low, high = self.exclusive_bounds(schema)
        if low is not None:
            words.append(f"> {low}")
        if high is not None:
            words.append(f"< {high}")
        return ("Must be " + ", ".join(words)) if words else ""

    @staticmethod
    def exclusive_bounds(schema: Json) -> tuple[Any, Any]:
        """(exclusive minimum, exclusive maximum) in either the 3.1 numeric or the 3.0 boolean form."""
        low, high = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
        if low is True:
            low = schema.get("minimum")
        if high is True:
            high = schema.get("maximum")
        return (None if low is False else low), (None if high is False else high)

    def schema(self, prop: Any, schema: Json, wire: str) -> tuple[str, str]:
        """(runtime Schema expression, argument annotation) for a parameter's schema."""
        members = self.raw.members(prop)
        if len(members) != 1:
            raise self.fail(f"parameter {wire!r}: unions are not supported as parameters")
        prop = members[0]
        if isinstance(prop, ListProperty):
            items = self.raw.resolve(schema.get("items") or {})
            item_expression, item_annotation = self.schema(prop.inner_property, items, wire)
            arguments = [item_expression]
            for key, name in (("minItems", "min_items"), ("maxItems", "max_items")):
                if key in schema:
                    arguments.append(f"{name}={int(schema[key])}")
            if schema.get("uniqueItems"):
                arguments.append("unique=True")
            self.runtime.add("Array")
            return f"Array({', '.join(arguments)})", f"Sequence[{item_annotation}] | {item_annotation}"
        if isinstance(prop, EnumProperty):
            name = self.types._use(prop)
            self.runtime.add("EnumOf")
            return f"EnumOf({name})", f"{name} | {'int' if prop.value_type is int else 'str'}"
        if isinstance(prop, BooleanProperty):
            self.runtime.add("Boolean")
            return "Boolean()", "bool"
        if isinstance(prop, (IntProperty, FloatProperty)):
            cls = "Integer" if isinstance(prop, IntProperty) else "Number"
            low, high = self.exclusive_bounds(schema)
            arguments = [
                f"{name}={value!r}"
                for name, value in (
                    ("minimum", None if schema.get("exclusiveMinimum") is True else schema.get("minimum")),
                    ("maximum", None if schema.get("exclusiveMaximum") is True else schema.get("maximum")),
                    ("exclusive_minimum", low),
                    ("exclusive_maximum", high),
                )
                if value is not None and not isinstance(value, bool)
            ]
            self.runtime.add(cls)
            return f"{cls}({', '.join(arguments)})", "int" if cls == "Integer" else "float"
        if isinstance(prop, DateTimeProperty):
            self.runtime.add("DateTime")
            return "DateTime()", "datetime.datetime"
        if isinstance(prop, DateProperty):
            self.runtime.add("Date")
            return "Date()", "datetime.date"
        if isinstance(prop, (StringProperty, UuidProperty)):
            arguments = [
                f"{name}={value!r}"
                for name, value in (
                    ("min_length", schema.get("minLength")),
                    ("max_length", schema.get("maxLength")),
                    ("pattern", schema.get("pattern")),
                )
                if value is not None
            ]
            self.runtime.add("String")
            return f"String({', '.join(arguments)})", "str"
        raise self.fail(f"parameter {wire!r}: type {type(prop).__name__} is not supported as a parameter")

    def path_expression(self, params: list[ParamPlan]) -> str:
        """The path as a Python expression: an f-string encoding each parameter, or a plain string."""
        by_wire = {param.wire: param for param in params}
        parts = PATH_PARAMETER.split(self.raw.path(self.endpoint))  # the document's, with the wire names
        if len(parts) == 1:
            return '"' + strings.in_double_quote_literal(parts[0]) + '"'
        out = []
        for index, part in enumerate(parts):
            if index % 2:
                param = by_wire.get(part)
                if param is None:
                    raise self.fail(f"path parameter {{{part}}} is not declared")
                out.append("{" + f"{param.var}.encode({param.python_name})" + "}")
            else:
                out.append(strings.in_f_string_literal(part))
        return 'f"' + "".join(out) + '"'

    # body and responses

    def body(self, operation: Json) -> BodyPlan | None:
        bodies = self.endpoint.bodies
        if not bodies:
            return None
        json_bodies = [body for body in bodies if str(body.body_type) == "json"]
        if len(json_bodies) != 1 or len(bodies) != 1:
            raise self.fail("only one application/json request body is supported")
        prop = self.raw.canonical(json_bodies[0].prop)
        raw_body = self.raw.resolve(operation.get("requestBody") or {})
        required = bool(raw_body.get("required", False))
        value = self.types.value_type(prop)
        model = value if isinstance(prop, ModelProperty) and not is_map_model(prop) else "None"
        self.runtime.add("json_body")
        doc = docstring_text(raw_body.get("description")) or "The request body."
        declared = text(json_bodies[0].content_type)
        content_type = "" if declared == "application/json" else literal(declared)
        return BodyPlan(required=required, annotation=value, model=model, doc=doc, content_type=content_type)

    def success_responses(self) -> list[Any]:
        """The 2xx responses, exact statuses first (openapi-python-client sorts them so), then ranges."""
        ranges = [(response, response.status_code.range or (0, 0)) for response in self.endpoint.responses.patterns]
        return [response for response, (low, high) in ranges if 200 <= low and high <= 299]

    def success(self) -> tuple[str, str, str]:
        """(type, parser, parser annotation) of the success bodies.

        Each declared 2xx is read per its own declaration. When they all declare the same body (or none), one parser
        serves every status. When they differ (a 202 with no body beside a 200 with a model; two different schemas),
        the runtime's ByStatus picks the parser by the response's status and the type is the union of theirs
        (``NResult | None``): every declared response is then returned as declared, and the caller, who can tell
        them apart by type (or by the status *_detailed returns), loses nothing. Refusing such an operation instead
        would leave a valid document without a client for it."""
        declared = [(response, *self.body_parser(response, success=True)) for response in self.success_responses()]
        if not declared:
            raise self.fail("needs a 2xx response")
        success_type = union_type([annotation for _, annotation, _ in declared])
        parsers = list(dict.fromkeys(parser for _, _, parser in declared))
        if len(parsers) == 1:
            return success_type, parsers[0], f"Callable[[bytes], {success_type}]"
        entries = ", ".join(
            f"({low}, {high}, {parser})"
            for low, high, parser in (
                (*(response.status_code.range or (200, 299)), parser) for response, _, parser in declared
            )
        )
        self.response_names.add("ByStatus")
        return success_type, f"ByStatus([{entries}])", f"ByStatus[{success_type}]"

    def body_parser(self, response: Any, *, success: bool) -> tuple[str, str]:
        source = response.source["return_type"]
        if source == "None":
            self.response_names.add("no_body")
            return "None", "no_body"
        if source != "Any":
            raise self.fail(f"only JSON responses are supported, not {response.source['attribute']}")
        prop = self.raw.canonical(response.prop)
        if isinstance(prop, ModelProperty) and not is_map_model(prop):
            return self.types._use(prop), f"{prop.class_info.name}.from_json"
        if not success:
            raise self.fail("error responses must be JSON objects described by a schema")
        value = self.types.value_type(prop)
        converter = self.types.converter(prop)
        # A JSON null is a value only when the schema allows it, as for a model's body (from_json refuses null).
        nullable = any(isinstance(member, NoneProperty) for member in getattr(prop, "inner_properties", None) or [])
        if nullable or value in ("Any", "None"):
            self.response_names.add("nullable_json_parser")
            return union_type([value, "None"]), f"nullable_json_parser({converter})"
        self.response_names.add("json_parser")
        return value, f"json_parser({converter})"

    def errors(self) -> tuple[list[tuple[int, int, str]], str]:
        parsers: list[tuple[int, int, str]] = []
        types: list[str] = []
        for response in [*self.endpoint.responses.patterns, self.endpoint.responses.default]:
            if response is None:
                continue
            low, high = response.status_code.range or (100, 599)
            if 200 <= low and high <= 299:
                continue
            if response.source["return_type"] == "None":
                continue
            model, parser = self.body_parser(response, success=False)
            parsers.append((low, high, parser))
            if model not in types:
                types.append(model)
        return parsers, (" | ".join(types) if types else "None")

    def pagination(self, operation: Json, query: list[ParamPlan]) -> PaginationPlan | None:
        spec = operation.get(PAGINATION_EXTENSION)
        if spec is None:
            return None
        by_wire = {param.wire: param for param in query}
        page, size = by_wire.get(spec.get("page_parameter")), by_wire.get(spec.get("size_parameter"))
        if page is None or size is None:
            raise self.fail(f"{PAGINATION_EXTENSION}: page_parameter and size_parameter must name query parameters")
        if not size.schema.startswith("Integer("):  # the iterators count items against it
            raise self.fail(f"{PAGINATION_EXTENSION}: size_parameter {size.wire!r} must be an integer parameter")
        if "ByStatus" in self.response_names:
            raise self.fail(f"{PAGINATION_EXTENSION}: pages need one body for every 2xx, not one per status")
        model = next((r.prop for r in self.success_responses() if isinstance(r.prop, ModelProperty)), None)
        attrs, item_type = [], "Any"
        for wire in spec.get("items", []):
            if not isinstance(model, ModelProperty):
                raise self.fail(f"{PAGINATION_EXTENSION}: items path {spec.get('items')} does not lead to an array")
            found = next(
                (
                    p
                    for p in [*(model.required_properties or []), *(model.optional_properties or [])]
                    if text(p.name) == wire
                ),
                None,
            )
            if found is None:
                raise self.fail(f"{PAGINATION_EXTENSION}: {wire!r} is not a property of {model.class_info.name}")
            attrs.append(str(found.python_name))
            core = self.raw.members(found)
            model = core[0] if len(core) == 1 else None
            if isinstance(model, ListProperty):
                item_type = self.types.value_type(model.inner_property)
        name = spec.get("iterator")
        if not isinstance(name, str) or not name.isidentifier():
            raise self.fail(f"{PAGINATION_EXTENSION}: iterator must be a Python name")
        return PaginationPlan(
            iterator=name,
            async_iterator="a" + name,
            page_param=page.python_name,
            size_param=size.python_name,
            first_page=int(spec.get("first_page", 1)),
            default_size=int(spec.get("default_size", 100)),
            items=attrs,
            item_type=item_type,
        )


def paginated(collections: dict[Any, Any], raw: RawSpec) -> Iterator[tuple[str, str, str]]:
    """(tag, module, iterator name) of every operation with page iterators, for the package's exports."""
    for tag, collection in sorted(collections.items()):
        for endpoint in collection.endpoints:
            spec = raw.operation(endpoint).get(PAGINATION_EXTENSION)
            if spec is not None:
                yield str(tag), str(strings.PythonIdentifier(endpoint.name, raw.config.field_prefix)), spec["iterator"]


def template_globals(raw: RawSpec) -> dict[str, Any]:
    """What the templates call (besides openapi-python-client's own globals)."""
    plans = Plans(raw)
    return {
        "model_plan": plans.model_plan,
        "enum_plan": plans.enum_plan,
        # The environment too: the names the endpoint template uses are read from it (endpoint_module_names).
        "operation_plan": pass_environment(lambda env, endpoint: plans.operation_plan(endpoint, env)),
        "paginated_operations": lambda collections: list(paginated(collections, raw)),
    }
