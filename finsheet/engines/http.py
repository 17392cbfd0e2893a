"""What the optional engines (LLMWhisperer, an OpenAI-compatible LLM) share: HTTP calls retried with backoff, the
messages an analyst sees when a service says no, the status shown on the admin page, and the response cache.

Both services bill per call, so every answer is cached in the store under (document sha256, pages, engine, model,
prompt version): re-running a document costs nothing. The cache is any object with `cache_get` / `cache_put`
(the `Store` is one), handed in by the caller: the engines never open the database themselves, so extraction,
which calls them, stays free of it. With no cache every call is made.
"""

from __future__ import annotations

import email.utils
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol, Self

import httpx
from pydantic import BaseModel

from finsheet.errors import EngineBusy, EngineError, EngineUnavailable, FinsheetError
from finsheet.model import CacheKey

log = logging.getLogger(__name__)

SleepFn = Callable[[float], None]


class EngineStatus(BaseModel):
    """Whether an engine is configured and, when asked, whether it answers (None: not checked / not configured)."""

    name: str
    configured: bool
    reachable: bool | None = None
    detail: str = ""


class HttpEngineClient:
    """What both engine clients share: one httpx client with the engine's auth headers; use as a context manager.

    The client follows no redirect by itself: httpx would carry a custom key header (LLMWhisperer's `unstract-key`)
    on to whatever host a redirect names. `send_with_retries` follows them, dropping credentials at an origin change.
    """

    def __init__(self, headers: dict[str, str]) -> None:
        self.http = httpx.Client(headers=headers, follow_redirects=False)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.http.close()


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how patiently a call is retried on 429, 5xx, timeouts and dropped connections."""

    attempts: int = 4
    backoff: float = 1.0
    """First wait in seconds; doubled after each failed attempt."""
    max_wait: float = 60.0
    """No single wait is longer, whatever Retry-After asks for."""
    timeout: float = 60.0
    """Seconds for one HTTP request."""


TRANSIENT_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})
MAX_REDIRECTS = 5
_CREDENTIAL_HINTS = ("auth", "key", "token", "secret", "cookie", "session", "password", "signature")


def is_credential_header(name: str) -> bool:
    """Whether a header may carry a credential (Authorization, unstract-key, X-API-Key, Cookie, ...)."""
    lowered = name.lower()
    return any(hint in lowered for hint in _CREDENTIAL_HINTS)


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    default = {"http": 80, "https": 443}.get(url.scheme)
    return url.scheme, url.host, url.port or default


def follow_redirects(client: httpx.Client, response: httpx.Response, *, what: str) -> httpx.Response:
    """Follow a response's redirects (up to MAX_REDIRECTS); a hop to another origin (scheme, host or port) goes
    without any credential header, and so does every hop after it."""
    origin = _origin(response.request.url)
    hops = 0
    while response.is_redirect and response.next_request is not None:
        hops += 1
        if hops > MAX_REDIRECTS:
            raise EngineError(f"{what} redirected more than {MAX_REDIRECTS} times; giving up")
        request = response.next_request
        if _origin(request.url) != origin:
            dropped = [name for name in request.headers if is_credential_header(name)]
            for name in dropped:
                del request.headers[name]
            if dropped:
                log.warning("%s redirected to another origin %s; not sending %s there", what,
                            request.url.copy_with(query=None), ", ".join(sorted(dropped)))
        response.close()
        response = client.send(request, follow_redirects=False)
    return response


def retry_after_seconds(response: httpx.Response) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date), or None without one."""
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def send_with_retries(
    client: httpx.Client,
    method: str,
    url: str,
    *,
    what: str,
    policy: RetryPolicy,
    sleep: SleepFn = time.sleep,
    **kwargs: Any,
) -> httpx.Response:
    """One HTTP call, retried on 429/5xx/timeouts/connection errors with exponential backoff that honours
    Retry-After. Returns any other response (the caller judges 2xx/4xx); raises EngineBusy (transient) when every
    attempt failed, so the job queue can try the whole job again later."""
    last = ""
    for attempt in range(1, policy.attempts + 1):
        wait = policy.backoff * 2 ** (attempt - 1)
        try:
            response = client.request(method, url, timeout=policy.timeout, follow_redirects=False, **kwargs)
            response = follow_redirects(client, response, what=what)
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise EngineUnavailable(f"{what} has an unusable URL {url!r}: {exc}") from exc
        except httpx.TimeoutException:
            last = f"no answer within {policy.timeout:g}s"
        except httpx.TransportError as exc:
            last = f"cannot be reached ({type(exc).__name__}: {exc})"
        else:
            if response.status_code not in TRANSIENT_STATUS:
                return response
            last = f"HTTP {response.status_code} {error_detail(response)}".rstrip()
            asked = retry_after_seconds(response)
            if asked is not None:
                wait = asked
        if attempt < policy.attempts:
            log.info("%s: %s; retrying in %.1fs (attempt %d of %d)", what, last, wait, attempt, policy.attempts)
            sleep(min(wait, policy.max_wait))
    tries = f"{policy.attempts} attempts" if policy.attempts > 1 else "1 attempt"
    raise EngineBusy(f"{what} is unavailable: {last} after {tries}; try again later")


def error_detail(response: httpx.Response) -> str:
    """The service's own one-line explanation from an error body ({"message": ...} or {"error": {...}})."""
    try:
        body = response.json()
    except ValueError:
        text = response.text.strip().splitlines()
        return text[0][:200] if text else ""
    if isinstance(body, dict):
        for key in ("message", "error", "detail"):
            value = body.get(key)
            if isinstance(value, dict):
                value = value.get("message")
            if isinstance(value, str) and value:
                return value[:200]
    return json.dumps(body)[:200]


def raise_for_status(response: httpx.Response, *, what: str, key_setting: str) -> None:
    """Turn a 4xx (after retries, anything left that is not 2xx) into one clear EngineError line."""
    if response.is_success:
        return
    detail = error_detail(response)
    code = response.status_code
    if code in (401, 403):
        raise EngineError(f"{what} refused the API key (HTTP {code}: {detail}); check {key_setting}")
    raise EngineError(f"{what} rejected the request (HTTP {code}): {detail or response.reason_phrase}")


def json_body(response: httpx.Response, *, what: str) -> dict[str, Any]:
    """The JSON object a successful response must carry, or EngineError naming the service."""
    try:
        body = response.json()
    except ValueError:
        snippet = response.text.strip()[:80]
        raise EngineError(f"{what} returned a malformed response (not JSON): {snippet!r}") from None
    if not isinstance(body, dict):
        raise EngineError(f"{what} returned a malformed response (expected a JSON object)")
    return body


# --------------------------------------------------------------------------- response cache


class ResponseCache(Protocol):
    """What the engines need from the store's response cache."""

    def cache_get(self, key: Any) -> str | None: ...

    def cache_put(self, key: Any, value: str) -> None: ...


def cache_key(doc_sha256: str, pages: list[int], *, engine: str, model: str, prompt_version: str) -> CacheKey:
    """The cache's key for one engine call."""
    return CacheKey(
        sha256=doc_sha256, pages=tuple(sorted(pages)), engine=engine, model=model, prompt_version=prompt_version
    )


def cached_call(
    cache: ResponseCache | None,
    make_key: Callable[[], Any],
    call: Callable[[], str],
    *,
    warnings: list[str] | None = None,
) -> tuple[str, bool]:
    """`call()`'s answer, from the cache when it holds one. Returns (answer, was_cached)."""
    key = make_key() if cache is not None else None
    if cache is not None:
        try:
            hit = cache.cache_get(key)
        except FinsheetError as exc:
            hit = None
            if warnings is not None:
                warnings.append(f"response cache unreadable: {exc}")
        if hit is not None:
            return hit, True
    answer = call()
    if cache is not None:
        try:
            cache.cache_put(key, answer)
        except FinsheetError as exc:
            if warnings is not None:
                warnings.append(f"response not cached: {exc}")
    return answer, False
