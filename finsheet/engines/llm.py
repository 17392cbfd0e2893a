"""LLM-assisted repair: statements the local parse is unsure of are re-read by any OpenAI-compatible chat-completions
endpoint (OpenAI, a local Ollama or vLLM, or `finsheet llm serve`), and the re-read is kept only when it is better.

Off unless `FINSHEET_LLM_BASE_URL` and `FINSHEET_LLM_MODEL` are set (`FINSHEET_LLM_API_KEY` when the service wants
one). For each unsure statement (a failed check, or confidence below UNSURE_BELOW):

1. that statement's page text only is sent, asking for JSON matching `ReadStatement` (a json_schema
   response_format; servers that refuse it get json_object mode with the schema in the prompt);
2. every number in the answer must be printed on the page (`llm_guard`), or it is dropped;
3. the checks run on what is left; it replaces the local statement only if more checks pass.

Answers are cached in the store under (document sha256, pages, "llm", model, prompt version + statement type), so a
re-run costs no call. Any engine failure keeps the local statements and adds a warning: repair never breaks an
extraction.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

import httpx
from pydantic import ValidationError

from finsheet.engines.guard import ReadStatement, answer_schema, build_candidate
from finsheet.engines.http import (
    EngineStatus,
    HttpEngineClient,
    ResponseCache,
    RetryPolicy,
    SleepFn,
    cache_key,
    cached_call,
    error_detail,
    json_body,
    raise_for_status,
    send_with_retries,
)
from finsheet.errors import EngineBusy, EngineError, EngineUnavailable, FinsheetError
from finsheet.extraction.checks import run_checks
from finsheet.model import Page, Statement
from finsheet.settings import Settings

log = logging.getLogger(__name__)

NAME = "the LLM"
KEY_SETTING = "FINSHEET_LLM_API_KEY"
PROMPT_VERSION = "repair-v1"
"""Part of the cache key: change it whenever the prompt or the schema changes."""
UNSURE_BELOW = 0.7
MAX_TOKENS = 3000
"""Enough for MAX_ITEMS lines of a few periods; a bound so a looping model is cut off rather than waited for."""
MAX_PAGE_CHARS = 12000
"""Longer statement text is cut: small local models have small contexts, and one statement rarely needs more."""

SYSTEM_PROMPT = """You transcribe one financial statement from the text of its page into JSON.
Rules:
- "periods": the column headings of the value columns, left to right, as printed (e.g. "2023", "Dec 31, 2022").
- "items": one entry per printed line that has values, top to bottom, with its label as printed.
- "values": one per period, copied exactly as printed: same digits, no rescaling, no arithmetic.
  A number in parentheses is negative: (1,234) is -1234. A dash meaning nil is 0. A blank cell is null.
- "is_total": true for totals and subtotals.
Answer with the JSON object only."""


def is_unsure(statement: Statement) -> bool:
    """A statement worth a second opinion: a check fails, or the detector was not confident."""
    return statement.confidence < UNSURE_BELOW or any(check.ok is False for check in statement.checks)


class LlmClient(HttpEngineClient):
    """A minimal client for POST {base_url}/chat/completions asking for schema-valid JSON."""

    def __init__(self, settings: Settings, *, retry: RetryPolicy | None = None, sleep: SleepFn = time.sleep) -> None:
        if not settings.llm_enabled:
            raise EngineUnavailable(f"{NAME} is not configured: set FINSHEET_LLM_BASE_URL and FINSHEET_LLM_MODEL")
        self.base_url = settings.llm_base_url.rstrip("/")
        self.model = settings.llm_model
        self.retry = retry or RetryPolicy(timeout=300.0)
        self.sleep = sleep
        super().__init__({"Authorization": f"Bearer {settings.llm_api_key}"} if settings.llm_api_key else {})

    def _post(self, payload: dict[str, Any]) -> httpx.Response:
        return send_with_retries(
            self.http,
            "POST",
            self.base_url + "/chat/completions",
            what=NAME,
            policy=self.retry,
            sleep=self.sleep,
            json=payload,
        )

    def read_json(self, system: str, user: str, *, schema: dict[str, Any], max_tokens: int = MAX_TOKENS) -> str:
        """The model's answer (a JSON text) to one system + user prompt, constrained to `schema` where possible."""
        payload: dict[str, Any] = {
            "model": self.model,
            "messages": [{"role": "system", "content": system}, {"role": "user", "content": user}],
            "temperature": 0,
            "max_tokens": max_tokens,
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": "statement", "schema": schema, "strict": True},
            },
        }
        response = self._post(payload)
        if response.status_code == 400 and _refuses_schema(response):
            log.info("%s refuses json_schema output (%s); asking for a JSON object", NAME, error_detail(response))
            payload["response_format"] = {"type": "json_object"}
            payload["messages"][0]["content"] = f"{system}\nThe JSON must match this JSON Schema:\n{json.dumps(schema)}"
            response = self._post(payload)
        raise_for_status(response, what=NAME, key_setting=KEY_SETTING)
        return _content(json_body(response, what=NAME))

    def models(self) -> list[str]:
        """The model ids the server offers (GET {base_url}/models)."""
        response = send_with_retries(
            self.http, "GET", self.base_url + "/models", what=NAME, policy=self.retry, sleep=self.sleep
        )
        raise_for_status(response, what=NAME, key_setting=KEY_SETTING)
        data = json_body(response, what=NAME).get("data")
        return [str(m.get("id")) for m in data if isinstance(m, dict)] if isinstance(data, list) else []


def _refuses_schema(response: httpx.Response) -> bool:
    detail = error_detail(response).lower()
    return "response_format" in detail or "json_schema" in detail


def _content(body: dict[str, Any]) -> str:
    """choices[0].message.content, or EngineError for a body that is not a chat completion / was cut off."""
    try:
        choice = body["choices"][0]
        content = choice["message"]["content"]
    except (KeyError, IndexError, TypeError):
        raise EngineError(f"{NAME} returned a malformed response (no choices[0].message.content)") from None
    if not isinstance(content, str):
        raise EngineError(f"{NAME} returned a malformed response (message content is not text)")
    if choice.get("finish_reason") == "length":
        raise EngineError(f"{NAME}'s answer was cut off at max_tokens before the JSON was complete")
    return content


def parse_answer(content: str) -> ReadStatement:
    """The answer as a ReadStatement, or EngineError when it is not JSON matching the schema."""
    text = content.strip()
    if text.startswith("```"):  # some servers wrap JSON-object answers in a code fence
        text = text.strip("`").removeprefix("json").strip()
    try:
        return ReadStatement.model_validate_json(text)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise EngineError(f"{NAME}'s answer does not match the schema ({where}: {first['msg']})") from None


def page_prompt(statement: Statement, pages: dict[int, Page]) -> str:
    """The user message: what the statement is, and its pages' layout text (nothing else from the document)."""
    parts = [f"Statement: {statement.type.display_name} ({statement.title})"]
    for number in statement.pages:
        if number in pages:
            parts.append(f"--- page {number} ---\n{pages[number].text}")
    return "\n".join(parts)[:MAX_PAGE_CHARS]


def repair_statements(
    doc_sha256: str,
    statements: list[Statement],
    pages: dict[int, Page],
    settings: Settings,
    *,
    cache: ResponseCache | None = None,
    retry: RetryPolicy | None = None,
    sleep: SleepFn = time.sleep,
    max_tokens: int = MAX_TOKENS,
) -> tuple[list[Statement], list[str]]:
    """Re-read each unsure statement with the LLM; keep a re-read only if it passes more of the pipeline's checks.

    Returns the new statement list (same order; unchanged statements are the same objects) and warnings for the
    analyst. Never raises for an engine failure: the local statements stand and a warning says why.
    """
    unsure = [i for i, st in enumerate(statements) if is_unsure(st) and any(n in pages for n in st.pages)]
    if not unsure or not settings.llm_enabled:
        return statements, []
    result = list(statements)
    notes: list[str] = []
    engine = f"llm:{settings.llm_model}"
    try:
        with LlmClient(settings, retry=retry, sleep=sleep) as client:
            for index in unsure:
                local = statements[index]
                where = f"{local.type.display_name} (p{','.join(map(str, local.pages))})"
                try:
                    read = _ask(client, cache, doc_sha256, local, pages, max_tokens=max_tokens, notes=notes)
                except (EngineBusy, EngineUnavailable):
                    raise
                except EngineError as exc:
                    notes.append(f"{where}: LLM re-read failed, local parse kept: {exc}")
                    continue
                result[index], note = _judge(local, read, pages, engine=engine)
                notes.append(f"{where}: {note}")
    except FinsheetError as exc:  # the service is down, busy or not configured: nothing more to try
        notes.append(f"LLM repair skipped, local parse kept: {exc}")
    except Exception as exc:  # an optional engine must never cost the analyst the extraction, even through a bug
        log.exception("LLM repair failed")
        notes.append(f"LLM repair failed unexpectedly, local parse kept: {type(exc).__name__}: {exc}")
    return result, notes


def _ask(
    client: LlmClient,
    store: ResponseCache | None,
    doc_sha256: str,
    local: Statement,
    pages: dict[int, Page],
    *,
    max_tokens: int,
    notes: list[str],
) -> ReadStatement:
    """The model's reading of one statement, from the cache when it was asked before."""

    def key() -> Any:
        version = f"{PROMPT_VERSION}:{local.type.value}"  # two statements may share a page
        return cache_key(doc_sha256, local.pages, engine="llm", model=client.model, prompt_version=version)

    def call() -> str:
        prompt = page_prompt(local, pages)
        schema = answer_schema("\n".join(pages[n].text for n in local.pages if n in pages))
        items = schema["properties"]["items"]["maxItems"]
        periods = schema["properties"]["periods"]["maxItems"]
        budget = min(max_tokens, 100 + items * (30 + 10 * periods))  # room for every allowed line, no more
        content = client.read_json(SYSTEM_PROMPT, prompt, schema=schema, max_tokens=budget)
        parse_answer(content)  # an answer that does not match the schema is an error, and is not cached
        return content

    content, _ = cached_call(store, key, call, warnings=notes)
    return parse_answer(content)


def _judge(local: Statement, read: ReadStatement, pages: dict[int, Page], *, engine: str) -> tuple[Statement, str]:
    """The better of the local statement and the guarded re-read, and a note saying what happened.

    The re-read must pass more checks *and* read at least as many values: a candidate that dodges a failing check
    by losing the value (its number was not on the page) is not better, only emptier.
    """
    candidate, report = build_candidate(local, read, pages, engine=engine)
    candidate.checks = run_checks(candidate)
    rejected = ""
    if report.rejected:
        shown = ", ".join(f"{v:g}" for v in report.rejected[:5]) + (" …" if len(report.rejected) > 5 else "")
        rejected = f"; {len(report.rejected)} number(s) not on the page rejected ({shown})"
    before, after = local.checks_passed, candidate.checks_passed
    had, has = _count_values(local), _count_values(candidate)
    if after > before and has >= had:
        return candidate, f"LLM re-read kept: {after} checks pass instead of {before}{rejected}"
    why = f"{after} checks pass, the local parse {before}"
    if after > before:
        why = f"it reads fewer values ({has} vs {had})"
    return local, f"LLM re-read not kept: {why}{rejected}"


def _count_values(statement: Statement) -> int:
    return sum(value is not None for item in statement.items for value in item.values.values())


def status(settings: Settings, *, check: bool = True, timeout: float = 5.0) -> EngineStatus:
    """Whether an LLM is configured and (with `check`) whether it answers and offers the configured model."""
    if not settings.llm_enabled:
        return EngineStatus(
            name="LLM", configured=False, detail="off: set FINSHEET_LLM_BASE_URL and FINSHEET_LLM_MODEL"
        )
    where = f"{settings.llm_model} at {settings.llm_base_url}"
    if not check:
        return EngineStatus(name="LLM", configured=True, detail=where)
    try:
        with LlmClient(settings, retry=RetryPolicy(attempts=1, timeout=timeout)) as client:
            offered = client.models()
    except FinsheetError as exc:
        return EngineStatus(name="LLM", configured=True, reachable=False, detail=str(exc))
    if offered and settings.llm_model not in offered:
        offers = ", ".join(offered[:5])
        detail = f"{settings.llm_base_url} answers but does not offer {settings.llm_model} (it offers {offers})"
        return EngineStatus(name="LLM", configured=True, reachable=True, detail=detail)
    return EngineStatus(name="LLM", configured=True, reachable=True, detail=f"{where} answers")
