"""A fault-injection HTTP/1.1 server on 127.0.0.1: real sockets, scripted misbehaviour, counted connections.

The stand-in (``server.py``) plays the API faithfully; this one plays a broken network or a broken server, so the
hardening tests can show what the client does with each failure over real HTTP:

* ``reply(status, body, headers=...)`` sends exactly these bytes (a corrupt gzip body, a redirect, an odd
  ``Retry-After``, ``success: false`` with 200...); header values are sent as given, latin-1 encoded;
* ``drop()`` closes the connection once the request has arrived, without answering;
* ``hold(seconds)`` keeps the connection open that long before answering (a read timeout on the client);
* ``raw(data)`` writes bytes that need not be HTTP at all, then closes (protocol errors).

Unscripted requests get a small valid participant. Every request is recorded with its header lines as they
arrived (duplicates kept, so a test can count them), and every connection is counted when it opens and when it
ends, so a test can see how many pools a client opened and whether ``close()`` left any socket open.

    with FaultServer() as faults:
        faults.reply(302, headers={"Location": "https://elsewhere.example/"})
        ...  # call faults.base_url
        faults.requests[-1].header_values("authorization")
        faults.wait_until_all_closed()
"""

from __future__ import annotations

import collections
import json
import socket
import socketserver
import threading
import time
from dataclasses import dataclass, field
from typing import Any

PREFIX = "/client/v4"
PARTICIPANT = {"success": True, "data": {"participant": {"id": "p-1", "display_name": "Fault Server"}}}


@dataclass
class SeenRequest:
    """One request as it arrived."""

    method: str
    target: str
    headers: list[tuple[str, str]]  # in order, names as sent, duplicates kept
    body: bytes
    connection: int  # which connection (1, 2, ... in order of arrival) carried it

    def header_values(self, name: str) -> list[str]:
        """Every value sent under this header name (compared case-insensitively)."""
        return [value for key, value in self.headers if key.lower() == name.lower()]


@dataclass
class _Fault:
    status: int = 200
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)
    hold: float = 0.0
    drop: bool = False
    raw: bytes | None = None


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


class FaultServer:
    """Start with ``with FaultServer() as faults:`` (or start()/stop()); ``base_url`` ends in /client/v4."""

    def __init__(self) -> None:
        self.requests: list[SeenRequest] = []
        self._queue: collections.deque[_Fault] = collections.deque()
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._opened = 0
        self._live: dict[int, socket.socket] = {}
        self._server = _Server(("127.0.0.1", 0), _handler(self))
        self.port: int = self._server.server_address[1]
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{PREFIX}"

    def start(self) -> FaultServer:
        # A short poll interval: shutdown() waits up to one interval, and tests start and stop a server each.
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.02,), name="fault-server", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        with self._lock:
            live = list(self._live.values())
        for sock in live:  # unblock handler threads still waiting on a client that never closed
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- scripting -------------------------------------------------------------------------------------------------

    def reply(self, status: int = 200, body: Any = None, *, headers: dict[str, str] | None = None) -> None:
        """Answer the next request with this status, headers and body (a dict or list is sent as JSON, a str as
        UTF-8 text, bytes as they are; no body at all when None and the status is not 200)."""
        if body is None:
            body = PARTICIPANT if status == 200 else b""
        raw = body if isinstance(body, bytes) else body.encode() if isinstance(body, str) else json.dumps(body).encode()
        pairs = list((headers or {}).items())
        if not any(name.lower() == "content-type" for name, _ in pairs):
            pairs.append(("Content-Type", "application/json"))
        self._push(_Fault(status=status, body=raw, headers=pairs))

    def drop(self) -> None:
        """Close the next request's connection without answering."""
        self._push(_Fault(drop=True))

    def hold(self, seconds: float) -> None:
        """Answer the next request (with the participant) only after this many seconds."""
        self._push(_Fault(body=json.dumps(PARTICIPANT).encode(), hold=seconds))

    def raw(self, data: bytes) -> None:
        """Write these bytes in answer to the next request, then close the connection."""
        self._push(_Fault(raw=data))

    def _push(self, fault: _Fault) -> None:
        with self._lock:
            self._queue.append(fault)

    # -- what happened ---------------------------------------------------------------------------------------------

    @property
    def connections_opened(self) -> int:
        with self._lock:
            return self._opened

    @property
    def open_connections(self) -> int:
        with self._lock:
            return len(self._live)

    def wait_until_all_closed(self, timeout: float = 10.0) -> int:
        """Wait until every connection has ended (the client closed it, or we did); return how many are still
        open when the wait ends (0 when all closed). Closing is asynchronous: the server sees the client's FIN a
        moment after close() returns."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while self._live and time.monotonic() < deadline:
                self._changed.wait(deadline - time.monotonic())
            return len(self._live)

    # -- what the handler calls ------------------------------------------------------------------------------------

    def _connected(self, sock: socket.socket) -> int:
        with self._changed:
            self._opened += 1
            self._live[self._opened] = sock
            self._changed.notify_all()
            return self._opened

    def _disconnected(self, number: int) -> None:
        with self._changed:
            self._live.pop(number, None)
            self._changed.notify_all()

    def _next(self, request: SeenRequest) -> _Fault:
        with self._lock:
            self.requests.append(request)
            if self._queue:
                return self._queue.popleft()
        return _Fault(body=json.dumps(PARTICIPANT).encode(), headers=[("Content-Type", "application/json")])


def _handler(server: FaultServer) -> type[socketserver.StreamRequestHandler]:
    class Handler(socketserver.StreamRequestHandler):
        disable_nagle_algorithm = True

        def handle(self) -> None:
            number = server._connected(self.connection)
            try:
                while self._one_request(number):
                    pass
            except OSError:  # the client hung up mid-exchange (a timeout test): expected
                pass
            finally:
                server._disconnected(number)

        def _one_request(self, number: int) -> bool:
            """Serve one request; False when the connection is over."""
            line = self.rfile.readline(65537)
            if not line:
                return False  # the client closed the connection
            method, target, _ = line.decode("latin-1").split(" ", 2)
            headers: list[tuple[str, str]] = []
            while (header := self.rfile.readline(65537)) not in (b"\r\n", b"\n", b""):
                name, _, value = header.decode("latin-1").partition(":")
                headers.append((name.strip(), value.strip()))
            length = int(next((v for k, v in headers if k.lower() == "content-length"), "0"))
            body = self.rfile.read(length) if length else b""
            fault = server._next(SeenRequest(method, target, headers, body, number))
            if fault.hold:
                time.sleep(fault.hold)
            if fault.drop:
                return False
            if fault.raw is not None:
                self.wfile.write(fault.raw)
                return False
            head = [f"HTTP/1.1 {fault.status} Fault"]
            head += [f"{name}: {value}" for name, value in fault.headers]
            head.append(f"Content-Length: {len(fault.body)}")
            self.wfile.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + fault.body)
            return True

    return Handler
