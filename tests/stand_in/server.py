"""A local stand-in for the RealtimeKit API: real HTTP on 127.0.0.1, checked against our OpenAPI document.

Used by the test suite, the demo (`make demo`) and the benchmark. Every request is

* recorded raw (request line, path and query exactly as sent, headers), so tests can assert what went on the wire;
* validated against the OpenAPI document (ours by default; the corpus tests pass others) with openapi-core, plus
  the checks openapi-core does not make: a ``style: form, explode: false`` array sent once, joined by a literal
  comma, without spaces, with listed values only; booleans spelled true/false. An invalid request gets a 400 with
  RealtimeKit's error body, so a request-building regression fails the call, not only a string match;
* answered with the next scripted response (``enqueue``), or else by the operation it addresses: the example
  participant (GetParticipantDetails), a page of a session's participants (GetSessionParticipants: the demo
  session's 36 from ``sessions.py``, or rows a test sets with ``set_session``), or a peer report
  (GetParticipantDataFromPeerId, from ``sessions.py``; 404 for an unknown peer).

    with LocalServer() as server:
        server.enqueue(status=503, headers={"Retry-After": "0"})
        ...  # call server.base_url
        server.requests[-1].target

Run it by hand: ``python -m tests.stand_in.server --port 8787`` (Ctrl-C stops it).
"""

from __future__ import annotations

import argparse
import collections
import copy
import functools
import json
import re
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import yaml

from scripts.project import SPEC
from tests.stand_in import sessions

PREFIX = "/client/v4"
FILTER_NAMES = ("device_info", "ip_information", "precall_network_information", "events", "quality_stats")


def load_spec(path: Path = SPEC) -> dict[str, Any]:
    spec: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return spec


def example_participant() -> dict[str, Any]:
    """The document's example 200 body: a realistic participant with every section."""
    value: dict[str, Any] = load_spec()["components"]["examples"]["ParticipantDetails"]["value"]
    return value


def realtimekit_error(code: int, message: str) -> dict[str, Any]:
    """RealtimeKit's own error body."""
    return {"success": False, "error": {"code": code, "message": message}}


def cloudflare_error(code: int, message: str) -> dict[str, Any]:
    """The error body of Cloudflare's API front door (authentication, permissions, rate limits)."""
    return {"success": False, "errors": [{"code": code, "message": message}], "messages": [], "result": None}


@dataclass
class RecordedRequest:
    """One request as it arrived."""

    method: str
    request_line: str  # e.g. "GET /client/v4/accounts/a/...?filters=events HTTP/1.1"
    target: str  # the request target, byte for byte (still percent-encoded)
    path: str  # target up to "?", relative to the server root, still percent-encoded
    query: str  # target after "?" ("" when there is none), still percent-encoded
    headers: dict[str, str]  # lower-cased names
    body: bytes = b""
    errors: list[str] = field(default_factory=list)  # why the request was rejected; empty when valid

    @property
    def valid(self) -> bool:
        return not self.errors


@dataclass
class ScriptedResponse:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (to provoke read timeouts)
    drop: bool = False  # close the connection without answering (to provoke connection errors)


def _encode_body(body: Any) -> tuple[bytes, str]:
    if isinstance(body, bytes):
        return body, "application/json"
    if isinstance(body, str):
        return body.encode("utf-8"), "text/html; charset=utf-8" if body.lstrip().startswith("<") else "text/plain"
    return json.dumps(body).encode("utf-8"), "application/json"


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    # http.server listens with a backlog of 5: a burst of new connections (200 concurrent async calls) would have
    # the kernel drop SYNs and the clients wait 1 s, 3 s... for retransmits. The real API accepts them.
    request_queue_size = 1024

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up (a timeout test) closes its socket while we still write: expected, not news.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _OpenAPIRequest:
    """The minimal request object openapi-core validates (its Request protocol)."""

    def __init__(self, host_url: str, method: str, path: str, query: str, headers: dict[str, str], body: bytes) -> None:
        from openapi_core.datatypes import RequestParameters
        from werkzeug.datastructures import Headers, ImmutableMultiDict

        self.host_url = host_url
        self.path = path
        self.method = method.lower()
        self.body: bytes | None = body or None
        self.content_type = headers.get("content-type", "")
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(parse_qsl(query, keep_blank_values=True)),
            header=Headers(headers),
        )


class _Operation:
    """One operation of the document, for matching request paths and the raw query checks."""

    def __init__(self, spec: dict[str, Any], path: str, method: str, operation: dict[str, Any]) -> None:
        self.method = method.upper()
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path))
        self.path = re.compile(pattern)
        raw = [*spec["paths"][path].get("parameters", []), *operation.get("parameters", [])]
        self.query: dict[str, dict[str, Any]] = {}
        for parameter in raw:
            parameter = _resolve(spec, parameter)
            if parameter.get("in") == "query":
                self.query[parameter["name"]] = parameter
        self.spec = spec

    def raw_query_errors(self, query: str) -> list[str]:
        """What openapi-core does not check: how arrays and booleans are spelled on the wire."""
        errors: list[str] = []
        pairs = [part.split("=", 1) + [""] for part in query.split("&") if part] if query else []
        for name, parameter in self.query.items():
            schema = _resolve(self.spec, parameter.get("schema", {}))
            values = [value for key, value, *_ in pairs if key == name]
            if schema.get("type") == "boolean":
                errors += [f"{name} must be true or false, got {v!r}" for v in values if v not in ("true", "false")]
            if schema.get("type") != "array" or parameter.get("explode", True):
                continue
            if len(values) > 1:
                errors.append(f"{name} must be sent once, as a comma separated list (it was repeated)")
            for value in values:
                if "%2C" in value.upper():
                    errors.append(f"{name} must be joined by a literal comma, not %2C")
                elif " " in value or "+" in value or "%20" in value:
                    errors.append(f"{name} must not contain spaces")
                else:
                    listed = _resolve(self.spec, schema.get("items", {})).get("enum")
                    unknown = [item for item in value.split(",") if listed is not None and item not in map(str, listed)]
                    if unknown:
                        errors.append(f"unknown {name} {unknown}; allowed: {', '.join(map(str, listed or []))}")
        return errors


def _resolve(spec: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = spec
        for part in node["$ref"][2:].split("/"):
            target = target[part]
        node = target
    return node


class LocalServer:
    """A threaded HTTP/1.1 server on 127.0.0.1 and a free port, serving the API of an OpenAPI document.

    Args:
        participant: the GetParticipantDetails 200 body to serve (default: the document's example).
        spec: the document to validate requests against (default: ours). For another document the server answers
            scripted responses only (an unscripted valid request gets 200 ``{}``).
        validate: check requests against the document (turn off only to measure the client, as the benchmark does).
        prefix: where the API's paths start (Cloudflare's is /client/v4; "" serves them at the root).
    """

    def __init__(
        self,
        participant: Any = None,
        *,
        spec: Path = SPEC,
        validate: bool = True,
        port: int = 0,
        prefix: str = PREFIX,
    ) -> None:
        self.prefix = prefix
        self.spec_path = spec
        document = load_spec(spec)
        self._operations = [
            _Operation(document, path, method, operation)
            for path, item in document["paths"].items()
            for method, operation in item.items()
            if method in ("get", "put", "post", "delete", "patch", "head", "options")
        ]
        default = participant if participant is not None else (example_participant() if spec == SPEC else {})
        self.participant_body, _ = _encode_body(default)
        self.validate = validate
        self.requests: list[RecordedRequest] = []
        self._queue: collections.deque[ScriptedResponse] = collections.deque()
        self._lock = threading.Lock()
        self._ray = 0
        self._httpd = _QuietServer(("127.0.0.1", port), _make_handler(self))
        self.port: int = self._httpd.server_address[1]
        self._thread: threading.Thread | None = None
        self.sessions: dict[str, list[dict[str, Any]]] = {}
        """Participant rows (with peer_events) per session id, besides the demo session (set_session)."""
        self._openapi: Any = None
        if validate:
            from openapi_core import Config, OpenAPI

            document["servers"] = [{"url": f"http://127.0.0.1:{self.port}{prefix}"}]
            # JSON under other media types (application/merge-patch+json...) is JSON: openapi-core reads only the
            # ones it knows, and would check the raw bytes against the schema.
            json_types = {
                media_type
                for path_item in document.get("paths", {}).values()
                for operation in path_item.values()
                if isinstance(operation, dict)
                for media_type in ((operation.get("requestBody") or {}).get("content") or {})
                if media_type.split(";")[0].strip().endswith("+json")
            }
            config = Config(extra_media_type_deserializers=dict.fromkeys(json_types, json.loads))
            self._openapi = OpenAPI.from_dict(document, config=config)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.prefix}"

    def start(self) -> LocalServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="local-server", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def enqueue(
        self,
        status: int = 200,
        body: Any = None,
        *,
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
        drop: bool = False,
    ) -> None:
        """Answer the next valid request with this response (FIFO). A dict or list body is sent as JSON,
        bytes as they are, a str as text (HTML when it starts with "<")."""
        if body is None:
            raw, content_type = (
                (b"", "application/json") if status != 200 else (self.participant_body, "application/json")
            )
        else:
            raw, content_type = _encode_body(body)
        all_headers = {"Content-Type": content_type, **(headers or {})}
        with self._lock:
            self._queue.append(ScriptedResponse(status, raw, all_headers, delay, drop))

    def reset(self) -> None:
        """Forget recorded requests, pending scripted responses and sessions set by tests."""
        with self._lock:
            self.requests.clear()
            self._queue.clear()
            self.sessions.clear()

    def set_session(self, session_id: str, participants: list[dict[str, Any]]) -> None:
        """Serve these participant rows (GetSessionParticipants bodies' items) for session_id."""
        with self._lock:
            self.sessions[session_id] = participants

    @property
    def last_request(self) -> RecordedRequest:
        return self.requests[-1]

    # -- what the handler calls ----------------------------------------------------------------------------------

    def _check(self, method: str, path: str, query: str, headers: dict[str, str], body: bytes) -> tuple[int, list[str]]:
        """(status, errors) for a request; errors is empty when it is valid."""
        if not path.startswith(self.prefix + "/"):
            return 404, [f"no route for {path}"]
        auth = headers.get("authorization", "")
        if not auth.startswith("Bearer ") or not auth[len("Bearer ") :].strip():
            return 401, ["missing or malformed bearer token"]
        route = path[len(self.prefix) :]
        operation = next((o for o in self._operations if o.method == method and o.path.fullmatch(route)), None)
        if operation is None:
            return 404, [f"no operation for {method} {route}"]
        errors = operation.raw_query_errors(query)
        if self._openapi is not None:
            request = _OpenAPIRequest(f"http://127.0.0.1:{self.port}", method, path, query, headers, body)
            for error in self._openapi.iter_request_errors(request):
                cause = getattr(error, "__cause__", None)
                errors.append(f"{error}" + (f": {cause}" if cause else ""))
        return 400, errors

    def _answer(self, path: str, query: str) -> tuple[int, bytes]:
        """(status, body) of the operation a valid request addresses, when no response was scripted."""
        if self.spec_path != SPEC:
            return 200, self.participant_body
        route = _route(path[len(self.prefix) :])
        params = dict(parse_qsl(query, keep_blank_values=True))
        peer_events = params.get("include_peer_events") == "true"
        if route is None or route[0] == "details":
            return 200, self.participant_body
        kind, ident = route
        if kind == "peer_report":
            try:
                return 200, _peer_report_body(ident, peer_events)
            except KeyError:
                return 404, json.dumps(realtimekit_error(404, "Peer not found")).encode()
        with self._lock:
            rows = self.sessions.get(ident)
        if rows is None and ident == sessions.SESSION_ID:
            rows = sessions.session_participants(ident)
        if rows is None:
            return 404, json.dumps(realtimekit_error(404, "Session not found")).encode()
        page_no = max(1, int(float(params.get("page_no", "1"))))
        per_page = int(params.get("per_page", "20"))
        search = params.get("search", "").casefold()
        if search:
            fields = ("id", "custom_participant_id", "display_name")
            rows = [row for row in rows if any(search in str(row.get(key, "")).casefold() for key in fields)]
        if params.get("sort_by"):
            key = "joined_at" if params["sort_by"] == "joinedAt" else "duration"
            rows = sorted(rows, key=lambda row: row[key], reverse=params.get("sort_order") == "DESC")
        elif params.get("sort_order") == "DESC":
            rows = rows[::-1]
        page = rows[(page_no - 1) * per_page : page_no * per_page]
        if not peer_events:
            page = [{key: value for key, value in row.items() if key != "peer_events"} for row in page]
        return 200, json.dumps({"success": True, "data": {"participants": page}}).encode()

    def _respond(
        self, method: str, target: str, request_line: str, headers: dict[str, str], body: bytes
    ) -> ScriptedResponse:
        split = urlsplit(target)
        recorded = RecordedRequest(method, request_line, target, split.path, split.query, headers, body)
        status, errors = self._check(method, split.path, split.query, headers, body)
        recorded.errors = errors
        with self._lock:
            self.requests.append(recorded)
            self._ray += 1
            ray = f"{self._ray:016x}-LCL"
            scripted = self._queue.popleft() if not errors and self._queue else None
        if errors:
            refusal = (
                cloudflare_error(10000, "Authentication error")
                if status == 401
                else realtimekit_error(status, "; ".join(errors))
            )
            raw, content_type = _encode_body(refusal)
            return ScriptedResponse(status, raw, {"Content-Type": content_type, "cf-ray": ray})
        if scripted is None:
            status, answer = self._answer(split.path, split.query)
            return ScriptedResponse(status, answer, {"Content-Type": "application/json", "cf-ray": ray})
        scripted.headers.setdefault("cf-ray", ray)
        return scripted


_ROUTES = [
    ("details", re.compile(r"/accounts/[^/]+/realtime/kit/[^/]+/sessions/[^/]+/participants/([^/]+)")),
    ("peer_report", re.compile(r"/accounts/[^/]+/realtime/kit/[^/]+/sessions/peer-report/([^/]+)")),
    ("participants", re.compile(r"/accounts/[^/]+/realtime/kit/[^/]+/sessions/([^/]+)/participants")),
]


def _route(path: str) -> tuple[str, str] | None:
    """(operation, its last id) for a path under the prefix, or None when no operation is there."""
    for kind, pattern in _ROUTES:
        match = pattern.fullmatch(path)
        if match:
            return kind, match.group(1)
    return None


@functools.lru_cache(maxsize=128)
def _peer_report_body(peer_id: str, include_peer_events: bool) -> bytes:
    return json.dumps(sessions.peer_report(peer_id, include_peer_events=include_peer_events)).encode()


def _make_handler(server: LocalServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, like the real API
        disable_nagle_algorithm = True  # headers and body go in separate writes: without this each costs ~40 ms

        def do_GET(self) -> None:
            headers = {name.lower(): value for name, value in self.headers.items()}
            length = int(headers.get("content-length", "0") or "0")
            body = self.rfile.read(length) if length > 0 else b""
            response = server._respond(self.command, self.path, self.requestline, headers, body)
            if response.delay:
                time.sleep(response.delay)
            if response.drop:
                self.close_connection = True
                self.connection.close()
                return
            self.send_response(response.status)
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            self.wfile.write(response.body)

        do_POST = do_PUT = do_DELETE = do_PATCH = do_GET

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet; tests read .requests
            pass

    return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve the example participant on 127.0.0.1 (Ctrl-C stops).")
    parser.add_argument("--port", type=int, default=8787)
    parser.add_argument("--participant", type=Path, help="JSON file with the 200 body to serve")
    args = parser.parse_args()
    participant = json.loads(args.participant.read_text(encoding="utf-8")) if args.participant else None
    with LocalServer(copy.deepcopy(participant), port=args.port) as server:
        print(f"serving on {server.base_url} (any bearer token)", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
