"""LLMWhisperer v2 as an optional text engine: the statement pages, read by the service, as the same `Page`s the
local engine makes, so detection and parsing do not care where the text came from.

The v2 API is asynchronous (https://docs.unstract.com/llmwhisperer/):

    POST /whisper?mode=…&output_mode=layout_preserving&pages_to_extract=61-63   body: the PDF bytes
         -> 202 {"message": …, "status": "processing", "whisper_hash": "…"}
    GET  /whisper-status?whisper_hash=…    -> {"status": "accepted" | "processing" | "processed" | "error", …}
    GET  /whisper-retrieve?whisper_hash=…  -> {"result_text": "…", "metadata": {…}, …}   (one shot: the service
                                              forgets the text once it has been retrieved)

Every request carries the `unstract-key` header. The service bills per page, so the pipeline detects statement
pages locally first and only those are sent (`pages_to_extract`), and each answer is cached in the store.
Pages come back in order, separated by a line holding only the page separator we ask for.
"""

from __future__ import annotations

import re
import time
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from finsheet.engines.http import (
    EngineStatus,
    HttpEngineClient,
    ResponseCache,
    RetryPolicy,
    SleepFn,
    cache_key,
    cached_call,
    json_body,
    raise_for_status,
    send_with_retries,
)
from finsheet.errors import EngineBusy, EngineError, EngineUnavailable, FinsheetError
from finsheet.extraction.pdf import page_from_layout_text
from finsheet.model import Page
from finsheet.settings import Settings

NAME = "LLMWhisperer"
KEY_SETTING = "FINSHEET_LLMWHISPERER_API_KEY"
PAGE_SEPARATOR = "<<<"
PROMPT_VERSION = "whisper-v2.1"
"""Part of the cache key: change it when a change here would make the service return different text."""

Mode = Literal["native_text", "low_cost", "high_quality", "form", "table"]


class WhisperOptions(BaseModel):
    """The documented /whisper options finsheet uses, and how patiently it waits for the result."""

    model_config = ConfigDict(frozen=True)

    mode: Mode = "high_quality"
    """high_quality OCRs scans and straightens skewed pages; native_text is cheaper for PDFs with a text layer."""
    output_mode: Literal["layout_preserving", "text"] = "layout_preserving"
    """layout_preserving keeps the columns where they are printed, which is what the parser reads."""
    line_splitter_tolerance: float = 0.4
    horizontal_stretch_factor: float = 1.0
    poll_interval: float = 2.0
    """Seconds between /whisper-status calls."""
    wait_timeout: float = 300.0
    """Seconds to wait for the service to finish processing before giving up (transiently)."""
    retry: RetryPolicy = RetryPolicy()

    @property
    def variant(self) -> str:
        """The options that change the returned text: the cache's 'model' part of the key."""
        return f"{self.mode}/{self.output_mode}/{self.line_splitter_tolerance:g}/{self.horizontal_stretch_factor:g}"


def pages_spec(numbers: list[int]) -> str:
    """[1, 2, 3, 7] -> '1-3,7' (the pages_to_extract syntax)."""
    parts: list[str] = []
    ordered = sorted(set(numbers))
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        parts.append(str(ordered[i]) if i == j else f"{ordered[i]}-{ordered[j]}")
        i = j + 1
    return ",".join(parts)


class WhispererClient(HttpEngineClient):
    """A small synchronous client for the LLMWhisperer v2 API. Use as a context manager."""

    def __init__(
        self,
        settings: Settings,
        *,
        options: WhisperOptions | None = None,
        sleep: SleepFn = time.sleep,
    ) -> None:
        if not settings.whisperer_enabled:
            raise EngineUnavailable(f"{NAME} is not configured: set {KEY_SETTING}")
        self.base_url = settings.llmwhisperer_url.rstrip("/")
        self.options = options or WhisperOptions()
        self.sleep = sleep
        super().__init__({"unstract-key": settings.llmwhisperer_api_key})

    def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        response = send_with_retries(
            self.http, method, self.base_url + path, what=NAME, policy=self.options.retry, sleep=self.sleep, **kwargs
        )
        raise_for_status(response, what=NAME, key_setting=KEY_SETTING)
        return json_body(response, what=NAME)

    def submit(self, data: bytes, pages: list[int], *, file_name: str = "document.pdf") -> dict[str, Any]:
        """POST the PDF; returns the service's answer (a whisper_hash to poll, or the text itself)."""
        opts = self.options
        params: dict[str, str] = {
            "mode": opts.mode,
            "output_mode": opts.output_mode,
            "page_seperator": PAGE_SEPARATOR,  # the documented (misspelt) name ...
            "page_separator": PAGE_SEPARATOR,  # ... and the corrected one newer servers read
            "line_splitter_tolerance": f"{opts.line_splitter_tolerance:g}",
            "horizontal_stretch_factor": f"{opts.horizontal_stretch_factor:g}",
            "file_name": file_name,
        }
        if pages:
            params["pages_to_extract"] = pages_spec(pages)
        headers = {"Content-Type": "application/octet-stream"}
        return self._call("POST", "/whisper", params=params, content=data, headers=headers)

    def wait(self, whisper_hash: str) -> None:
        """Poll /whisper-status until the text is ready; EngineError if the service failed, EngineBusy on timeout."""
        deadline = time.monotonic() + self.options.wait_timeout
        while True:
            body = self._call("GET", "/whisper-status", params={"whisper_hash": whisper_hash})
            state = str(body.get("status", ""))
            if state == "processed":
                return
            if "error" in state:
                raise EngineError(f"{NAME} could not read the document: {body.get('message') or state}")
            if state == "retrieved":
                raise EngineError(f"{NAME} already handed out this text (whisper {whisper_hash}); run it again")
            if state not in ("accepted", "processing"):
                raise EngineError(f"{NAME} returned a malformed status response: {str(body)[:120]}")
            if time.monotonic() >= deadline:
                raise EngineBusy(f"{NAME} did not finish within {self.options.wait_timeout:g}s; try again later")
            self.sleep(self.options.poll_interval)

    def retrieve(self, whisper_hash: str) -> str:
        """The extracted text (one shot: the service forgets it afterwards)."""
        body = self._call("GET", "/whisper-retrieve", params={"whisper_hash": whisper_hash})
        return _result_text(body)

    def whisper(self, data: bytes, pages: list[int], *, file_name: str = "document.pdf") -> str:
        """Submit, wait and retrieve: the layout-preserving text of `pages`, separated by PAGE_SEPARATOR lines."""
        accepted = self.submit(data, pages, file_name=file_name)
        if "result_text" in accepted:  # a server that answered synchronously
            return _result_text(accepted)
        whisper_hash = accepted.get("whisper_hash")
        if not isinstance(whisper_hash, str) or not whisper_hash:
            raise EngineError(f"{NAME} returned a malformed response (no whisper_hash): {str(accepted)[:120]}")
        self.wait(whisper_hash)
        return self.retrieve(whisper_hash)

    def usage(self) -> dict[str, Any]:
        """The account's usage (GET /get-usage-info): a cheap call that proves the key works."""
        return self._call("GET", "/get-usage-info")


def _result_text(body: dict[str, Any]) -> str:
    text = body.get("result_text")
    if not isinstance(text, str):
        raise EngineError(f"{NAME} returned a malformed response (no result_text): {str(body)[:120]}")
    return text


_SEPARATOR_LINE = re.compile(r"^[ \t\f]*" + re.escape(PAGE_SEPARATOR) + r"[ \t\f]*$", re.MULTILINE)


def split_pages(text: str, count: int) -> list[str]:
    """The text of each page, in order. Pages are split on PAGE_SEPARATOR lines, else on form feeds; a separator
    after the last page is tolerated. EngineError when the number of pages does not match what was asked."""
    for parts in (_SEPARATOR_LINE.split(text), text.split("\f")):
        if len(parts) == count + 1 and not parts[-1].strip():
            parts = parts[:-1]
        if len(parts) == count:
            return [part.replace("\f", "").strip("\n") for part in parts]
    if count == 1:
        return [text.replace("\f", "").strip("\n")]
    found = len(_SEPARATOR_LINE.split(text))
    raise EngineError(f"{NAME} returned {found} page(s) of text for the {count} requested; cannot tell them apart")


def read_pages(
    data: bytes,
    page_numbers: list[int],
    settings: Settings,
    *,
    doc_sha256: str | None = None,
    cache: ResponseCache | None = None,
    options: WhisperOptions | None = None,
    sleep: SleepFn = time.sleep,
) -> list[Page]:
    """One Page per requested page number, read by LLMWhisperer (only those pages are sent and billed).

    Raises EngineUnavailable when not configured, EngineBusy (transient) when the service stays busy or
    unreachable after retries, EngineError for anything the service refuses.
    """
    numbers = sorted(set(page_numbers))
    if not numbers:
        return []
    options = options or WhisperOptions()
    if doc_sha256 is None:
        from finsheet.extraction.pdf import sha256

        doc_sha256 = sha256(data)
    digest = doc_sha256
    notes: list[str] = []
    with WhispererClient(settings, options=options, sleep=sleep) as client:

        def key() -> Any:
            return cache_key(digest, numbers, engine="whisperer", model=options.variant, prompt_version=PROMPT_VERSION)

        def fetch() -> str:
            text = client.whisper(data, numbers)
            split_pages(text, len(numbers))  # an answer we cannot map to pages is an error, and is not cached
            return text

        text, _ = cached_call(cache, key, fetch, warnings=notes)
    texts = split_pages(text, len(numbers))
    pages = [page_from_layout_text(number, part) for number, part in zip(numbers, texts, strict=True)]
    if notes:  # the analyst sees page warnings beside the page; nothing here stops the extraction
        pages[0].warnings.extend(notes)
    return pages


def status(settings: Settings, *, check: bool = True, timeout: float = 5.0) -> EngineStatus:
    """Whether LLMWhisperer is configured and (with `check`) whether it accepts the key, for the admin page."""
    if not settings.whisperer_enabled:
        return EngineStatus(name=NAME, configured=False, detail=f"off: set {KEY_SETTING} to use it")
    if not check:
        return EngineStatus(name=NAME, configured=True, detail=settings.llmwhisperer_url)
    options = WhisperOptions(retry=RetryPolicy(attempts=1, timeout=timeout))
    try:
        with WhispererClient(settings, options=options) as client:
            client.usage()
    except FinsheetError as exc:
        return EngineStatus(name=NAME, configured=True, reachable=False, detail=str(exc))
    detail = f"{settings.llmwhisperer_url} accepts the key"
    return EngineStatus(name=NAME, configured=True, reachable=True, detail=detail)
