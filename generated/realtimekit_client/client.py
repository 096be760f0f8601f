# Copied from scripts/generator/runtime/client.py by scripts/generator. DO NOT EDIT: change that file and run `make generate`.
"""The API client and the send layer every operation goes through: defaults, pools, retries, per-call options, SDK
errors.

Why this replaces openapi-python-client's stock client: the stock one has no default base URL and no timeout, shows
the token in its repr, hands one set of httpx_args (a sync transport included) to both the sync and the async
httpx client, mutates the original when making copies, and never retries.

Why our own retry loop and not a library (evaluated 2026):

- httpx-retries (a transport) builds ``http.HTTPStatus()`` from its status list, so 520-527 cannot be listed; it
  clamps a long Retry-After to its cap instead of ignoring it, has no retry-after-ms, waits 0 s before the first
  retry, uses full jitter rather than "up to 25 %", and fixes max_retries per transport instance.
- stamina (tenacity underneath) retries on exceptions around a callable, so statuses must be turned into
  exceptions and back; its jitter is additive, and it adds two dependencies and a 45 s total-time default.
- A transport wrapper of our own would make httpx ignore proxy environment variables (httpx reads them only when
  no transport is given) and would not cover a pool set with set_httpx_client().

So the loop sits in ``send()`` / ``async_send()`` below, above whatever transport is used.

Why the connection pools carry no per-client setting: a client and the copies made from it (``with_headers()``,
``with_timeout()``...) share one pool, so everything that differs between them (headers, the token, cookies, the
timeout, the retry budget) goes with each request instead. That is also how a pool the caller hands over with
``set_httpx_client()`` still sends our Authorization and User-Agent headers.

Everything that can go wrong once an operation's arguments are accepted leaves ``send()`` as a RealtimeKitError
with the original exception as ``__cause__``; redirects are never followed (see ``follow_redirects``).
"""

from __future__ import annotations

import datetime
import email.utils
import functools
import logging
import math
import os
import random
import ssl
import string
import sys
import threading
import time
import weakref
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Self
from urllib.parse import quote

import httpx
from attrs import define, evolve, field, frozen

from . import errors
from ._request import check_unicode
from .types import UNSET, Unset

if TYPE_CHECKING:
    import asyncio

DEFAULT_BASE_URL = "https://api.cloudflare.com/client/v4"
"""Where requests go when neither ``base_url=`` nor the ``CLOUDFLARE_BASE_URL`` environment variable says otherwise."""
BASE_URL_ENV = "CLOUDFLARE_BASE_URL"
TOKEN_ENV = "CLOUDFLARE_API_TOKEN"
DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=5.0)
"""Connect 5 s; read, write and pool 60 s (as Cloudflare's official SDK)."""
DEFAULT_MAX_RETRIES = 2
INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
MAX_RETRY_AFTER = 60.0
"""A ``Retry-After`` / ``retry-after-ms`` above this many seconds is ignored in favour of the backoff."""
RETRY_STATUSES = frozenset({408, 409, 429})
"""Retried besides every 5xx (for methods that are safe to repeat)."""
UNSAFE_METHODS = frozenset({"POST", "PATCH"})
"""Methods that are not safe to repeat: retried only when the server cannot have processed the request."""
UNSAFE_RETRY_STATUSES = frozenset({429, 503})
"""Statuses with which a server says it did not process the request (rate limited, unavailable)."""

logger = logging.getLogger(__package__ or __name__)  # the package's own name: a vendored copy logs under its name


def _default_base_url() -> str:
    return os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL


def _token_from_env() -> str:
    token = os.environ.get(TOKEN_ENV)
    if not token:
        raise errors.RealtimeKitError(
            f"no API token: pass AuthenticatedClient(token=...) or set the {TOKEN_ENV} environment variable"
        )
    return token


# -- Checks: every option is checked when the client is built, per-call options when the call is made -------------

# RFC 9110 "token": what a header name, and an auth scheme such as "Bearer", may consist of.
_TOKEN_CHARS = frozenset("!#$%&'*+-.^_`|~" + string.ascii_letters + string.digits)
# RFC 6265 cookie-octet: printable ASCII but for space, '"', ',', ';' and '\'.
_COOKIE_CHARS = frozenset(chr(c) for c in range(0x21, 0x7F)) - frozenset('",;\\')


def _is_http_token(text: str) -> bool:
    return bool(text) and all(c in _TOKEN_CHARS for c in text)


def _check_token(instance: Any, attribute: Any, value: Any) -> None:
    # Never echo the value: it is a secret.
    if not isinstance(value, str):
        raise TypeError(f"token must be a str, got {type(value).__name__}")
    # An HTTP header carries ASCII only: anything else would fail inside httpx with the token in the exception.
    if not value or not value.isascii() or not value.isprintable() or any(c.isspace() for c in value):
        raise ValueError("token must be non-empty ASCII, without whitespace or control characters (value not shown)")
    errors.keep_secret(value)  # a server may echo it in an error message: never shown (also on a later assignment)


def _check_http_token(instance: Any, attribute: Any, value: Any) -> None:
    """prefix (may be empty) and auth_header_name: one word of HTTP token characters. The value is not echoed: the
    option goes into the header that carries the token, so a misplaced token could be in it."""
    name = attribute.name
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {type(value).__name__}")
    if name == "prefix" and value == "":
        return
    bad = next((c for c in value if c not in _TOKEN_CHARS), None) if value else ""
    if bad is not None:
        what = f"contains {bad!r}" if bad else "is empty"
        raise ValueError(
            f"{name} must be one word of letters, digits and !#$%&'*+-.^_`|~ (such as 'Bearer'); it {what}"
            " (value not shown)"
        )


def _check_base_url(instance: Any, attribute: Any, value: Any) -> None:
    """Only an absolute http(s) URL with a host and nothing a request path could be confused with."""
    if not isinstance(value, str):
        raise TypeError(f"base_url must be a str, got {type(value).__name__}")
    try:
        url = httpx.URL(value)
    except (TypeError, httpx.InvalidURL) as error:
        raise ValueError(f"base_url is not a valid URL: {value!r} ({error})") from None
    if url.scheme not in ("http", "https"):
        raise ValueError(f"base_url must start with http:// or https://, got {value!r}")
    if not url.host:
        raise ValueError(f"base_url has no host: {value!r}")
    # A password in the URL would end up in reprs, logs and error messages: it is never echoed.
    if url.userinfo:
        raise ValueError("base_url must not contain a user name or password (value not shown); use token= instead")
    if url.query or "?" in value:
        raise ValueError(f"base_url must not have a query string, got {value!r}")
    if url.fragment or "#" in value:
        raise ValueError(f"base_url must not have a fragment, got {value!r}")


def _check_follow_redirects(instance: Any, attribute: Any, value: Any) -> None:
    # Kept as an argument so that code written for the stock client still runs with False; True is refused rather
    # than ignored, so nobody believes redirects are followed.
    if value is not False:
        raise ValueError(
            "follow_redirects must be False: the SDK never follows a redirect, so the token cannot travel to the"
            " Location it names (a 3xx raises APIStatusError naming the Location)"
        )


# httpx_args the client decides itself: passing them would clash with its own arguments or undo what it guarantees.
_RESERVED_HTTPX_ARGS = {
    "base_url": "use base_url=",
    "headers": "use headers=",
    "cookies": "use cookies=",
    "timeout": "use timeout=",
    "verify": "use verify_ssl=",
    "auth": "the token is sent by the client (token=, prefix=, auth_header_name=)",
    "params": "use the operation's arguments or extra_query=",
    "follow_redirects": "the SDK never follows redirects",
}


@functools.cache
def _httpx_client_arguments() -> frozenset[str]:
    import inspect  # noqa: PLC0415 - only when httpx_args are given

    sync = inspect.signature(httpx.Client).parameters
    return frozenset(name for name in inspect.signature(httpx.AsyncClient).parameters if name in sync)


def _check_httpx_args(instance: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, Mapping):
        raise TypeError(f"httpx_args must be a mapping of httpx.Client arguments, got {type(value).__name__}")
    for key in value:
        if key in _RESERVED_HTTPX_ARGS:
            raise ValueError(f"httpx_args must not set {key!r}: {_RESERVED_HTTPX_ARGS[key]}")
        if key not in _httpx_client_arguments():
            raise TypeError(f"httpx_args has {key!r}, which is not an argument of httpx.Client and httpx.AsyncClient")


def _check_verify_ssl(instance: Any, attribute: Any, value: Any) -> None:
    if isinstance(value, (bool, ssl.SSLContext)):
        return
    if not isinstance(value, str):
        raise TypeError(f"verify_ssl must be a bool, an ssl.SSLContext or a CA bundle's path, got {value!r}")
    if not os.path.exists(value):
        raise ValueError(f"verify_ssl names a CA bundle that does not exist: {value!r}")


def _check_transport(instance: Any, attribute: Any, value: Any) -> None:
    wanted = httpx.AsyncBaseTransport if attribute.alias == "async_transport" else httpx.BaseTransport
    if value is not None and not isinstance(value, wanted):
        raise TypeError(f"{attribute.alias} must be an {wanted.__module__}.{wanted.__name__}, got {value!r}")


def url_prefix(base_url: str) -> str:
    """The base URL with its path ending in exactly one ``/``: an operation path (without its leading ``/``) is
    appended to it, so the request stays on the base URL's scheme, host and port and keeps its path
    (``https://h``, ``https://h/``, ``https://h/client/v4`` and ``https://h/client/v4/`` all work)."""
    url = httpx.URL(base_url)
    return str(url.copy_with(raw_path=url.raw_path.rstrip(b"/") + b"/"))


def check_max_retries(name: str, value: object) -> int:
    """``value`` as a retry budget, or ValueError/TypeError naming the option."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{name} must be an int >= 0 (0 turns retries off), got {value!r}")
    return value


MAX_TIMEOUT = 365 * 24 * 3600.0
"""The longest timeout accepted (a year): past what the platform's clock arithmetic takes, sockets fail with
OverflowError in the middle of a call."""


def _check_seconds(name: str, value: object) -> float:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise TypeError(f"{name} must be seconds (a number), an httpx.Timeout or None, got {value!r}")
    # Compared before any float conversion: an int too large for a float is simply too long.
    if not (0 < value <= MAX_TIMEOUT):
        shown = repr(value)
        shown = shown if len(shown) <= 40 else shown[:37] + "..."
        raise ValueError(f"{name} must be a positive number of seconds, at most {MAX_TIMEOUT:.0f}, got {shown}")
    return float(value)


def check_timeout(name: str, value: object) -> httpx.Timeout | float | None:
    """``value`` as a timeout (seconds, an ``httpx.Timeout``, or None to wait forever), or ValueError/TypeError.
    Each part of an ``httpx.Timeout`` (connect, read, write, pool) is checked like a number of seconds."""
    if value is None:
        return value
    if isinstance(value, httpx.Timeout):
        for part in ("connect", "read", "write", "pool"):
            seconds = getattr(value, part)
            if seconds is not None:
                _check_seconds(f"{name}.{part}", seconds)
        return value
    return _check_seconds(name, value)


def check_headers(name: str, value: object) -> dict[str, str]:
    """``value`` as HTTP headers (str to str, no control characters), or ValueError/TypeError naming the header.
    Names differing only in case are one header: the last one given wins (HTTP header names are case-insensitive)."""
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a mapping of header names to values, got {type(value).__name__}")
    checked: dict[str, tuple[str, str]] = {}
    for key, item in value.items():
        if not isinstance(key, str) or not isinstance(item, str):
            raise TypeError(f"{name} must map str to str, got {key!r}: {type(item).__name__}")
        if not _is_http_token(key):
            raise ValueError(f"{name} has an invalid header name {key!r}")
        if not item.isascii() or not item.isprintable():
            # The value may be a credential: it is not shown.
            raise ValueError(f"{name}[{key!r}] must be printable ASCII without control characters (value not shown)")
        checked.pop(key.lower(), None)
        checked[key.lower()] = (key, item)
        if _is_credential(key):
            _keep_credential(item)
    return dict(checked.values())


def _is_credential(header: str) -> bool:
    """A header that carries a secret, by its name (Authorization, X-Auth-Key, X-API-Token, Cookie...)."""
    name = header.lower()
    return name in ("cookie", "proxy-authorization") or any(word in name for word in ("auth", "token", "key", "secret"))


def _keep_credential(value: str) -> None:
    """Hide a credential from error messages, with and without its scheme (``Bearer <token>``: a server may echo
    either)."""
    errors.keep_secret(value)
    scheme, _, credential = value.partition(" ")
    if credential:
        errors.keep_secret(credential.strip())


def check_query(name: str, value: object) -> dict[str, str]:
    """``value`` as extra query parameters (str to str), or ValueError/TypeError naming the parameter."""
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a mapping of parameter names to str values, got {type(value).__name__}")
    checked: dict[str, str] = {}
    for key, item in value.items():
        if not isinstance(key, str) or not key or not isinstance(item, str):
            raise TypeError(f"{name} must map non-empty str names to str values, got {key!r}: {item!r}")
        check_unicode(f"{name} name", key)
        check_unicode(f"{name}[{key!r}]", item)
        checked[key] = item
    return checked


def _headers_option(value: Mapping[str, str]) -> dict[str, str]:
    return check_headers("headers", value)


def _cookies_option(value: Mapping[str, str]) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise TypeError(f"cookies must be a mapping of cookie names to values, got {type(value).__name__}")
    for key, item in value.items():
        if not isinstance(key, str) or not isinstance(item, str):
            raise TypeError(f"cookies must map str to str, got {key!r}: {type(item).__name__}")
        if not _is_http_token(key) or not all(c in _COOKIE_CHARS for c in item):
            # Values may be session secrets: not shown.
            raise ValueError(f"cookies[{key!r}] is not a valid cookie (RFC 6265 name and value; value not shown)")
        errors.keep_secret(item)  # cookie values may be session secrets
    return dict(value)


def _timeout_option(value: httpx.Timeout | float | None) -> httpx.Timeout | float | None:
    return check_timeout("timeout", value)


def _check_max_retries(instance: Any, attribute: Any, value: Any) -> None:
    check_max_retries("max_retries", value)


def _mask_headers(headers: Mapping[str, str]) -> str:
    """repr of the caller's headers with credentials masked (for the clients' repr)."""
    return repr({name: "[secure]" if _is_credential(name) else value for name, value in headers.items()})


def _mask_values(values: Mapping[str, str]) -> str:
    """repr of cookies: names only, values may be session secrets."""
    return repr(dict.fromkeys(values, "[secure]"))


@functools.cache
def _user_agent() -> str:
    from . import __version__  # here, not at the top: the package imports this module while it initialises

    return (
        f"realtimekit-client/{__version__} httpx/{httpx.__version__} python/{'.'.join(map(str, sys.version_info[:3]))}"
    )


def _pool_error(exc: Exception) -> errors.RealtimeKitError:
    return errors.RealtimeKitError(
        f"cannot open a connection pool with this client's verify_ssl and httpx_args: {type(exc).__name__}: "
        + errors.one_line(str(exc), 200)
    )


def _split_httpx_args(httpx_args: Mapping[str, Any], *, for_async: bool) -> dict[str, Any]:
    """httpx_args for one of the two httpx clients: a transport (or mount) that only the other kind of client can
    drive is left out instead of breaking every call of that kind."""
    wanted: type[Any] = httpx.AsyncBaseTransport if for_async else httpx.BaseTransport
    args = dict(httpx_args)
    if "transport" in args and not isinstance(args["transport"], wanted):
        del args["transport"]
    if isinstance(args.get("mounts"), Mapping):
        args["mounts"] = {k: v for k, v in args["mounts"].items() if v is None or isinstance(v, wanted)}
    if isinstance(args.get("event_hooks"), Mapping):
        args["event_hooks"] = {
            event: [hook for hook in (_hook_for(each, for_async) for each in hooks) if hook is not None]
            for event, hooks in args["event_hooks"].items()
        }
    return args


def _hook_for(hook: Callable[..., Any], for_async: bool) -> Callable[..., Any] | None:
    """An event hook as one kind of httpx client can call it: the async client awaits its hooks, so a plain function
    is wrapped there (it runs for sync and async calls alike); a coroutine function cannot run in the sync client,
    so it is left out there (it runs for async calls only)."""
    import inspect  # noqa: PLC0415 - only when event hooks are given

    if inspect.iscoroutinefunction(hook):
        return hook if for_async else None
    if not for_async:
        return hook

    async def call(event: Any) -> None:
        hook(event)

    return call


# -- Connection pools ----------------------------------------------------------------------------------------------


def _running_loop() -> asyncio.AbstractEventLoop | None:
    """The running asyncio event loop; None outside one (another async library: one pool, as httpx itself does)."""
    aio = sys.modules.get("asyncio")  # not imported at start-up: when nobody has imported it, no asyncio loop runs
    if aio is None:
        return None
    try:
        loop: asyncio.AbstractEventLoop = aio.get_running_loop()
    except RuntimeError:
        return None
    return loop


_EVERY_POOLS: weakref.WeakSet[_Pools] = weakref.WeakSet()
"""Every client's pools (and their copies'), for _forget_pools_after_fork."""


def _forget_pools_after_fork() -> None:
    for pools in list(_EVERY_POOLS):
        pools.forget_after_fork()


if hasattr(os, "register_at_fork"):  # not on Windows, which has no fork()
    os.register_at_fork(after_in_child=_forget_pools_after_fork)


class _Pools:
    """The connection pools of a client and of every copy made from it.

    One ``httpx.Client`` for sync calls, and one ``httpx.AsyncClient`` per event loop for async calls: an
    AsyncClient's connections belong to the loop that opened them, so a client used from a second loop (a second
    ``asyncio.run()``, another thread's loop) gets a pool of its own there instead of failing. Each pool is opened
    on first use, under a lock, so threads making their first call at once share one. A pool given with
    ``set_httpx_client()`` / ``set_async_httpx_client()`` is the caller's: used, never closed.

    A process made with ``fork()`` forgets the pools it inherited (see _forget_pools_after_fork): their connections
    are the parent's sockets, and two processes reading one socket get each other's responses.
    """

    def __init__(self, open_sync: Callable[[], httpx.Client], open_async: Callable[[], httpx.AsyncClient]) -> None:
        _EVERY_POOLS.add(self)
        self._lock = threading.Lock()
        self._open_sync = open_sync
        self._open_async = open_async
        self._closed = False
        self._sync: httpx.Client | None = None
        self._sync_given = False
        self._async: dict[asyncio.AbstractEventLoop | None, httpx.AsyncClient] = {}  # ours, by event loop
        self._async_given: httpx.AsyncClient | None = None

    def _check_open(self) -> None:
        if self._closed:
            raise errors.RealtimeKitError(
                "this client's connection pool is closed (the client it was copied from was closed):"
                " make a new AuthenticatedClient"
            )

    def sync(self) -> httpx.Client:
        with self._lock:
            self._check_open()
            if self._sync is None:
                self._sync = self._open_sync()
            pool = self._sync
        if self._sync_given and pool.is_closed:
            raise errors.RealtimeKitError("the httpx.Client given with set_httpx_client() is closed")
        return pool

    def async_(self) -> httpx.AsyncClient:
        loop = _running_loop()
        with self._lock:
            self._check_open()
            given = self._async_given
            pool = given if given is not None else self._async.get(loop)
            if pool is None:
                # Pools of loops that have ended can neither be used nor closed (their connections belong to a
                # closed loop): forget them; their sockets are closed when they are freed.
                for ended in [key for key in self._async if key is not None and key.is_closed()]:
                    del self._async[ended]
                pool = self._async[loop] = self._open_async()
        if given is not None and pool.is_closed:
            raise errors.RealtimeKitError("the httpx.AsyncClient given with set_async_httpx_client() is closed")
        return pool

    def forget_after_fork(self) -> None:
        """In a child process: a new lock (the parent's may have been held by a thread that does not exist here),
        and no pool of ours (they are opened again on first use). The sockets are closed when the old pools are
        freed, which in the child leaves the parent's connections untouched. A pool given by the caller is the
        caller's to handle."""
        self._lock = threading.Lock()
        if not self._sync_given:
            self._sync = None
        self._async = {}

    def give_sync(self, pool: httpx.Client) -> None:
        if not isinstance(pool, httpx.Client):
            raise TypeError(f"set_httpx_client() takes an httpx.Client, got {type(pool).__name__}")
        with self._lock:
            ours = None if self._sync_given else self._sync
            self._sync, self._sync_given = pool, True
        if ours is not None:
            ours.close()

    def give_async(self, pool: httpx.AsyncClient) -> None:
        if not isinstance(pool, httpx.AsyncClient):
            raise TypeError(f"set_async_httpx_client() takes an httpx.AsyncClient, got {type(pool).__name__}")
        with self._lock:
            self._async_given = pool  # ours stay in self._async until aclose()

    def _take_ours(self) -> tuple[httpx.Client | None, dict[asyncio.AbstractEventLoop | None, httpx.AsyncClient]]:
        with self._lock:
            self._closed = True
            sync = None if self._sync_given else self._sync
            pools, self._async = self._async, {}
            self._sync = None
        return sync, pools

    def close(self) -> None:
        # Async pools cannot be closed from sync code (their connections belong to their event loop): they are
        # dropped, and their sockets closed when freed. aclose() closes the one of the running loop properly.
        sync, _ = self._take_ours()
        if sync is not None:
            sync.close()

    async def aclose(self) -> None:
        sync, pools = self._take_ours()
        if sync is not None:
            sync.close()
        loop = _running_loop()
        for key, pool in pools.items():
            if key is loop or key is None:
                await pool.aclose()


@define
class AuthenticatedClient:
    """A client for the RealtimeKit API: ``AuthenticatedClient(token="...")`` is enough.

    Every argument is keyword-only, optional, and checked here (ValueError or TypeError naming it; the token is
    never shown):

        ``token``: a Cloudflare API token with the "Realtime Admin" or "Realtime" permission; default
        ``$CLOUDFLARE_API_TOKEN``. It is sent as ``Authorization: Bearer <token>`` and never shown in a repr,
        log line or error message.

        ``base_url``: where the API is; default ``$CLOUDFLARE_BASE_URL`` or https://api.cloudflare.com/client/v4.
        With or without a path, with or without a trailing slash: operation paths are joined onto its path with
        one ``/``.

        ``timeout``: an ``httpx.Timeout`` or seconds (at most a year); default connect 5 s, read/write/pool 60 s.
        ``None`` waits forever. As in httpx, each limit applies to one step (connecting, each read or write of the
        socket, waiting for a pooled connection), not to the whole request: a server that keeps sending slowly is
        not cut off. A step that takes longer raises ``APITimeoutError`` (after the retries).

        ``max_retries``: how often a request is retried after 408, 409, 429, any 5xx, a connection error or a
        timeout (default 2; 0 turns retries off). POST and PATCH are retried only when the server cannot have
        processed them (connection refused, connect or pool timeout, 429, 503). ``with_max_retries(n)`` makes a
        copy.

        ``headers`` / ``cookies``: sent with every request. A header you give replaces the SDK's of the same name
        in any case (``User-Agent``, even ``Authorization``); exactly one of each goes out.

        ``verify_ssl``: whether to verify the server's TLS certificate (True in production).

        ``follow_redirects``: accepted for compatibility, and must be False. Redirects are never followed, so the
        token cannot travel to another host; a 3xx raises ``APIStatusError`` naming the Location.

        ``transport`` / ``async_transport``: an ``httpx.BaseTransport`` for the sync client and an
        ``httpx.AsyncBaseTransport`` for the async one (for example ``httpx.MockTransport``). Retries apply to
        both.

        ``httpx_args``: more arguments for the ``httpx.Client`` and ``httpx.AsyncClient`` constructors (limits,
        proxies, mounts...); a ``transport`` (or ``mounts`` entry) in it goes only to the client that can drive it.
        What the client decides itself (headers, timeout, auth, redirects...) is refused here.

    Connection pools are opened on first use and shared with every copy (``with_headers()``, ``with_timeout()``,
    ``with_options()``...). ``close()`` / ``with client:`` and ``await aclose()`` / ``async with client:`` close
    the pools the client opened; a closed client raises RealtimeKitError when used.
    """

    _base_url: str = field(factory=_default_base_url, kw_only=True, alias="base_url", validator=_check_base_url)
    _cookies: dict[str, str] = field(
        factory=dict, kw_only=True, alias="cookies", repr=_mask_values, converter=_cookies_option
    )
    _headers: dict[str, str] = field(
        factory=dict, kw_only=True, alias="headers", repr=_mask_headers, converter=_headers_option
    )
    _timeout: httpx.Timeout | float | None = field(
        default=DEFAULT_TIMEOUT, kw_only=True, alias="timeout", converter=_timeout_option
    )
    _verify_ssl: str | bool | ssl.SSLContext = field(
        default=True, kw_only=True, alias="verify_ssl", validator=_check_verify_ssl
    )
    _follow_redirects: bool = field(
        default=False, kw_only=True, alias="follow_redirects", validator=_check_follow_redirects
    )
    _transport: httpx.BaseTransport | None = field(
        default=None, kw_only=True, alias="transport", validator=_check_transport
    )
    _async_transport: httpx.AsyncBaseTransport | None = field(
        default=None, kw_only=True, alias="async_transport", validator=_check_transport
    )
    _httpx_args: dict[str, Any] = field(
        factory=dict, kw_only=True, alias="httpx_args", repr=False, validator=_check_httpx_args
    )
    max_retries: int = field(default=DEFAULT_MAX_RETRIES, kw_only=True, validator=_check_max_retries)
    """How many times a failed request is retried (408, 409, 429, 5xx, connection errors, timeouts). 0: never."""
    _url_prefix: str = field(init=False, repr=False)
    _pools: _Pools = field(init=False, repr=False)
    _is_copy: bool = field(default=False, init=False, repr=False)
    _closed: bool = field(default=False, init=False, repr=False)
    _header_cache: tuple[tuple[str, str, str], httpx.Headers] | None = field(
        default=None, init=False, repr=False, eq=False
    )
    """The headers of a call without extra headers, and the (token, prefix, auth_header_name) they were made for."""
    token: str = field(factory=_token_from_env, kw_only=True, repr=False, validator=_check_token)
    """The API token (from the CLOUDFLARE_API_TOKEN environment variable when not given). Never shown in repr."""
    prefix: str = field(default="Bearer", kw_only=True, validator=_check_http_token)
    """The prefix of the Authorization header's value (empty: the token alone)."""
    auth_header_name: str = field(default="Authorization", kw_only=True, validator=_check_http_token)
    """The name of the header that carries the token."""

    def __attrs_post_init__(self) -> None:
        # After the validators: base_url is known to be a plain absolute http(s) URL here.
        self._url_prefix = url_prefix(self._base_url)
        self._pools = _Pools(self._open_sync_pool, self._open_async_pool)

    # -- copies ------------------------------------------------------------------------------------------------

    def _copy(self, **changes: Any) -> Self:
        copy = evolve(self, **changes)
        copy._pools = self._pools  # shared: closing the copy leaves them open, closing this client closes them
        copy._is_copy = True
        return copy

    def with_headers(self, headers: Mapping[str, str]) -> Self:
        """A copy that also sends these headers (replacing this client's of the same name, in any case); it shares
        this client's connection pools. This client is left unchanged."""
        return self._copy(headers={**self._headers, **check_headers("headers", headers)})

    def with_cookies(self, cookies: Mapping[str, str]) -> Self:
        """A copy that also sends these cookies; it shares this client's connection pools."""
        return self._copy(cookies={**self._cookies, **_cookies_option(cookies)})

    def with_timeout(self, timeout: httpx.Timeout | float | None) -> Self:
        """A copy with another timeout; it shares this client's connection pools."""
        return self._copy(timeout=timeout)

    def with_max_retries(self, max_retries: int) -> Self:
        """A copy with another retry budget; it shares this client's connection pools."""
        return self._copy(max_retries=max_retries)

    def with_options(
        self, *, max_retries: int | None = None, timeout: httpx.Timeout | float | None | Unset = UNSET
    ) -> Self:
        """A copy with other settings (an argument not given keeps this client's value; ``timeout=None`` waits
        forever, as everywhere else); it shares this client's connection pools."""
        changes: dict[str, Any] = {}
        if max_retries is not None:
            changes["max_retries"] = max_retries
        if not isinstance(timeout, Unset):
            changes["timeout"] = timeout
        return self._copy(**changes)

    def __copy__(self) -> Self:
        """copy.copy(): a copy made like with_options(), sharing the pools; closing it leaves them open."""
        return self._copy()

    def __deepcopy__(self, memo: dict[int, Any]) -> Self:
        raise TypeError(
            "an AuthenticatedClient cannot be deep-copied: it holds open connections; use with_options() for a copy"
            " that shares them, or make a new client"
        )

    def __reduce__(self) -> Any:
        raise TypeError(
            "an AuthenticatedClient cannot be pickled: it holds open connections; pass its settings (base_url,"
            " timeout...) to the other process and make a client there"
        )

    # -- what every request carries ----------------------------------------------------------------------------

    def _request_headers(self, extra: Mapping[str, str] | None) -> httpx.Headers:
        """Ours, then the client's, then the call's: each replaces the earlier ones of the same name, in any case
        (httpx.Headers.update), so exactly one of each goes out.

        Without extra headers they are made once and reused (httpx copies them into each request): ~2 us a call.
        The token, its prefix and the header's name may be changed on the client, and are part of the cache key;
        headers and cookies are fixed at construction (the copies made with with_headers() have their own)."""
        key = (self.token, self.prefix, self.auth_header_name)
        if not extra and self._header_cache is not None and self._header_cache[0] == key:
            return self._header_cache[1]
        credential = f"{self.prefix} {self.token}" if self.prefix else self.token
        headers = httpx.Headers({"User-Agent": _user_agent(), self.auth_header_name: credential})
        if self._cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self._cookies.items())
        headers.update(self._headers)
        if extra:
            headers.update(extra)
        else:
            self._header_cache = (key, headers)
        return headers

    # -- the connection pools ----------------------------------------------------------------------------------

    def _open_sync_pool(self) -> httpx.Client:
        args = _split_httpx_args(self._httpx_args, for_async=False)
        if self._transport is not None:
            args["transport"] = self._transport
        try:
            return httpx.Client(verify=self._verify_ssl, **args)
        except Exception as exc:  # a value httpx refuses (httpx_args={"limits": "x"}, a CA bundle it cannot read)
            raise _pool_error(exc) from exc

    def _open_async_pool(self) -> httpx.AsyncClient:
        args = _split_httpx_args(self._httpx_args, for_async=True)
        if self._async_transport is not None:
            args["transport"] = self._async_transport
        try:
            return httpx.AsyncClient(verify=self._verify_ssl, **args)
        except Exception as exc:
            raise _pool_error(exc) from exc

    def _check_open(self) -> None:
        if self._closed:
            raise errors.RealtimeKitError("this AuthenticatedClient is closed: make a new one")

    def set_httpx_client(self, client: httpx.Client) -> Self:
        """Send sync calls through this httpx.Client (this client's and its copies'). Our headers (Authorization,
        User-Agent), timeout, retries and errors still apply; it is yours to close. A pool this client had
        opened is closed."""
        self._pools.give_sync(client)
        return self

    def get_httpx_client(self) -> httpx.Client:
        """The httpx.Client sync calls go through, opened on first use. It carries no headers of its own: they go
        with each request."""
        self._check_open()
        return self._pools.sync()

    def set_async_httpx_client(self, async_client: httpx.AsyncClient) -> Self:
        """Send async calls through this httpx.AsyncClient (yours to manage and close; like any AsyncClient it
        belongs to the event loop it first ran in). Our headers, timeout, retries and errors still apply."""
        self._pools.give_async(async_client)
        return self

    def get_async_httpx_client(self) -> httpx.AsyncClient:
        """The httpx.AsyncClient async calls in the running event loop go through, opened on first use."""
        self._check_open()
        return self._pools.async_()

    # -- closing -----------------------------------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection pools this client opened, and refuse further calls. A copy closes nothing (its
        pools are the original's); a pool given with set_httpx_client() is yours. Closing twice is harmless.
        After async calls, use ``await aclose()``: an async pool can only be closed in its event loop."""
        self._closed = True
        if not self._is_copy:
            self._pools.close()

    async def aclose(self) -> None:
        """close() for async code: also closes the async pool of the running event loop."""
        self._closed = True
        if not self._is_copy:
            await self._pools.aclose()

    def __enter__(self) -> Self:
        self._check_open()
        return self

    def __exit__(self, *args: object) -> None:
        self.close()

    async def __aenter__(self) -> Self:
        self._check_open()
        return self

    async def __aexit__(self, *args: object) -> None:
        await self.aclose()


# -- What one call sends ---------------------------------------------------------------------------------------------


@frozen
class Request:
    """One operation's request, built and checked by the operation's module before anything is sent."""

    method: str
    """Upper case: GET, POST, PUT, PATCH, DELETE..."""
    path: str
    """The operation's path with every parameter percent-encoded, starting with ``/``."""
    query: list[tuple[str, str]]
    """Query parameters in order, names and values already percent-encoded."""
    body: bytes | None = None
    """The JSON request body, if any."""
    content_type: str = "application/json"
    """The body's media type, as the document declares it."""


@frozen
class RequestOptions:
    """Per-call options (every operation takes them as keyword arguments); UNSET keeps the client's setting."""

    timeout: httpx.Timeout | float | None | Unset = UNSET
    extra_headers: dict[str, str] | None = None
    extra_query: dict[str, str] | None = None
    max_retries: int | Unset = UNSET


def request_options(
    *,
    timeout: httpx.Timeout | float | None | Unset,
    extra_headers: Mapping[str, str] | None,
    extra_query: Mapping[str, str] | None,
    max_retries: int | Unset,
) -> RequestOptions | None:
    """Check the per-call options (like the client's own) before anything is sent; None when none was given."""
    if isinstance(timeout, Unset) and extra_headers is None and extra_query is None and isinstance(max_retries, Unset):
        return None
    return RequestOptions(
        timeout=timeout if isinstance(timeout, Unset) else check_timeout("timeout", timeout),
        extra_headers=None if extra_headers is None else check_headers("extra_headers", extra_headers),
        extra_query=None if extra_query is None else check_query("extra_query", extra_query),
        max_retries=max_retries if isinstance(max_retries, Unset) else check_max_retries("max_retries", max_retries),
    )


def _target(client: AuthenticatedClient, request: Request, options: RequestOptions | None) -> str:
    """The absolute URL: the base URL and the path joined with exactly one ``/``, then the query string.

    Built as one string: httpx then parses one absolute URL instead of a relative one plus the merge (~20 us less
    per call), and a pool set with set_httpx_client() cannot send the request elsewhere with a base_url of its own.
    """
    query = request.query
    if options is not None and options.extra_query:
        extra = {quote(name, safe=""): quote(value, safe="") for name, value in options.extra_query.items()}
        query = [(name, value) for name, value in query if name not in extra] + list(extra.items())
    url = client._url_prefix + request.path.lstrip("/")
    if query:
        url += "?" + "&".join(f"{name}={value}" for name, value in query)
    return url


def _httpx_kwargs(client: AuthenticatedClient, request: Request, options: RequestOptions | None) -> dict[str, Any]:
    """build_request() arguments: everything that is per client (the pool is shared by copies) or per call."""
    extra = options.extra_headers if options is not None else None
    if request.body is not None:
        extra = {"Content-Type": request.content_type, **(extra or {})}
    timeout = client._timeout
    if options is not None and not isinstance(options.timeout, Unset):
        timeout = options.timeout
    kwargs: dict[str, Any] = {"headers": client._request_headers(extra), "timeout": timeout}
    if request.body is not None:
        kwargs["content"] = request.body
    return kwargs


# -- The send layer: retries and SDK errors --------------------------------------------------------------------------

# Patched by tests (and usable by callers who want to observe waits): the functions the retry loop sleeps with.
_sleep = time.sleep


async def _async_sleep(seconds: float) -> None:
    import anyio  # noqa: PLC0415 - imported when a retry waits, not at start-up (~2 ms)

    await anyio.sleep(seconds)


# Transport errors worth another attempt; others (an unsupported scheme, a malformed request) fail at once.
_RETRYABLE_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)
# Transport errors after which the request cannot have reached the server: safe to repeat for any method.
_NOT_SENT_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Everything else raised while sending becomes an SDK error, never retried: what httpx raises besides transport
# errors (RuntimeError for a pool that is closed or, for async pools given by the caller, used from another event
# loop), and whatever a transport, a proxy or the platform raises (a caller's transport may raise anything).
_OTHER_FAILURES = (Exception,)


def is_retryable_status(status_code: int, method: str = "GET") -> bool:
    """Safe methods: 408, 409, 429 and every 5xx (Cloudflare's 520-527 included). POST/PATCH: 429 and 503."""
    if method in UNSAFE_METHODS:
        return status_code in UNSAFE_RETRY_STATUSES
    return status_code in RETRY_STATUSES or 500 <= status_code <= 599


def is_retryable_error(error: httpx.TransportError, method: str = "GET") -> bool:
    """Safe methods: timeouts, network and protocol errors. POST/PATCH: only when nothing reached the server."""
    if method in UNSAFE_METHODS:
        return isinstance(error, _NOT_SENT_ERRORS)
    return isinstance(error, _RETRYABLE_ERRORS)


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """The wait a response asks for with ``retry-after-ms`` or ``Retry-After`` (seconds or an HTTP date), when it is
    more than 0 and at most 60 s; None otherwise (the caller then backs off exponentially)."""
    seconds: float | None = None
    milliseconds = headers.get("retry-after-ms")
    if milliseconds is not None:
        try:
            seconds = float(milliseconds) / 1000
        except ValueError:
            seconds = None
    if seconds is None:
        value = headers.get("retry-after")
        if value is not None:
            try:
                seconds = float(value)
            except ValueError:
                try:
                    when = email.utils.parsedate_to_datetime(value)
                # OverflowError: a year too large for a datetime ("Fri, 31 Dec 99999999999999999999 ...").
                except (TypeError, ValueError, IndexError, OverflowError):
                    when = None
                if when is not None:
                    if when.tzinfo is None:
                        when = when.replace(tzinfo=datetime.UTC)
                    seconds = (when - datetime.datetime.now(datetime.UTC)).total_seconds()
    if seconds is not None and math.isfinite(seconds) and 0 < seconds <= MAX_RETRY_AFTER:
        return seconds
    return None


def retry_delay(retries_done: int, headers: Mapping[str, str] | None = None) -> float:
    """Seconds to wait before retry number ``retries_done + 1``: what the response asks for, else
    min(0.5 * 2**retries_done, 8) s less up to 25 % jitter."""
    if headers is not None:
        asked = retry_after_seconds(headers)
        if asked is not None:
            return asked
    backoff = min(INITIAL_RETRY_DELAY * 2.0**retries_done, MAX_RETRY_DELAY)
    return backoff * (1 - 0.25 * random.random())


def _describe(exc: BaseException) -> str:
    """``Type: what went wrong``, worded alike for sync and async calls: the operating system's error when there is
    one underneath (the async stack wraps it in other words: "All connection attempts failed"), else the
    exception's own text (an async timeout has none). Shown through errors.one_line(): it may quote the server."""
    detail = str(exc)
    cause: BaseException | None = exc
    for _ in range(10):  # the chain is short; the bound guards against a cycle
        if cause is None:
            break
        if isinstance(cause, OSError) and cause.errno:
            detail = f"[Errno {cause.errno}] {os.strerror(cause.errno)}"
            break
        cause = cause.__cause__ or cause.__context__
    if not detail and isinstance(exc, httpx.TimeoutException):
        detail = "timed out"
    detail = errors.one_line(detail, 200)
    return type(exc).__name__ + (f": {detail}" if detail else "")


def _connection_error(exc: httpx.TransportError, attempts: int, url: str) -> errors.APIConnectionError:
    tries = f"{attempts} attempt" + ("s" if attempts != 1 else "")
    if isinstance(exc, httpx.TimeoutException):
        return errors.APITimeoutError(f"Request timed out after {tries} ({_describe(exc)})", request_url=url)
    return errors.APIConnectionError(f"Connection error after {tries} ({_describe(exc)})", request_url=url)


def _failure(exc: BaseException, response: httpx.Response | None, url: str) -> errors.RealtimeKitError:
    """The SDK error for a failure that is not a transport error (those go through the retry loop)."""
    if isinstance(exc, httpx.DecodingError) and response is not None:
        encoding = response.headers.get("content-encoding", "")
        return errors.ResponseParseError(
            f"body does not decode as its Content-Encoding says ({_describe(exc)})",
            value=encoding,
            status_code=response.status_code,
        )
    return errors.APIConnectionError(f"Request failed ({_describe(exc)})", request_url=url)


def _log_retry(method: str, url: str, retries_done: int, max_retries: int, delay: float, why: str) -> None:
    logger.info(
        "Retrying %s %s in %.2f s (retry %d of %d) after %s", method, url, delay, retries_done + 1, max_retries, why
    )


def _log_attempt(method: str, url: str, outcome: str, attempt: int, max_retries: int, started: float) -> None:
    # The URL carries no secret (the token travels in a header); headers are never logged.
    elapsed = (time.perf_counter() - started) * 1000
    logger.debug("%s %s -> %s (attempt %d of %d, %.1f ms)", method, url, outcome, attempt, max_retries + 1, elapsed)


def _decoded(response: httpx.Response, raw: bytes) -> httpx.Response:
    """A compressed response (Content-Encoding), decoded here from the bytes as they came, so that a body that does
    not decode is not lost: a 2xx raises ResponseParseError carrying those bytes; any other status is returned with
    them as its body (and without the Content-Encoding header), so it raises its own status error, retried where
    that status is, with what the server sent."""
    decoded = httpx.Response(
        response.status_code,
        headers=response.headers,
        stream=httpx.ByteStream(raw),
        request=response.request,
        extensions=response.extensions,
    )
    try:
        decoded.read()
    except httpx.DecodingError as exc:
        encoding = response.headers.get("content-encoding", "")
        if 200 <= response.status_code < 300:
            raise errors.ResponseParseError(
                f"body does not decode as its Content-Encoding says ({_describe(exc)})",
                value=encoding,
                status_code=response.status_code,
                body=raw,
            ) from exc
        headers = [(name, value) for name, value in response.headers.multi_items() if name != "content-encoding"]
        return httpx.Response(
            response.status_code, headers=headers, content=raw, request=response.request, extensions=response.extensions
        )
    return decoded


def _attempt(pool: httpx.Client, method: str, url: str, kwargs: dict[str, Any]) -> httpx.Response:
    """One request, its body read. Transport errors propagate to the retry loop; any other failure becomes an SDK
    error here. The body is read here (not by send()) so that an undecodable one is reported with its status."""
    response = None
    try:
        # follow_redirects=False per request: it also holds for a pool given with set_httpx_client().
        # auth=None: a pool given with set_httpx_client() may have auth of its own, which would replace our token.
        response = pool.send(pool.build_request(method, url, **kwargs), stream=True, follow_redirects=False, auth=None)
        if "content-encoding" in response.headers:
            return _decoded(response, b"".join(response.iter_raw()))
        response.read()
    except httpx.TransportError:
        if response is not None:
            response.close()
        raise
    except errors.RealtimeKitError:
        if response is not None:
            response.close()
        raise
    except _OTHER_FAILURES as exc:
        if response is not None:
            response.close()
        raise _failure(exc, response, url) from exc
    return response


async def _async_attempt(pool: httpx.AsyncClient, method: str, url: str, kwargs: dict[str, Any]) -> httpx.Response:
    """The async twin of _attempt()."""
    response = None
    try:
        response = await pool.send(
            pool.build_request(method, url, **kwargs), stream=True, follow_redirects=False, auth=None
        )
        if "content-encoding" in response.headers:
            return _decoded(response, b"".join([chunk async for chunk in response.aiter_raw()]))
        await response.aread()
    except httpx.TransportError:
        if response is not None:
            await response.aclose()
        raise
    except errors.RealtimeKitError:
        if response is not None:
            await response.aclose()
        raise
    except _OTHER_FAILURES as exc:
        if response is not None:
            await response.aclose()
        raise _failure(exc, response, url) from exc
    return response


def _check_client(client: object) -> None:
    if not isinstance(client, AuthenticatedClient):
        raise TypeError(f"client must be an AuthenticatedClient, got {type(client).__name__}")


def send(client: AuthenticatedClient, request: Request, options: RequestOptions | None = None) -> httpx.Response:
    """Send one request with the client's retries. Every failure is a RealtimeKitError with the original exception
    as its cause: APIConnectionError/APITimeoutError for transport failures, ResponseParseError for a body that
    does not decode, RealtimeKitError for a closed client. Statuses are the caller's to read (3xx included)."""
    _check_client(client)
    errors.keep_secret(client.token)  # renewed while in use (errors keeps the most recent credentials)
    pool = client.get_httpx_client()
    method = request.method
    url = _target(client, request, options)
    kwargs = _httpx_kwargs(client, request, options)
    max_retries = client.max_retries
    if options is not None and not isinstance(options.max_retries, Unset):
        max_retries = options.max_retries
    debug = logger.isEnabledFor(logging.DEBUG)
    retries_done = 0
    while True:
        started = time.perf_counter()
        try:
            response = _attempt(pool, method, url, kwargs)
        except httpx.TransportError as exc:
            if debug:
                _log_attempt(method, url, type(exc).__name__, retries_done + 1, max_retries, started)
            if retries_done >= max_retries or not is_retryable_error(exc, method):
                raise _connection_error(exc, retries_done + 1, url) from exc
            delay = retry_delay(retries_done)
            why = type(exc).__name__
        else:
            if debug:
                _log_attempt(method, url, str(response.status_code), retries_done + 1, max_retries, started)
            if retries_done >= max_retries or not is_retryable_status(response.status_code, method):
                return response
            delay = retry_delay(retries_done, response.headers)
            why = f"HTTP {response.status_code}"
        _log_retry(method, url, retries_done, max_retries, delay, why)
        _sleep(delay)
        retries_done += 1


async def async_send(
    client: AuthenticatedClient, request: Request, options: RequestOptions | None = None
) -> httpx.Response:
    """The async twin of send()."""
    _check_client(client)
    errors.keep_secret(client.token)
    pool = client.get_async_httpx_client()
    method = request.method
    url = _target(client, request, options)
    kwargs = _httpx_kwargs(client, request, options)
    max_retries = client.max_retries
    if options is not None and not isinstance(options.max_retries, Unset):
        max_retries = options.max_retries
    debug = logger.isEnabledFor(logging.DEBUG)
    retries_done = 0
    while True:
        started = time.perf_counter()
        try:
            response = await _async_attempt(pool, method, url, kwargs)
        except httpx.TransportError as exc:
            if debug:
                _log_attempt(method, url, type(exc).__name__, retries_done + 1, max_retries, started)
            if retries_done >= max_retries or not is_retryable_error(exc, method):
                raise _connection_error(exc, retries_done + 1, url) from exc
            delay = retry_delay(retries_done)
            why = type(exc).__name__
        else:
            if debug:
                _log_attempt(method, url, str(response.status_code), retries_done + 1, max_retries, started)
            if retries_done >= max_retries or not is_retryable_status(response.status_code, method):
                return response
            delay = retry_delay(retries_done, response.headers)
            why = f"HTTP {response.status_code}"
        _log_retry(method, url, retries_done, max_retries, delay, why)
        await _async_sleep(delay)
        retries_done += 1


__all__ = ["AuthenticatedClient", "Request", "RequestOptions"]
