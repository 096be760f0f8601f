"""The generator on a corpus of documents (tests/corpus/*.yaml) that exercise every construct it must handle.

Each document is generated into a temporary folder as its own package (``corpus_<name>``), all of them are checked
with ``mypy --strict`` and ruff, imported side by side, and every operation is called over real HTTP against a
stand-in that validates each request against that document, asserting the raw request and the parsed result.
A document that fails to generate fails every test here.
"""

from __future__ import annotations

import datetime
import importlib
import inspect
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from scripts.generator.codegen import GeneratorError
from scripts.generator.generate import generate
from scripts.project import ROOT
from tests.stand_in.ids import TOKEN
from tests.stand_in.server import LocalServer
from tests.support import patch_sleep

CORPUS = ROOT / "tests" / "corpus"
DOCUMENTS = sorted(CORPUS.glob("*.yaml"))
UTC = datetime.UTC


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every document generated into one folder (one package each), checked by mypy --strict and ruff."""
    out = tmp_path_factory.mktemp("corpus")
    for document in DOCUMENTS:
        generate(out, spec=document, package=f"corpus_{document.stem}", library=False)
    packages = [str(out / f"corpus_{document.stem}") for document in DOCUMENTS]
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *packages],
        capture_output=True,
        text=True,
        cwd=out,
    )
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr
    ruff = subprocess.run(
        [str(Path(sys.executable).parent / "ruff"), "check", "--isolated", "--no-cache"]
        + ["--select", "E,F,W,B", "--ignore", "E501", *packages],
        capture_output=True,
        text=True,
    )
    assert ruff.returncode == 0, ruff.stdout + ruff.stderr
    sys.path.insert(0, str(out))
    yield out
    sys.path.remove(str(out))
    for name in list(sys.modules):
        if name.startswith("corpus_"):
            del sys.modules[name]


def module(corpus: Path, name: str) -> Any:
    """A module of a generated corpus package (``operations.api.widgets.search_widgets``)."""
    package, _, rest = name.partition(".")
    return importlib.import_module(f"corpus_{package}" + (f".{rest}" if rest else ""))


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


async def call(mode: str, operation: ModuleType, *args: Any, detailed: bool = False, **kwargs: Any) -> Any:
    if mode == "sync":
        return (operation.sync_detailed if detailed else operation.sync)(*args, **kwargs)
    return await (operation.asyncio_detailed if detailed else operation.asyncio)(*args, **kwargs)


def serve(name: str) -> LocalServer:
    return LocalServer(spec=CORPUS / f"{name}.yaml", prefix="/v1").start()


@pytest.fixture(scope="module")
def operations_server(corpus: Path) -> Iterator[LocalServer]:
    with serve("operations") as server:
        yield server


@pytest.fixture
def widgets(operations_server: LocalServer, corpus: Path) -> tuple[LocalServer, Any]:
    """The stand-in for operations.yaml (reset) and a client of that package pointed at it."""
    operations_server.reset()
    client = module(corpus, "operations").AuthenticatedClient(base_url=operations_server.base_url, token=TOKEN)
    return operations_server, client


WIDGET = {"id": "w-1", "name": "Sprocket", "size": "small", "priority": 2, "tags": ["a"], "released_at": "2026-01-02"}

pytestmark = pytest.mark.anyio


# -- operations.yaml: methods, parameters, bodies ------------------------------------------------------------------


async def test_path_parameter_only_get(mode: str, widgets: tuple[LocalServer, Any], corpus: Path) -> None:
    server, client = widgets
    get_widget = module(corpus, "operations.api.widgets.get_widget")
    server.enqueue(200, WIDGET)
    widget = await call(mode, get_widget, "w-12", client=client)
    request = server.last_request
    assert (request.method, request.target, request.body) == ("GET", "/v1/widgets/w-12", b"")
    assert request.valid, request.errors
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    models = module(corpus, "operations.models")
    assert isinstance(widget, models.Widget)
    assert (widget.id, widget.name, widget.size, widget.priority) == ("w-1", "Sprocket", models.Size.SMALL, 2)
    assert widget.priority is models.Priority.VALUE_2
    assert widget.released_at == datetime.datetime(2026, 1, 2, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "error", "words"),
    [
        ("x-12", ValueError, ["widget_id", "pattern", "'x-12'"]),
        ("w-1234567890123", ValueError, ["widget_id", "at most 12"]),
        (12, TypeError, ["widget_id", "str"]),
        ("", ValueError, ["widget_id"]),
    ],
)
async def test_path_parameter_constraints_are_checked_before_sending(
    mode: str, widgets: tuple[LocalServer, Any], corpus: Path, value: Any, error: type[Exception], words: list[str]
) -> None:
    server, client = widgets
    with pytest.raises(error) as raised:
        await call(mode, module(corpus, "operations.api.widgets.get_widget"), value, client=client)
    assert all(word in str(raised.value) for word in words), raised.value
    assert server.requests == []


async def test_every_query_type_on_the_wire(mode: str, widgets: tuple[LocalServer, Any], corpus: Path) -> None:
    server, client = widgets
    search = module(corpus, "operations.api.widgets.search_widgets")
    models = module(corpus, "operations.models")
    server.enqueue(200, [WIDGET, None])
    result = await call(
        mode,
        search,
        client=client,
        q="red car",
        limit=5,
        offset=0,
        min_score=0.5,
        size=models.Size.SMALL,
        priority=2,
        since=datetime.datetime(2026, 11, 20, 14, 2, 7, 482000, tzinfo=datetime.timezone(datetime.timedelta(hours=2))),
        day=datetime.date(2026, 11, 20),
        colors=["red", models.Color.BLUE],
        ids=[3, 4],
        days=[datetime.date(2026, 11, 20), datetime.date(2026, 11, 21)],
        sort_order="desc",
    )
    request = server.last_request
    assert request.query == (
        "q=red%20car&limit=5&offset=0&min_score=0.5&size=small&priority=2"
        "&since=2026-11-20T14%3A02%3A07.482000%2B02%3A00&day=2026-11-20&colors=red&colors=blue&ids=3,4"
        "&days=2026-11-20,2026-11-21&sort_order=desc"
    )
    assert request.valid, request.errors
    assert [type(item).__name__ for item in result] == ["Widget", "NoneType"]


async def test_defaults_are_not_sent_and_false_is(mode: str, widgets: tuple[LocalServer, Any], corpus: Path) -> None:
    server, client = widgets
    search = module(corpus, "operations.api.widgets.search_widgets")
    server.enqueue(200, [])
    assert await call(mode, search, client=client, q="ab") == []
    assert server.last_request.query == "q=ab"
    assert "default: 10" in search.sync.__doc__ and "How many widgets per page" in search.sync.__doc__


BAD_QUERIES: list[tuple[dict[str, Any], type[Exception], list[str]]] = [
    ({"q": "a"}, ValueError, ["q", "at least 2", "'a'"]),
    ({"q": ""}, ValueError, ["q", "must not be empty"]),
    ({"q": "a" * 21}, ValueError, ["q", "at most 20"]),
    ({"q": "Red"}, ValueError, ["q", "pattern", "'Red'"]),
    ({"limit": 0}, ValueError, ["limit", "at least 1", "0"]),
    ({"limit": 51}, ValueError, ["limit", "at most 50", "51"]),
    ({"limit": True}, TypeError, ["limit", "int", "True"]),
    ({"limit": 2.0}, TypeError, ["limit", "int"]),
    ({"offset": -1}, ValueError, ["offset", "greater than -1"]),
    ({"min_score": 0}, ValueError, ["min_score", "greater than 0"]),
    ({"min_score": 1.0}, ValueError, ["min_score", "less than 1"]),
    ({"min_score": "0.5"}, TypeError, ["min_score", "number"]),
    ({"min_score": float("nan")}, ValueError, ["min_score", "finite"]),
    ({"size": "huge"}, ValueError, ["size", "small, medium, large", "'huge'"]),
    ({"priority": 4}, ValueError, ["priority", "1, 2, 3"]),
    ({"priority": "2"}, TypeError, ["priority"]),
    ({"since": datetime.datetime(2026, 1, 1)}, ValueError, ["since", "timezone"]),
    ({"since": "2026-01-01T00:00:00Z"}, TypeError, ["since", "datetime"]),
    ({"day": datetime.datetime(2026, 1, 1, tzinfo=UTC)}, TypeError, ["day", "date"]),
    ({"colors": []}, ValueError, ["colors", "at least 1 items"]),
    ({"colors": ["red", "red", "green", "blue"]}, ValueError, ["colors", "at most 3 items"]),
    ({"colors": ["pink"]}, ValueError, ["colors", "red, green, blue"]),
    ({"ids": [0]}, ValueError, ["ids", "at least 1"]),
    ({"ids": {"a": 1}}, TypeError, ["ids", "list"]),
]


@pytest.mark.parametrize(("kwargs", "error", "words"), BAD_QUERIES, ids=[repr(case[0]) for case in BAD_QUERIES])
async def test_query_constraints_name_the_parameter_the_value_and_the_bound(
    mode: str, widgets: tuple[LocalServer, Any], corpus: Path, kwargs: dict[str, Any], error: Any, words: list[str]
) -> None:
    server, client = widgets
    arguments = {"q": "ok", **kwargs}
    with pytest.raises(error) as raised:
        await call(mode, module(corpus, "operations.api.widgets.search_widgets"), client=client, **arguments)
    assert all(word in str(raised.value) for word in words), raised.value
    assert server.requests == []


async def test_post_with_a_component_body(mode: str, widgets: tuple[LocalServer, Any], corpus: Path) -> None:
    server, client = widgets
    create = module(corpus, "operations.api.widgets.create_widget")
    models = module(corpus, "operations.models")
    body = models.NewWidget(
        name="Gear",
        size=models.Size.LARGE,
        priority=models.Priority.VALUE_1,
        released_on=datetime.date(2026, 3, 4),
        labels={"team": "b"},
    )
    server.enqueue(201, {**WIDGET, "name": "Gear"})
    created = await call(mode, create, client=client, body=body)
    request = server.last_request
    assert (request.method, request.target) == ("POST", "/v1/widgets")
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.body) == {
        "name": "Gear",
        "size": "large",
        "priority": 1,
        "released_on": "2026-03-04",
        "labels": {"team": "b"},
    }
    assert request.valid, request.errors
    assert created.name == "Gear"
    with pytest.raises(TypeError, match="body must be a NewWidget"):
        await call(mode, create, client=client, body={"name": "Gear"})
    with pytest.raises(TypeError):
        models.NewWidget("Gear")  # keyword-only: adding a property never reorders a call


@pytest.mark.parametrize(("status", "attempts"), [(500, 1), (502, 1), (503, 3), (429, 3)])
async def test_post_is_retried_only_when_the_server_did_not_process_it(
    mode: str,
    widgets: tuple[LocalServer, Any],
    corpus: Path,
    monkeypatch: pytest.MonkeyPatch,
    status: int,
    attempts: int,
) -> None:
    server, client = widgets
    patch_sleep(monkeypatch)
    create = module(corpus, "operations.api.widgets.create_widget")
    for _ in range(3):
        server.enqueue(status, {"code": status, "message": "no"})
    response = await call(mode, create, client=client, body=module(corpus, "operations.models").NewWidget(name="G"),
                          detailed=True)  # fmt: skip
    assert response.status_code == status
    assert len(server.requests) == attempts


async def test_put_with_path_query_and_an_inline_body(
    mode: str, widgets: tuple[LocalServer, Any], corpus: Path
) -> None:
    server, client = widgets
    replace = module(corpus, "operations.api.widgets.replace_widget")
    models = module(corpus, "operations.models")
    body = models.ReplaceWidgetBody(
        name="Cog", size="medium", tags=["x", "y"], released_at=datetime.datetime(2026, 5, 6, 7, 8, 9, tzinfo=UTC)
    )
    server.enqueue(200, WIDGET)
    await call(mode, replace, "w-7", client=client, body=body, dry_run=True)
    request = server.last_request
    assert (request.method, request.path, request.query) == ("PUT", "/v1/widgets/w-7", "dry_run=true")
    assert json.loads(request.body) == {
        "name": "Cog",
        "size": "medium",
        "tags": ["x", "y"],
        "released_at": "2026-05-06T07:08:09+00:00",
    }
    assert request.valid, request.errors
    with pytest.raises(TypeError):
        models.ReplaceWidgetBody(name="Cog")  # size is required


async def test_patch_with_an_optional_body(mode: str, widgets: tuple[LocalServer, Any], corpus: Path) -> None:
    server, client = widgets
    update = module(corpus, "operations.api.widgets.update_widget")
    models = module(corpus, "operations.models")
    server.enqueue(200, WIDGET)
    await call(mode, update, "w-7", client=client)
    assert server.last_request.body == b"" and "content-type" not in server.last_request.headers
    server.enqueue(200, WIDGET)
    await call(mode, update, "w-7", client=client, body=models.WidgetPatch(priority=models.Priority.VALUE_3))
    assert (server.last_request.method, json.loads(server.last_request.body)) == ("PATCH", {"priority": 3})
    assert server.last_request.valid, server.last_request.errors


async def test_delete_with_no_content_and_a_typed_error(
    mode: str, widgets: tuple[LocalServer, Any], corpus: Path
) -> None:
    server, client = widgets
    delete = module(corpus, "operations.api.widgets.delete_widget")
    package = module(corpus, "operations")
    server.enqueue(204, b"")
    assert await call(mode, delete, "w-7", client=client) is None
    assert server.last_request.method == "DELETE"
    server.enqueue(404, {"code": 7, "message": "no such widget"})
    with pytest.raises(package.NotFoundError, match="no such widget"):
        await call(mode, delete, "w-7", client=client)
    server.enqueue(404, {"code": 7, "message": "no such widget"})
    detailed = await call(mode, delete, "w-7", client=client, detailed=True)
    assert detailed.status_code == 404 and detailed.parsed == module(corpus, "operations.models").Problem(
        code=7, message="no such widget"
    )


async def test_enum_path_parameter_and_a_shared_inline_enum(
    mode: str, widgets: tuple[LocalServer, Any], corpus: Path
) -> None:
    server, client = widgets
    colors = module(corpus, "operations.api.colors.list_widgets_of_color")
    models = module(corpus, "operations.models")
    server.enqueue(200, {"widgets": [WIDGET]})
    page = await call(mode, colors, models.Color.GREEN, client=client, sort_order=models.SortOrder.ASC)
    assert (server.last_request.path, server.last_request.query) == ("/v1/colors/green/widgets", "sort_order=asc")
    assert page.widgets[0].name == "Sprocket"
    with pytest.raises(ValueError, match="color must be one of red, green, blue"):
        await call(mode, colors, "pink", client=client)
    # The same inline enum in two operations (and in an array's items) is one class.
    enums = [name for name, value in vars(models).items() if inspect.isclass(value) and issubclass(value, models.Color)]
    assert enums == ["Color"]
    assert not hasattr(models, "ListWidgetsOfColorSortOrder") and not hasattr(models, "SearchWidgetsSortOrder")


def test_docs_reach_the_docstrings(corpus: Path) -> None:
    search = module(corpus, "operations.api.widgets.search_widgets")
    doc = search.sync.__doc__
    for words in (
        "Search widgets",
        "A GET with query parameters only",
        "q: Words to look for. Must be at least 2 character(s) long, at most 20 character(s) long, matching",
        "Must be >= 1, <= 50. The API's default: 10",
        "Colors to match, repeated",
        "sent as one parameter joined by commas",
    ):
        assert words in " ".join(doc.split()), words
    source = inspect.getsource(module(corpus, "operations.models.widget"))
    assert "The widget's name." in source


# -- schemas.yaml: every schema construct ---------------------------------------------------------------------------

THING = {
    "name": "thing one",
    "created_on": "2026-02-03",
    "id": "t-1",
    "level": 10,
    "status": "active",
    "previous_status": "dormant",
    "note": None,
    "level_or_null": None,
    "born_on": "2020-01-31",
    "seen_at": "2026-02-03T04:05:06",
    "grid": [[1, 2], [3], []],
    "mixed": ["a", 1, None],
    "pet": {"kind": "dog", "barks": 3},
    "shape": {"side": 2.5},
    "id_or_count": 5,
    "counts": {"a": 1, "b": None},
    "shapes_by_name": {"c": {"radius": 1}},
    "scores": {"ann": 3},
    "extras": {"anything": [1, {"x": None}]},
    "closed": {"a": 1, "zz": 2},
    "5_or_more": 0.25,
    "100ms_or_greater_event_fraction": 0.5,
    "from": "here",
    "class": "first",
    "type": "kind",
    "dashed-name": "d",
    "dotted.name": "e",
    "to_dict": "clash",
    "unknown_top": {"kept": True},
}


@pytest.fixture(scope="module")
def schemas_server(corpus: Path) -> Iterator[LocalServer]:
    with serve("schemas") as server:
        yield server


@pytest.fixture
def things(schemas_server: LocalServer, corpus: Path) -> tuple[LocalServer, Any]:
    schemas_server.reset()
    return schemas_server, module(corpus, "schemas").AuthenticatedClient(base_url=schemas_server.base_url, token=TOKEN)


async def test_every_construct_parses(mode: str, things: tuple[LocalServer, Any], corpus: Path) -> None:
    server, client = things
    models = module(corpus, "schemas.models")
    server.enqueue(200, THING)
    thing = await call(mode, module(corpus, "schemas.api.things.get_thing"), "t-1", client=client)
    assert (thing.name, thing.id, thing.created_on) == ("thing one", "t-1", datetime.date(2026, 2, 3))  # allOf
    assert thing.level is models.Level.VALUE_10  # integer enum
    assert thing.status is models.Status.ACTIVE and type(thing.previous_status) is models.Status  # one class
    assert thing.previous_status == "dormant" and not thing.previous_status.is_known  # an unlisted value, kept
    assert thing.note is None and thing.level_or_null is None  # nullable, 3.1 forms
    assert thing.born_on == datetime.date(2020, 1, 31)
    assert thing.seen_at == datetime.datetime(2026, 2, 3, 4, 5, 6, tzinfo=UTC)  # no offset: UTC
    assert thing.grid == [[1, 2], [3], []] and thing.mixed == ["a", 1, None]
    assert isinstance(thing.pet, models.Dog) and thing.pet.barks == 3  # by the discriminator
    assert isinstance(thing.shape, models.Square) and thing.shape.side == 2.5  # the member that fits
    assert thing.id_or_count == 5
    assert thing.counts == {"a": 1, "b": None} and thing.scores == {"ann": 3}
    assert thing.shapes_by_name == {"c": models.Circle(radius=1)}
    assert thing.extras == {"anything": [1, {"x": None}]}
    assert thing.closed.a == 1 and thing.closed.additional_properties == {"zz": 2}
    assert (thing.api_5_or_more, thing.api_100ms_or_greater_event_fraction) == (0.25, 0.5)
    assert (thing.from_, thing.class_, thing.type_, thing.dashed_name, thing.dotted_name) == tuple(
        "here first kind d e".split()
    )
    assert thing.to_dict_ == "clash"
    assert thing.additional_properties == {"unknown_top": {"kept": True}}
    written = thing.to_dict()
    assert written == {**THING, "seen_at": "2026-02-03T04:05:06+00:00"}


async def test_an_unlisted_integer_enum_value_is_kept(mode: str, things: tuple[LocalServer, Any], corpus: Path) -> None:
    server, client = things
    server.enqueue(200, {**THING, "level": 30, "level_or_null": 0})
    thing = await call(mode, module(corpus, "schemas.api.things.get_thing"), "t-1", client=client)
    level = module(corpus, "schemas.models").Level
    assert type(thing.level) is level and thing.level == 30 and not thing.level.is_known
    assert thing.level_or_null is level.VALUE_0
    assert thing.to_dict()["level"] == 30 and type(thing.to_dict()["level"]) is int


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"id": None, "level": 10}, None),
        ({"grid": [[1], ["x"]]}, "$.grid[1][0]"),
        ({"id_or_count": 1.5}, "$.id_or_count"),
        ({"counts": {"a": "x"}}, "$.counts.a"),
        ({"5_or_more": "x"}, "$['5_or_more']"),
        ({"pet": {"barks": 1}}, "$.pet"),
        ({"shape": {"edge": 1}}, "$.shape"),
        ({"born_on": "yesterday"}, "$.born_on"),
        ({"level": "high"}, "$.level"),
    ],
)
async def test_parse_errors_name_the_json_path(
    mode: str, things: tuple[LocalServer, Any], corpus: Path, change: dict[str, Any], path: str | None
) -> None:
    server, client = things
    package = module(corpus, "schemas")
    server.enqueue(200, {**THING, **change})
    get_thing = module(corpus, "schemas.api.things.get_thing")
    if path is None:  # a required property may be null (nulls are accepted everywhere)...
        assert (await call(mode, get_thing, "t-1", client=client)).id is None
        return
    with pytest.raises(package.ResponseParseError) as raised:
        await call(mode, get_thing, "t-1", client=client)
    assert raised.value.path == path, raised.value
    assert raised.value.status_code == 200 and json.loads(raised.value.body) == {**THING, **change}


async def test_a_missing_required_property_is_a_parse_error(
    mode: str, things: tuple[LocalServer, Any], corpus: Path
) -> None:
    server, client = things
    body = {key: value for key, value in THING.items() if key != "level"}
    server.enqueue(200, body)
    with pytest.raises(module(corpus, "schemas").ResponseParseError, match="required property is missing") as raised:
        await call(mode, module(corpus, "schemas.api.things.get_thing"), "t-1", client=client)
    assert raised.value.path == "$.level"


async def test_a_body_goes_out_with_wire_names(mode: str, things: tuple[LocalServer, Any], corpus: Path) -> None:
    server, client = things
    models = module(corpus, "schemas.models")
    thing = models.Thing(
        name="n",
        id="t-2",
        level=models.Level.VALUE_20,
        status=models.Status.RETIRED,
        born_on=datetime.date(2021, 1, 1),
        seen_at=datetime.datetime(2026, 1, 1, 12, tzinfo=UTC),
        pet=models.Cat(kind="cat", purrs=True),
        counts={"x": 1},
        api_5_or_more=0.5,
        from_="a",
        dotted_name="b",
        to_dict_="c",
    )
    server.enqueue(200, THING)
    await call(mode, module(corpus, "schemas.api.things.create_thing"), client=client, body=thing)
    request = server.last_request
    assert json.loads(request.body) == {
        "name": "n",
        "id": "t-2",
        "level": 20,
        "status": "retired",
        "born_on": "2021-01-01",
        "seen_at": "2026-01-01T12:00:00+00:00",
        "pet": {"kind": "cat", "purrs": True},
        "counts": {"x": 1},
        "5_or_more": 0.5,
        "from": "a",
        "dotted.name": "b",
        "to_dict": "c",
    }
    assert request.valid, request.errors


# -- openapi30.yaml: the 3.0 forms --------------------------------------------------------------------------------


async def test_openapi_30_nullable_and_exclusive_bounds(mode: str, corpus: Path) -> None:
    operation = module(corpus, "openapi30.api.readings.list_readings")
    with serve("openapi30") as server:
        client = module(corpus, "openapi30").AuthenticatedClient(base_url=server.base_url, token=TOKEN)
        server.enqueue(
            200, {"values": [1.5, None, 2], "unit": None, "sensor": None, "taken_at": None, "labels": {"a": None}}
        )
        readings = await call(mode, operation, client=client, above=0.5)
        assert server.last_request.query == "above=0.5" and server.last_request.valid  # the default is not sent
        assert readings.values == [1.5, None, 2] and readings.unit is None and readings.sensor is None
        assert readings.labels == {"a": None}
        server.enqueue(200, {"values": [], "unit": "kelvin", "sensor": {"name": "s"}})
        readings = await call(mode, operation, client=client, above=99.5, unit="kelvin")
        assert server.last_request.query == "above=99.5&unit=kelvin"
        assert readings.unit is module(corpus, "openapi30.models").Unit.KELVIN and readings.sensor.name == "s"
        for bound in (0, 100):
            with pytest.raises(ValueError, match="above must be"):
                await call(mode, operation, client=client, above=bound)
        assert len(server.requests) == 2


# -- evolution_operations.yaml: operation shapes of other documents -------------------------------------------------


@pytest.fixture(scope="module")
def evolution_server(corpus: Path) -> Iterator[LocalServer]:
    with serve("evolution_operations") as server:
        yield server


@pytest.fixture
def evolution(evolution_server: LocalServer, corpus: Path) -> tuple[LocalServer, Any]:
    """The stand-in for evolution_operations.yaml (reset) and a client of that package pointed at it."""
    evolution_server.reset()
    package = module(corpus, "evolution_operations")
    return evolution_server, package.AuthenticatedClient(base_url=evolution_server.base_url, token=TOKEN)


def parameter_names(operation: ModuleType) -> list[str]:
    return list(inspect.signature(operation.sync).parameters)


async def test_renamed_path_parameters_fill_the_documents_path(
    mode: str, evolution: tuple[LocalServer, Any], corpus: Path
) -> None:
    server, client = evolution
    get_item = module(corpus, "evolution_operations.api.meetings.get_meeting_item")
    assert parameter_names(get_item)[:5] == ["meeting_id_path", "item_id", "from_", "client", "meeting_id_query"]
    server.enqueue(200, {"id": 7, "name": "seven"})
    item = await call(
        mode, get_item, "m 1/x", 7, datetime.date(2026, 1, 2), client=client, meeting_id_query="other meeting"
    )
    request = server.last_request
    assert (request.method, request.path) == ("GET", "/v1/meetings/m%201%2Fx/items/7/2026-01-02")
    assert request.query == "meetingId=other%20meeting"
    assert request.valid, request.errors
    assert (item.id, item.name) == (7, "seven")
    with pytest.raises(ValueError, match="item-id must be at least 1"):
        await call(mode, get_item, "m", 0, datetime.date(2026, 1, 2), client=client)


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [(202, None, None), (200, {"value": 3}, 3)],
    ids=["202 without a body", "200 with one"],
)
async def test_each_declared_2xx_is_read_as_declared(
    mode: str, evolution: tuple[LocalServer, Any], corpus: Path, status: int, body: Any, expected: int | None
) -> None:
    server, client = evolution
    start = module(corpus, "evolution_operations.api.jobs.start_job")
    assert start.sync.__annotations__["return"] == "JobResult | None"
    server.enqueue(status, body)
    result = await call(mode, start, "job-1", client=client)
    assert (server.last_request.method, server.last_request.path) == ("POST", "/v1/jobs/job-1")
    assert (None if result is None else result.value) == expected
    server.enqueue(status, body)
    detailed = await call(mode, start, "job-1", client=client, detailed=True)
    assert detailed.status_code == status and detailed.parsed == result


async def test_2xx_responses_with_different_models_give_a_union(
    mode: str, evolution: tuple[LocalServer, Any], corpus: Path
) -> None:
    server, client = evolution
    put = module(corpus, "evolution_operations.api.jobs.put_job")
    models = module(corpus, "evolution_operations.models")
    assert put.sync.__annotations__["return"] == "JobResult | JobCreated"
    server.enqueue(200, {"value": 4})
    assert await call(mode, put, "j", client=client) == models.JobResult(value=4)
    server.enqueue(201, {"location": "/jobs/j"})
    assert await call(mode, put, "j", client=client) == models.JobCreated(location="/jobs/j")
    server.enqueue(201, {"value": 4})  # a 201 is read as a JobCreated only
    with pytest.raises(module(corpus, "evolution_operations").ResponseParseError, match="required property"):
        await call(mode, put, "j", client=client)


@pytest.mark.parametrize(
    ("name", "annotation", "body", "expected"),
    [
        ("get_count", "int", 5, 5),
        ("get_count", "int", None, ...),
        ("get_count", "int", "5", ...),
        ("get_label", "str", "a label", "a label"),
        ("get_label", "str", None, ...),
        ("get_note", "str | None", "a note", "a note"),
        ("get_note", "str | None", None, None),
        ("get_shape", "Circle | Square", {"side": 2}, ("Square", 2)),
        ("get_shape", "Circle | Square", None, ...),
    ],
)
async def test_scalar_nullable_and_union_bodies(
    mode: str,
    evolution: tuple[LocalServer, Any],
    corpus: Path,
    name: str,
    annotation: str,
    body: Any,
    expected: Any,
) -> None:
    """A null body is a value only where the document allows null (``...`` marks a ResponseParseError)."""
    server, client = evolution
    operation = module(corpus, f"evolution_operations.api.values.{name}")
    assert operation.sync.__annotations__["return"] == annotation
    assert parameter_names(operation)[0] == "client"  # no parameters, no body
    server.enqueue(200, json.dumps(body).encode())
    if expected is ...:
        with pytest.raises(module(corpus, "evolution_operations").ResponseParseError) as raised:
            await call(mode, operation, client=client)
        assert raised.value.status_code == 200 and raised.value.path == "$"
        return
    result = await call(mode, operation, client=client)
    request = server.last_request
    assert (request.method, request.target) == ("GET", f"/v1/values/{name.removeprefix('get_')}")
    assert request.valid, request.errors
    if isinstance(expected, tuple):
        assert (type(result).__name__, result.side) == expected
    else:
        assert result == expected


async def test_parameters_named_like_the_modules_own_names(
    mode: str, evolution: tuple[LocalServer, Any], corpus: Path
) -> None:
    server, client = evolution
    clashes = module(corpus, "evolution_operations.api.values.list_clashes")
    arguments: dict[str, Any] = {
        "query__": "q",
        "send_": True,
        "build_response_": 3,
        "success_or_raise_": "s",
        "json_body_": "j",
        "request_options_": "o",
        "request_": "r",
        "timeout_": 1.5,
        "body_": "b",
        "query_": "q2",
    }
    assert [name for name in parameter_names(clashes) if name.endswith("_")] == list(arguments)
    server.enqueue(200, ["ok"])
    assert await call(mode, clashes, client=client, timeout=5, **arguments) == ["ok"]
    request = server.last_request
    assert request.query == (
        "query=q&send=true&build_response=3&success_or_raise=s&json_body=j&request_options=o&request=r"
        "&timeout=1.5&body=b&query_=q2"
    )
    assert request.valid, request.errors


async def test_page_iterators_beside_parameters_named_like_their_locals(
    mode: str, evolution: tuple[LocalServer, Any], corpus: Path
) -> None:
    server, client = evolution
    package = module(corpus, "evolution_operations")
    server.enqueue(200, {"items": ["a", "b"]})
    server.enqueue(200, {"items": ["c"]})
    arguments: dict[str, Any] = {"client": client, "size": "m", "number": 4}
    if mode == "sync":
        items = list(package.iter_meeting_items("m-1", **arguments))
    else:
        items = [item async for item in package.aiter_meeting_items("m-1", **arguments)]
    assert items == ["a", "b", "c"]
    assert [(request.path, request.query) for request in server.requests] == [
        ("/v1/meetings/m-1/items", "page=1&per_page=2&size=m&number=4"),
        ("/v1/meetings/m-1/items", "page=2&per_page=2&size=m&number=4"),
    ]
    assert all(request.valid for request in server.requests), [request.errors for request in server.requests]


# -- what openapi-python-client cannot read -------------------------------------------------------------------------

CONFLICTING_ALL_OF = """\
openapi: 3.1.0
info: {title: Conflict, version: 1.0.0}
security: [{bearerAuth: []}]
paths:
  /trees/{id}:
    get:
      operationId: GetTree
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Holder'}
components:
  securitySchemes:
    bearerAuth: {type: http, scheme: bearer}
  schemas:
    Base: {type: object, properties: {id: {type: string}}}
    Holder:
      allOf:
        - $ref: '#/components/schemas/Base'
        - {type: object, properties: {id: {type: integer}}}
"""


def test_a_schema_openapi_python_client_drops_is_reported_as_the_cause(tmp_path: Path) -> None:
    spec = tmp_path / "conflict.yaml"
    spec.write_text(CONFLICTING_ALL_OF, encoding="utf-8")
    with pytest.raises(GeneratorError) as raised:
        generate(tmp_path / "out", spec=spec, package="corpus_conflict", library=False)
    message = str(raised.value)
    first = message.splitlines()[1]
    assert "Holder" in first and "str can't be merged with int" in first, message
    assert "needs a 2xx response" not in message
    assert not (tmp_path / "out" / "corpus_conflict").exists()


# -- evolution_schemas.yaml: names the generated code uses itself ---------------------------------------------------

RECORD = {
    "model": {"value": "v", "item": 1},
    "get": "g",
    "cls": "c",
    "instance": 2,
    "src_dict": True,
    "has_unknown_keys": 0.5,
    "bad_value": "2026-02-03T04:05:06Z",
    "len": "l",
    "get_": "g2",
    "unset": "no",
    "any": {"self": "s"},
    "class_var": {"wire": "w"},
    "mode": "A-B",
    "state": "active",
}


@pytest.fixture(scope="module")
def schema_evolution_server(corpus: Path) -> Iterator[LocalServer]:
    with serve("evolution_schemas") as server:
        yield server


@pytest.fixture
def records(schema_evolution_server: LocalServer, corpus: Path) -> tuple[LocalServer, Any]:
    schema_evolution_server.reset()
    client = module(corpus, "evolution_schemas").AuthenticatedClient(
        base_url=schema_evolution_server.base_url, token=TOKEN
    )
    return schema_evolution_server, client


def test_schemas_named_like_the_templates_imports_are_renamed(corpus: Path) -> None:
    models = module(corpus, "evolution_schemas.models")
    assert {"ResponseSchema", "ModelSchema", "UnsetSchema", "AnySchema", "SchemaClassVar"} <= set(dir(models))
    assert not {"Response", "Model", "Unset", "Any", "ClassVar"} & set(models.__all__)


async def test_properties_named_like_from_dicts_locals_parse(
    mode: str, records: tuple[LocalServer, Any], corpus: Path
) -> None:
    server, client = records
    models = module(corpus, "evolution_schemas.models")
    server.enqueue(200, RECORD)
    record = await call(mode, module(corpus, "evolution_schemas.api.records.get_record"), "r-1", client=client)
    assert isinstance(record, models.ResponseSchema)
    assert record.model == models.ModelSchema(value="v", item=1)
    assert (record.get, record.cls, record.instance, record.src_dict, record.len_, record.get_) == (
        "g",
        "c",
        2,
        True,
        "l",
        "g2",
    )
    assert record.has_unknown_keys == 0.5 and record.additional_properties == {}
    assert record.bad_value == datetime.datetime(2026, 2, 3, 4, 5, 6, tzinfo=UTC)
    assert record.unset is models.UnsetSchema.NO and record.any_.self_ == "s" and record.class_var.wire == "w"
    assert record.to_dict() == {**RECORD, "bad_value": "2026-02-03T04:05:06+00:00"}
    # Absent optional keys (from_dict reads them with its `get` local) and a wrong type (raised with bad_value).
    partial = models.ResponseSchema.from_json(json.dumps({"model": {}, "get": "g", "extra": 1}))
    assert (partial.get, partial.cls, partial.additional_properties) == (
        "g",
        module(corpus, "evolution_schemas.types").UNSET,
        {"extra": 1},
    )
    with pytest.raises(module(corpus, "evolution_schemas.errors").ResponseParseError, match=r"\$\.instance"):
        models.ResponseSchema.from_json(json.dumps({**RECORD, "instance": "two"}))
    with pytest.raises(module(corpus, "evolution_schemas.errors").ResponseParseError, match=r"\$\.model"):
        models.ResponseSchema.from_json(json.dumps({"get": "g"}))  # required, missing


def test_enum_values_that_make_the_same_member_name_all_get_members(corpus: Path) -> None:
    models = module(corpus, "evolution_schemas.models")
    mode_enum, state = models.ResponseSchemaMode, models.State
    assert [member.value for member in mode_enum] == ["a-b", "A-B", "a b"]
    assert [member.value for member in state] == ["Active", "active", "ACTIVE"]
    assert (state.ACTIVE, state.ACTIVE_2, state.ACTIVE_3) == ("Active", "active", "ACTIVE")
    assert all(member.is_known for member in (*mode_enum, *state))
    record = models.ResponseSchema.from_json(json.dumps(RECORD))
    assert record.mode is mode_enum("A-B") and record.mode.is_known and record.state is state.ACTIVE_2


# -- evolution_values.yaml: values and annotations of other documents ------------------------------------------------

JOB = {
    "id": "j-1",
    "name": "backup",
    "title": "nightly",
    "kind": "job",
    "mark": "back\\slash",
    "emoji\U0001f600key": 3,
    "status": "done",
    "phase": "running",
}


@pytest.fixture(scope="module")
def values_server(corpus: Path) -> Iterator[LocalServer]:
    with serve("evolution_values") as server:
        yield server


@pytest.fixture
def jobs(values_server: LocalServer, corpus: Path) -> tuple[LocalServer, Any]:
    values_server.reset()
    client = module(corpus, "evolution_values").AuthenticatedClient(base_url=values_server.base_url, token=TOKEN)
    return values_server, client


async def test_values_with_quotes_backslashes_and_emoji_are_exact(
    mode: str, jobs: tuple[LocalServer, Any], corpus: Path
) -> None:
    """Before: enum values were escaped twice (`back\\\\slash`), quotes at their ends dropped, and characters past
    U+FFFF written as two lone surrogates, so the server's own values read as unlisted."""
    server, client = jobs
    models = module(corpus, "evolution_values.models")
    assert [member.value for member in models.JobMark] == ['"quoted"', 'a"', "back\\slash", "\U0001f44d", "plain"]
    for value in models.JobMark:
        server.enqueue(200, {**JOB, "mark": value.value})
        job = await call(mode, module(corpus, "evolution_values.api.jobs.get_job"), "j-1", client=client)
        assert job.mark is value and job.mark.is_known
        assert job.to_dict()["mark"] == value.value
    assert job.additional_properties == {}  # the emoji key is a field, not an unknown key
    assert job.to_dict() == {**JOB, "mark": "plain"}


def test_const_accepts_only_its_value(corpus: Path) -> None:
    models = module(corpus, "evolution_values.models")
    errors = module(corpus, "evolution_values.errors")
    assert models.Job.from_json(json.dumps(JOB)).kind == "job"
    for wrong in ("other", 5, True):
        with pytest.raises(errors.ResponseParseError, match=r"\$\.kind"):
            models.Job.from_json(json.dumps({**JOB, "kind": wrong}))


def test_read_only_and_write_only_properties_are_not_required(corpus: Path) -> None:
    """Before: Job(name=...) needed the server's id and the response needed the write-only secret."""
    models = module(corpus, "evolution_values.models")
    job = models.Job(name="backup")
    assert job.to_dict() == {"name": "backup"}  # nothing read-only sent as null
    assert models.Job.from_json(json.dumps(JOB)).secret is module(corpus, "evolution_values.types").UNSET


def test_a_title_documents_the_class_without_renaming_it(corpus: Path) -> None:
    models = module(corpus, "evolution_values.models")
    assert models.Job.__doc__.startswith("A unit of work\n\n    What the worker does.")
    assert not hasattr(models, "AUnitOfWork") and not hasattr(models, "PhaseOfAJob")  # named by their keys
    assert models.Job.from_json(json.dumps(JOB)).title == "nightly"


def test_an_inline_enum_named_like_a_component_gets_a_free_name(corpus: Path) -> None:
    """Before: the inline Job.status and the component JobStatus clashed, and Job was dropped."""
    models = module(corpus, "evolution_values.models")
    job = models.Job.from_json(json.dumps(JOB))
    assert job.status is models.JobStatus2.DONE and job.phase is models.JobStatus.RUNNING


NO_CONTENT: dict[str, Any] = {"204": {"description": "nothing"}}
GENERATION_ERRORS: list[tuple[str, dict[str, Any], dict[str, Any], str]] = [
    (
        "same module",
        {
            "/a": {"get": {"operationId": "getHTTPStatus", "tags": ["T"], "responses": NO_CONTENT}},
            "/b": {"get": {"operationId": "get_http_status", "tags": ["T"], "responses": NO_CONTENT}},
        },
        {},
        "would both be api/t/get_http_status.py",
    ),
    (
        "control character",
        {"/a": {"get": {"operationId": "A", "responses": {"200": {"description": "x", "content": {
            "application/json": {"schema": {"type": "string", "enum": ["a\u0007b"]}}}}}}}},
        {},
        "control characters and line separators unsupported",
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("paths", "schemas", "words"), [c[1:] for c in GENERATION_ERRORS], ids=[c[0] for c in GENERATION_ERRORS]
)
def test_documents_that_would_generate_wrong_code_stop_with_a_message(
    tmp_path: Path, paths: dict[str, Any], schemas: dict[str, Any], words: str
) -> None:
    document = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "security": [{"bearerAuth": []}],
        "paths": paths,
        "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}, "schemas": schemas},
    }
    spec = tmp_path / "doc.json"
    spec.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(GeneratorError, match=words):
        generate(tmp_path / "out", spec=spec, package="corpus_refused", library=False)


async def test_a_body_goes_out_with_the_media_type_the_document_declares(
    mode: str, jobs: tuple[LocalServer, Any], corpus: Path
) -> None:
    """Before: every body was sent as application/json, and a server that checks the media type refused it."""
    server, client = jobs
    models = module(corpus, "evolution_values.models")
    server.enqueue(200, JOB)
    changed = await call(
        mode,
        module(corpus, "evolution_values.api.jobs.patch_job"),
        "j-1",
        client=client,
        body=models.JobChange(name="renamed"),
    )
    request = server.last_request
    assert request.headers["content-type"] == "application/merge-patch+json"
    assert json.loads(request.body) == {"name": "renamed"} and request.valid, request.errors
    assert changed.name == "backup"
