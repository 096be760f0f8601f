"""The API client and the send layer every operation goes through: defaults, retries, per-call options, SDK errors.

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

So the loop sits in ``send()`` / ``async_send()`` below, above whatever transport is used, and ``max_retries`` is
read at call time, so a copy made by ``with_max_retries()`` shares the connection pool.
"""

from __future__ import annotations

import datetime
import email.utils
import logging
import math
import os
import random
import ssl
import sys
import time
from collections.abc import Mapping
from typing import Any, Self
from urllib.parse import quote

import httpx
from attrs import define, evolve, field, frozen

from . import errors
from .types import UNSET, Unset

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

logger = logging.getLogger("realtimekit_client")


def _default_base_url() -> str:
    return os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL


def _token_from_env() -> str:
    token = os.environ.get(TOKEN_ENV)
    if not token:
        raise errors.RealtimeKitError(
            f"no API token: pass AuthenticatedClient(token=...) or set the {TOKEN_ENV} environment variable"
        )
    return token


def _check_token(instance: Any, attribute: Any, value: Any) -> None:
    # Never echo the value: it is a secret.
    if not isinstance(value, str):
        raise TypeError(f"token must be a str, got {type(value).__name__}")
    # An HTTP header carries ASCII only: anything else would fail inside httpx with the token in the exception.
    if not value or not value.isascii() or not value.isprintable() or any(c.isspace() for c in value):
        raise ValueError("token must be non-empty ASCII, without whitespace or control characters (value not shown)")


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


def check_timeout(name: str, value: object) -> httpx.Timeout | float | None:
    """``value`` as a timeout (seconds, an ``httpx.Timeout``, or None to wait forever), or ValueError/TypeError."""
    if value is None or isinstance(value, httpx.Timeout):
        return value
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise TypeError(f"{name} must be seconds (a number), an httpx.Timeout or None, got {value!r}")
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a positive number of seconds, got {value!r}")
    return float(value)


def check_headers(name: str, value: object) -> dict[str, str]:
    """``value`` as HTTP headers (str to str, no control characters), or ValueError/TypeError naming the header."""
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a mapping of header names to values, got {type(value).__name__}")
    checked: dict[str, str] = {}
    for key, item in value.items():
        if not isinstance(key, str) or not isinstance(item, str):
            raise TypeError(f"{name} must map str to str, got {key!r}: {type(item).__name__}")
        if not key or not key.isascii() or not key.isprintable() or any(c.isspace() or c == ":" for c in key):
            raise ValueError(f"{name} has an invalid header name {key!r}")
        if not item.isascii() or not item.isprintable():
            # The value may be a credential: it is not shown.
            raise ValueError(f"{name}[{key!r}] must be printable ASCII without control characters (value not shown)")
        checked[key] = item
    return checked


def check_query(name: str, value: object) -> dict[str, str]:
    """``value`` as extra query parameters (str to str), or ValueError/TypeError naming the parameter."""
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a mapping of parameter names to str values, got {type(value).__name__}")
    checked: dict[str, str] = {}
    for key, item in value.items():
        if not isinstance(key, str) or not key or not isinstance(item, str):
            raise TypeError(f"{name} must map non-empty str names to str values, got {key!r}: {item!r}")
        checked[key] = item
    return checked


def _check_max_retries(instance: Any, attribute: Any, value: Any) -> None:
    check_max_retries("max_retries", value)


def _mask_headers(headers: Mapping[str, str]) -> str:
    """repr of the caller's headers with credentials masked (for the clients' repr)."""
    secret = {"authorization", "proxy-authorization", "x-auth-key", "cookie"}
    return repr({name: "[secure]" if name.lower() in secret else value for name, value in headers.items()})


def _mask_values(values: Mapping[str, str]) -> str:
    """repr of cookies: names only, values may be session secrets."""
    return repr(dict.fromkeys(values, "[secure]"))


def _user_agent() -> str:
    from . import __version__  # here, not at the top: the package imports this module while it initialises

    return (
        f"realtimekit-client/{__version__} httpx/{httpx.__version__} python/{'.'.join(map(str, sys.version_info[:3]))}"
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
    return args


@define
class AuthenticatedClient:
    """A client for the RealtimeKit API: ``AuthenticatedClient(token="...")`` is enough.

    Every argument is keyword-only and optional:

        ``token``: a Cloudflare API token with the "Realtime Admin" or "Realtime" permission; default
        ``$CLOUDFLARE_API_TOKEN``. It is sent as ``Authorization: Bearer <token>`` and never shown in a repr,
        log line or error message.

        ``base_url``: where the API is; default ``$CLOUDFLARE_BASE_URL`` or https://api.cloudflare.com/client/v4.
        Operation paths are joined onto its path with one ``/``.

        ``timeout``: an ``httpx.Timeout`` or seconds; default connect 5 s, read/write/pool 60 s. ``None`` waits
        forever. A request that takes longer raises ``APITimeoutError`` (after the retries).

        ``max_retries``: how often a request is retried after 408, 409, 429, any 5xx, a connection error or a
        timeout (default 2; 0 turns retries off). POST and PATCH are retried only when the server cannot have
        processed them (connection refused, connect timeout, 429, 503). ``with_max_retries(n)`` makes a copy.

        ``headers`` / ``cookies``: sent with every request (a ``User-Agent`` naming this package is added unless
        you give one).

        ``verify_ssl``: whether to verify the server's TLS certificate (True in production).

        ``follow_redirects``: whether to follow redirects (default False).

        ``transport`` / ``async_transport``: an ``httpx.BaseTransport`` for the sync client and an
        ``httpx.AsyncBaseTransport`` for the async one (for example ``httpx.MockTransport``). Retries apply to
        both.

        ``httpx_args``: more arguments for the ``httpx.Client`` and ``httpx.AsyncClient`` constructors; a
        ``transport`` (or ``mounts`` entry) in it goes only to the client that can drive it.
    """

    _base_url: str = field(factory=_default_base_url, kw_only=True, alias="base_url", validator=_check_base_url)
    _cookies: dict[str, str] = field(factory=dict, kw_only=True, alias="cookies", repr=_mask_values)
    _headers: dict[str, str] = field(factory=dict, kw_only=True, alias="headers", repr=_mask_headers)
    _timeout: httpx.Timeout | float | None = field(default=DEFAULT_TIMEOUT, kw_only=True, alias="timeout")
    _verify_ssl: str | bool | ssl.SSLContext = field(default=True, kw_only=True, alias="verify_ssl")
    _follow_redirects: bool = field(default=False, kw_only=True, alias="follow_redirects")
    _transport: httpx.BaseTransport | None = field(default=None, kw_only=True, alias="transport")
    _async_transport: httpx.AsyncBaseTransport | None = field(default=None, kw_only=True, alias="async_transport")
    _httpx_args: dict[str, Any] = field(factory=dict, kw_only=True, alias="httpx_args", repr=False)
    max_retries: int = field(default=DEFAULT_MAX_RETRIES, kw_only=True, validator=_check_max_retries)
    """How many times a failed request is retried (408, 409, 429, 5xx, connection errors, timeouts). 0: never."""
    _url_prefix: str = field(init=False, repr=False)
    _client: httpx.Client | None = field(default=None, init=False, repr=False)
    _async_client: httpx.AsyncClient | None = field(default=None, init=False, repr=False)
    token: str = field(factory=_token_from_env, kw_only=True, repr=False, validator=_check_token)
    """The API token (from the CLOUDFLARE_API_TOKEN environment variable when not given). Never shown in repr."""
    prefix: str = field(default="Bearer", kw_only=True)
    """The prefix of the Authorization header's value."""
    auth_header_name: str = field(default="Authorization", kw_only=True)
    """The name of the header that carries the token."""

    def __attrs_post_init__(self) -> None:
        # After the validators: base_url is known to be a plain absolute http(s) URL here.
        self._url_prefix = url_prefix(self._base_url)

    # -- copies ------------------------------------------------------------------------------------------------

    def with_headers(self, headers: dict[str, str]) -> Self:
        """A copy of this client that also sends these headers (this client is left unchanged)."""
        return evolve(self, headers={**self._headers, **headers})

    def with_cookies(self, cookies: dict[str, str]) -> Self:
        """A copy of this client that also sends these cookies (this client is left unchanged)."""
        return evolve(self, cookies={**self._cookies, **cookies})

    def with_timeout(self, timeout: httpx.Timeout | float | None) -> Self:
        """A copy of this client with another timeout (this client is left unchanged)."""
        return evolve(self, timeout=timeout)

    def with_max_retries(self, max_retries: int) -> Self:
        """A copy of this client with another retry budget; it shares this client's connection pools."""
        copy = evolve(self, max_retries=max_retries)
        # The pools are created here if need be, so that the copy and this client really share them.
        copy._client = self.get_httpx_client()
        copy._async_client = self.get_async_httpx_client()
        return copy

    def with_options(self, *, max_retries: int | None = None, timeout: httpx.Timeout | float | None = None) -> Self:
        """A copy of this client with other settings; an argument left at None keeps this client's value."""
        copy = self.with_max_retries(self.max_retries if max_retries is None else max_retries)
        return copy if timeout is None else copy.with_timeout(timeout)

    # -- the httpx clients -------------------------------------------------------------------------------------

    def _all_headers(self) -> dict[str, str]:
        token = f"{self.prefix} {self.token}" if self.prefix else self.token
        return {"User-Agent": _user_agent(), **self._headers, self.auth_header_name: token}

    def set_httpx_client(self, client: httpx.Client) -> Self:
        """Use this httpx.Client for sync calls. Retries and the SDK's errors still apply (they live above httpx)."""
        self._client = client
        return self

    def get_httpx_client(self) -> httpx.Client:
        """The httpx.Client for sync calls, created on first use."""
        if self._client is None:
            args = _split_httpx_args(self._httpx_args, for_async=False)
            if self._transport is not None:
                args["transport"] = self._transport
            self._client = httpx.Client(
                base_url=self._base_url,
                cookies=self._cookies,
                headers=self._all_headers(),
                timeout=self._timeout,
                verify=self._verify_ssl,
                follow_redirects=self._follow_redirects,
                **args,
            )
        return self._client

    def __enter__(self) -> Self:
        """Enter a context manager for the sync httpx.Client (you cannot enter twice, see httpx)."""
        self.get_httpx_client().__enter__()
        return self

    def __exit__(self, *args: Any, **kwargs: Any) -> None:
        """Close the sync httpx.Client."""
        self.get_httpx_client().__exit__(*args, **kwargs)

    def set_async_httpx_client(self, async_client: httpx.AsyncClient) -> Self:
        """Use this httpx.AsyncClient for async calls. Retries and the SDK's errors still apply."""
        self._async_client = async_client
        return self

    def get_async_httpx_client(self) -> httpx.AsyncClient:
        """The httpx.AsyncClient for async calls, created on first use."""
        if self._async_client is None:
            args = _split_httpx_args(self._httpx_args, for_async=True)
            if self._async_transport is not None:
                args["transport"] = self._async_transport
            self._async_client = httpx.AsyncClient(
                base_url=self._base_url,
                cookies=self._cookies,
                headers=self._all_headers(),
                timeout=self._timeout,
                verify=self._verify_ssl,
                follow_redirects=self._follow_redirects,
                **args,
            )
        return self._async_client

    async def __aenter__(self) -> Self:
        """Enter a context manager for the async httpx.AsyncClient (you cannot enter twice, see httpx)."""
        await self.get_async_httpx_client().__aenter__()
        return self

    async def __aexit__(self, *args: Any, **kwargs: Any) -> None:
        """Close the async httpx.AsyncClient."""
        await self.get_async_httpx_client().__aexit__(*args, **kwargs)


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


def _httpx_kwargs(request: Request, options: RequestOptions | None) -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    headers: dict[str, str] = {}
    if request.body is not None:
        kwargs["content"] = request.body
        headers["Content-Type"] = "application/json"
    if options is not None:
        if not isinstance(options.timeout, Unset):
            kwargs["timeout"] = options.timeout
        if options.extra_headers:
            headers.update(options.extra_headers)
    if headers:
        kwargs["headers"] = headers
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
                except (TypeError, ValueError, IndexError):
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


def _connection_error(exc: httpx.TransportError, attempts: int) -> errors.APIConnectionError:
    try:
        url: str | None = str(exc.request.url)
    except RuntimeError:
        url = None
    tries = f"{attempts} attempt" + ("s" if attempts != 1 else "")
    detail = " ".join(str(exc).split())
    kind = type(exc).__name__ + (f": {detail}" if detail else "")
    if isinstance(exc, httpx.TimeoutException):
        return errors.APITimeoutError(f"Request timed out after {tries} ({kind})", request_url=url)
    return errors.APIConnectionError(f"Connection error after {tries} ({kind})", request_url=url)


def _log_retry(method: str, url: str, retries_done: int, max_retries: int, delay: float, why: str) -> None:
    logger.info(
        "Retrying %s %s in %.2f s (retry %d of %d) after %s", method, url, delay, retries_done + 1, max_retries, why
    )


def _log_attempt(method: str, url: str, outcome: str, attempt: int, max_retries: int, started: float) -> None:
    # The URL carries no secret (the token travels in a header); headers are never logged.
    elapsed = (time.perf_counter() - started) * 1000
    logger.debug("%s %s -> %s (attempt %d of %d, %.1f ms)", method, url, outcome, attempt, max_retries + 1, elapsed)


def send(client: AuthenticatedClient, request: Request, options: RequestOptions | None = None) -> httpx.Response:
    """Send one request with the client's retries; transport failures become APIConnectionError/APITimeoutError."""
    httpx_client = client.get_httpx_client()
    method = request.method
    url = _target(client, request, options)
    kwargs = _httpx_kwargs(request, options)
    max_retries = client.max_retries
    if options is not None and not isinstance(options.max_retries, Unset):
        max_retries = options.max_retries
    debug = logger.isEnabledFor(logging.DEBUG)
    retries_done = 0
    while True:
        started = time.perf_counter()
        try:
            response = httpx_client.request(method, url, **kwargs)
        except httpx.TransportError as exc:
            if debug:
                _log_attempt(method, url, type(exc).__name__, retries_done + 1, max_retries, started)
            if retries_done >= max_retries or not is_retryable_error(exc, method):
                raise _connection_error(exc, retries_done + 1) from exc
            delay = retry_delay(retries_done)
            why = type(exc).__name__
        else:
            if debug:
                _log_attempt(method, url, str(response.status_code), retries_done + 1, max_retries, started)
            if retries_done >= max_retries or not is_retryable_status(response.status_code, method):
                return response
            delay = retry_delay(retries_done, response.headers)
            why = f"HTTP {response.status_code}"
            response.close()
        _log_retry(method, url, retries_done, max_retries, delay, why)
        _sleep(delay)
        retries_done += 1


async def async_send(
    client: AuthenticatedClient, request: Request, options: RequestOptions | None = None
) -> httpx.Response:
    """The async twin of send()."""
    httpx_client = client.get_async_httpx_client()
    method = request.method
    url = _target(client, request, options)
    kwargs = _httpx_kwargs(request, options)
    max_retries = client.max_retries
    if options is not None and not isinstance(options.max_retries, Unset):
        max_retries = options.max_retries
    debug = logger.isEnabledFor(logging.DEBUG)
    retries_done = 0
    while True:
        started = time.perf_counter()
        try:
            response = await httpx_client.request(method, url, **kwargs)
        except httpx.TransportError as exc:
            if debug:
                _log_attempt(method, url, type(exc).__name__, retries_done + 1, max_retries, started)
            if retries_done >= max_retries or not is_retryable_error(exc, method):
                raise _connection_error(exc, retries_done + 1) from exc
            delay = retry_delay(retries_done)
            why = type(exc).__name__
        else:
            if debug:
                _log_attempt(method, url, str(response.status_code), retries_done + 1, max_retries, started)
            if retries_done >= max_retries or not is_retryable_status(response.status_code, method):
                return response
            delay = retry_delay(retries_done, response.headers)
            why = f"HTTP {response.status_code}"
            await response.aclose()
        _log_retry(method, url, retries_done, max_retries, delay, why)
        await _async_sleep(delay)
        retries_done += 1


__all__ = ["AuthenticatedClient", "Request", "RequestOptions"]
