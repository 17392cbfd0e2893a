"""The Consolidate page's controls follow the company, the saved consolidation and the documents that finish."""

from __future__ import annotations

from typing import Any

from finsheet.workbench.consolidation import OVERRIDES, follow_consolidation


def test_controls_start_afresh_then_take_new_documents() -> None:
    """A new company starts with all its documents; one that finishes later joins; a deleted one leaves."""
    state: dict[str, Any] = {}
    follow_consolidation(state, "ACME", None, [1, 2])
    assert state["cons_docs"] == [1, 2] and state[OVERRIDES].exclude == []
    state["cons_docs"] = [1]  # the analyst left document 2 out
    follow_consolidation(state, "ACME", None, [1, 2, 3])
    assert state["cons_docs"] == [1, 3]
    follow_consolidation(state, "ACME", None, [3])
    assert state["cons_docs"] == [3]
    follow_consolidation(state, "OTHER CO", None, [7])
    assert state["cons_docs"] == [7]
