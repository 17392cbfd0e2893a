"""What the pages keep in a browser session, run on a plain dict: the login's bookkeeping (finsheet.workbench.session)
and the Consolidate page's mapping forms (finsheet.workbench.consolidation_session)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs, urlsplit

from finsheet.consolidate.alignment import consolidate
from finsheet.consolidate.mapping import Overrides, Suggestion
from finsheet.model import Document, LineItem, Period, Statement, StatementType
from finsheet.settings import Settings
from finsheet.store import User
from finsheet.workbench import consolidation as cv
from finsheet.workbench import consolidation_session as keys
from finsheet.workbench import session, web
from finsheet.workbench.consolidation_session import ConsolidationSession

ANALYST = User(username="ana", name="Ana Lyst", role="analyst", created_at=datetime(2026, 1, 1, tzinfo=UTC))


class _Broken:
    """A request context whose headers and cookies cannot be read (Streamlit outside a request)."""

    @property
    def cookies(self) -> Any:
        raise RuntimeError("no request")

    @property
    def headers(self) -> Any:
        raise RuntimeError("no request")


def test_the_login_token_is_the_sessions_else_the_cookies() -> None:
    settings = Settings(cookie_name="fs_cookie")
    browser = SimpleNamespace(cookies={"fs_cookie": "from-cookie", "other": "x"})
    assert session.session_token({}, browser, settings) == "from-cookie"
    assert session.session_token({session.SESSION_TOKEN: "held"}, browser, settings) == "held"
    assert session.session_token({}, SimpleNamespace(cookies={"other": "x"}), settings) is None
    assert session.session_token({}, SimpleNamespace(cookies={"fs_cookie": ""}), settings) is None
    assert session.session_token({}, _Broken(), settings) is None


def test_the_client_is_the_proxys_last_address_only_when_a_proxy_is_configured() -> None:
    request = SimpleNamespace(headers={"X-Forwarded-For": "6.6.6.6, 10.0.0.7"}, ip_address="127.0.0.1")
    assert session.client_address(request, Settings()) == "127.0.0.1"  # a header anyone can write is ignored
    assert session.client_address(request, Settings(client_ip_header="X-Forwarded-For")) == "10.0.0.7"
    assert session.client_address(_Broken(), Settings()) == "local"


def test_a_login_is_remembered_handed_to_the_cookie_and_forgotten() -> None:
    state: dict[str, Any] = {session.DEMO_CHECKED: True}
    session.logged_in(state, ANALYST, "tok-1")
    assert state[session.SESSION_TOKEN] == "tok-1" and state[session.AUTH_STATUS] is True
    assert (state[session.USERNAME], state[session.NAME], state[session.ROLES]) == ("ana", "Ana Lyst", ["analyst"])
    assert session.DEMO_CHECKED not in state  # the new login is offered the demo data afresh
    target = session.take_navigation(state)
    assert target is not None and target.startswith(web.SESSION_PATH)
    code = parse_qs(urlsplit(target).query)["code"][0]
    assert web.HANDOFFS.take(code) == "tok-1"  # the route will set the cookie for this very token
    assert session.take_navigation(state) is None  # the browser is sent once

    session.logged_out(state)
    assert session.SESSION_TOKEN not in state and session.USERNAME not in state
    assert state[session.AUTH_STATUS] is None
    assert session.take_navigation(state) == f"{web.LOGOUT_PATH}?next="

    session.forget_login(state, failed=True)
    assert state[session.AUTH_STATUS] is False


def test_a_flash_is_shown_once() -> None:
    state: dict[str, Any] = {}
    session.flash(state, "Saved.")
    assert session.take_flash(state) == "Saved." and session.take_flash(state) is None


def _filing(year: int) -> Document:
    lines = [("Revenue", 120.0, False), ("Fees", 30.0, False), ("Total income", 150.0, True)]
    this, last = f"{year}-12-31", f"{year - 1}-12-31"
    items = [LineItem(label=label, is_total=total, page=1, box=(72.0, 100.0 + n * 12, 540.0, 110.0 + n * 12),
                      values={this: value, last: value - 10})
             for n, (label, value, total) in enumerate(lines)]
    statement = Statement(type=StatementType.INCOME, title="Statement of operations", pages=[1], confidence=1.0,
                          items=items,
                          periods=[Period(key=this, label=f"FY{year}", end=date(year, 12, 31), months=12),
                                   Period(key=last, label=f"FY{year - 1}", end=date(year - 1, 12, 31), months=12)])
    return Document(file=f"acme-{year}.pdf", sha256=str(year), pages=1, statements=[statement], company="ACME")


def test_a_mapping_form_applies_once_and_empties_or_says_what_it_misses() -> None:
    state: dict[str, Any] = {}
    form = ConsolidationSession(state)
    form.follow("ACME", None, [1])
    names = form.labels(cv.account_choices(consolidate([_filing(2024)])))
    revenue, fees = "income_statement::revenue", "income_statement::fees"
    assert revenue in names and fees in names

    state[keys.MERGE_SOURCE] = fees
    form.merge()
    assert form.take_message() == "Choose two different lines to merge." and form.take_message() is None
    assert form.overrides.merge == [] and state[keys.MERGE_SOURCE] == fees  # the half-filled form is kept

    state[keys.MERGE_TARGET] = revenue
    form.merge()
    assert [(m.source, m.target) for m in form.overrides.merge] == [(fees, revenue)]
    assert form.take_message() == "Merged Income statement · Fees into Income statement · Revenue."
    assert state[keys.MERGE_SOURCE] is None and state[keys.MERGE_TARGET] is None  # a second click does nothing
    form.merge()
    assert len(form.overrides.merge) == 1

    state[keys.RENAME_ACCOUNT], state[keys.RENAME_LABEL] = revenue, " Net revenue "
    form.rename()
    assert form.overrides.rename == {revenue: "Net revenue"} and state[keys.RENAME_LABEL] == ""
    state[keys.EXCLUDE_ACCOUNT] = fees
    form.exclude()
    assert form.overrides.exclude == [fees] and state[keys.EXCLUDE_ACCOUNT] is None

    # The merged line left the tables; the undo list still names it, from the labels the session kept.
    form.labels({revenue: names[revenue]})
    actions = cv.mapping_actions(form.overrides, form.labels({}))
    merged = next((action, said) for action, said in actions if action.startswith("merge:"))
    assert merged[1] == f"merged {names[fees]} into {names[revenue]}"
    form.undo(*merged)
    assert form.overrides.merge == [] and form.take_message() == f"Undone: {merged[1]}."
    assert form.overrides.rename and form.overrides.exclude  # the other actions stay


def test_suggestions_and_undo_all_change_the_overrides() -> None:
    state: dict[str, Any] = {keys.OVERRIDES: Overrides()}
    form = ConsolidationSession(state)
    suggestion = Suggestion(type=StatementType.INCOME, source="sales", target="net sales", source_label="Sales",
                            target_label="Net sales", score=90.0, same_section=True, same_kind=True)
    form.accept(suggestion)
    assert [(m.source, m.target) for m in form.overrides.accepted] == [("sales", "net sales")]
    form.reject(suggestion)
    assert form.overrides.accepted == [] and len(form.overrides.rejected) == 1
    form.accept(suggestion)
    form.undo_merges()
    assert form.overrides.accepted == [] and form.take_message() == "Every merge and match undone."


def test_a_save_opens_the_saved_consolidation_without_restarting_its_controls() -> None:
    state: dict[str, Any] = {}
    form = ConsolidationSession(state)
    form.follow("ACME", None, [1, 2])
    state[keys.DOCUMENTS] = [2]
    form.saved("ACME", 9)
    form.open_pending({3: "older"})
    assert keys.CHOICE not in state  # not among this company's saved ones: nothing chosen
    form.saved("ACME", 9)
    form.open_pending({3: "older", 9: "just saved"})
    assert state[keys.CHOICE] == 9 and keys.CONSOLIDATION_ID not in state
    assert state[keys.CONSOLIDATION_KEY] == ("ACME", 9)


def test_the_workbook_is_built_once_for_each_state_of_the_consolidation() -> None:
    state: dict[str, Any] = {}
    form = ConsolidationSession(state)
    gathered = cv.Gathered(consolidate([_filing(2024)]), "ACME", [1], None, "ACME", [])
    first = form.workbook(gathered)
    assert first[:2] == b"PK" and form.workbook(gathered) is first
    changed = cv.Gathered(consolidate([_filing(2024), _filing(2025)]), "ACME", [1, 2], None, "ACME", [])
    assert form.workbook(changed) is not first
