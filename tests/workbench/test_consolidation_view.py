"""The Consolidate page's controls follow the company, the saved consolidation and the documents that finish."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from finsheet.consolidate.alignment import consolidate
from finsheet.consolidate.mapping import Overrides, Suggestion
from finsheet.errors import StorageError
from finsheet.model import Document, LineItem, Period, Statement, StatementType
from finsheet.store import DocumentRecord, UserRef
from finsheet.workbench import consolidation as cv
from finsheet.workbench.consolidation_session import OVERRIDES, ConsolidationSession


def test_controls_start_afresh_then_take_new_documents() -> None:
    """A new company starts with all its documents; one that finishes later joins; a deleted one leaves."""
    state: dict[str, Any] = {}
    ConsolidationSession(state).follow("ACME", None, [1, 2])
    assert state["cons_docs"] == [1, 2] and state[OVERRIDES].exclude == []
    state["cons_docs"] = [1]  # the analyst left document 2 out
    ConsolidationSession(state).follow("ACME", None, [1, 2, 3])
    assert state["cons_docs"] == [1, 3]
    ConsolidationSession(state).follow("ACME", None, [3])
    assert state["cons_docs"] == [3]
    ConsolidationSession(state).follow("OTHER CO", None, [7])
    assert state["cons_docs"] == [7]


def _filing(year: int, lines: list[tuple[str, float, bool]], kind: StatementType = StatementType.INCOME) -> Document:
    """One filing of ACME with this year's figures (label, value, is_total) and last year's (value - 10)."""
    this, last = f"{year}-12-31", f"{year - 1}-12-31"
    items = [LineItem(label=label, is_total=total, page=1, box=(72.0, 100.0 + n * 12, 540.0, 110.0 + n * 12),
                      values={this: value, last: value - 10})
             for n, (label, value, total) in enumerate(lines)]
    statement = Statement(type=kind, title="Statement of operations", pages=[1], confidence=1.0, items=items,
                          periods=[Period(key=this, label=f"FY{year}", end=date(year, 12, 31), months=12),
                                   Period(key=last, label=f"FY{year - 1}", end=date(year - 1, 12, 31), months=12)])
    return Document(file=f"acme-{year}.pdf", sha256=str(year), pages=1, statements=[statement], company="ACME")


def test_real_suggestions_leave_out_same_names_and_totals_onto_lines() -> None:
    """No suggestion pairs a total with a plain line, nor two lines printed with the same name."""
    result = consolidate([_filing(2023, [("Revenue", 120.0, False)])])

    def pair(source: str, target: str, *, same_kind: bool = True) -> Suggestion:
        return Suggestion(type=StatementType.INCOME, source=source.lower(), target=target.lower(), source_label=source,
                          target_label=target, score=100.0 if source == target else 85.0, same_section=True,
                          same_kind=same_kind)

    result.suggestions = [pair("Total other income", "Income tax", same_kind=False), pair("Other", "Other"),
                          pair("Sales", "Net sales")]
    assert [(s.source_label, s.target_label) for s in cv.real_suggestions(result)] == [("Sales", "Net sales")]
    assert cv.suggestions_frame(result)["line"].to_list() == ["Sales"]


def test_each_mapping_action_is_undone_on_its_own() -> None:
    """Merges, renames and exclusions are listed one by one; undoing one leaves the others in force."""
    overrides = cv.merge(Overrides(), "a", "b")
    overrides = cv.merge(overrides, "c", "d")
    overrides = cv.rename(overrides, "e", "Sales")
    overrides = cv.exclude(overrides, "f")
    names = {"a": "Fees", "b": "Revenue", "c": "Tax", "d": "Taxes", "e": "Net sales", "f": "Other"}
    actions = dict(cv.mapping_actions(overrides, names))
    assert list(actions.values()) == ["merged Fees into Revenue", "merged Tax into Taxes",
                                      "renamed Net sales to “Sales”", "left out Other"]
    first = next(a for a, said in actions.items() if said.startswith("merged Fees"))
    after = cv.undo_action(overrides, first)
    assert [(m.source, m.target) for m in after.merge] == [("c", "d")]
    assert after.rename == {"e": "Sales"} and after.exclude == ["f"]
    after = cv.undo_action(cv.undo_action(after, "rename:e"), "exclude:f")
    assert after.rename == {} and after.exclude == []
    with pytest.raises(StorageError):
        cv.undo_action(after, "shuffle:x")


def test_variance_colours_follow_meaning_not_sign() -> None:
    """Revenue up is green; a cost printed as a positive number going up is red; a cost in brackets growing is red."""
    doc = _filing(2023, [("Revenue", 120.0, False), ("Cost of sales", 80.0, False),
                         ("Operating expenses", -30.0, False), ("Net income", 10.0, True)])
    statement = consolidate([doc]).statements[StatementType.INCOME]
    labels = ["Revenue", "Cost of sales", "Operating expenses", "Nowhere"]
    assert cv.variance_colours(statement, labels, [10.0, 10.0, -10.0, 5.0]) == [
        cv.FAVOURABLE, cv.UNFAVOURABLE, cv.UNFAVOURABLE, cv.NEUTRAL]
    assert cv.variance_colours(statement, ["Cost of sales"], [-10.0]) == [cv.FAVOURABLE]
    figure = cv.variance_figure(consolidate([doc]), StatementType.INCOME, "2022-12-31", "2023-12-31")
    bar = figure.data[0]
    colour = dict(zip(bar.y, bar.marker.color, strict=True))
    assert colour["Cost of sales"] == cv.UNFAVOURABLE and colour["Revenue"] == cv.FAVOURABLE


def test_liabilities_rising_are_unfavourable() -> None:
    """On a balance sheet an asset that grows is green, a liability that grows red."""
    doc = _filing(2023, [("Cash", 50.0, False), ("Accounts payable", 40.0, False)], kind=StatementType.BALANCE)
    statement = consolidate([doc]).statements[StatementType.BALANCE]
    assert cv.variance_colours(statement, ["Cash", "Accounts payable"], [5.0, 5.0]) == [
        cv.FAVOURABLE, cv.UNFAVOURABLE]


def _record(id_: int, sha: str, owner: str) -> DocumentRecord:
    return DocumentRecord(id=id_, sha256=sha, name=f"{sha}.pdf", size=1, pages=1, owner=owner,
                          uploaded_at=datetime(2026, 1, 1), status="completed", statements=2)


def test_an_admin_starts_with_one_copy_of_each_file() -> None:
    """Several users' uploads of one filing are not summed by default: the admin's own copy, else the first."""
    docs = [_record(5, "x", "bob"), _record(4, "x", "admin"), _record(3, "y", "bob"), _record(2, "y", "ann")]
    admin = UserRef(username="admin", role="admin")
    assert cv.default_documents(docs, admin) == [4, 2]
    assert cv.document_name(docs[0], admin) == "x.pdf · bob"
    assert cv.document_name(docs[0], UserRef(username="bob")) == "x.pdf"
    state: dict[str, Any] = {}
    ConsolidationSession(state).follow("ACME", None, [5, 4, 3, 2], defaults=cv.default_documents(docs, admin))
    assert state["cons_docs"] == [4, 2]


def test_checks_caption_counts_only_what_could_be_verified() -> None:
    """'checks: passed/verified pass', the not-verified count apart, the failures named and escaped."""
    from types import SimpleNamespace

    from finsheet.model import Check

    checks = [Check(name="a", ok=True, detail="ok"), Check(name="b", ok=None, detail="?"),
              Check(name="c", ok=False, detail="Total [x](y) 5 vs 6")]
    said = cv.checks_caption(SimpleNamespace(checks=checks))  # type: ignore[arg-type]
    assert said.startswith("checks: 1/2 pass · 1 not verified · ") and "](" not in said
    assert cv.checks_caption(SimpleNamespace(checks=checks[:1])) == "checks: 1/1 pass"  # type: ignore[arg-type]


def test_the_mapping_forms_say_what_they_miss_and_what_they_did() -> None:
    """Merge, rename and leave-out requests: nothing applied and a hint when the form is incomplete, else the new
    overrides and what was done, in the lines' names."""
    names, none = {"a": "Cash", "b": "Cash and equivalents"}, Overrides()
    assert cv.merge_request(none, "a", None, names) == (None, "Choose two different lines to merge.")
    assert cv.merge_request(none, "a", "a", names)[0] is None
    merged, said = cv.merge_request(none, "a", "b", names)
    assert merged is not None and [(m.source, m.target) for m in merged.merge] == [("a", "b")]
    assert said == "Merged Cash into Cash and equivalents."
    assert cv.rename_request(none, "a", "  ", names) == (None, "Choose a line and type its new name.")
    renamed, said = cv.rename_request(none, "a", "Cash at bank", names)
    assert renamed is not None and renamed.rename == {"a": "Cash at bank"} and said == "Renamed Cash."
    assert cv.exclude_request(none, None, names) == (None, "")
    left, said = cv.exclude_request(none, "b", names)
    assert left is not None and left.exclude == ["b"] and said == "Left out Cash and equivalents."
