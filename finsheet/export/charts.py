"""Plotly figures of a consolidation: trends, the variance between two periods, common-size composition.

    trend(consolidation, kind, accounts) -> Figure
    variance(consolidation, kind, start, end, *, accounts=None, top=15) -> Figure       (bars, largest first)
    bridge(consolidation, kind, start, end, *, total) -> Figure                      (waterfall)
    composition(consolidation, kind, *, accounts=None, periods=None) -> Figure        (stacked % shares)

Accounts are given by id or by label (case and punctuation do not matter). Period axes are categorical, so fiscal
years ending on different days are evenly spaced and labelled as printed.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from finsheet.consolidate import analysis
from finsheet.consolidate.mapping import normalise
from finsheet.consolidate.model import Account, ConsolidatedStatement, Consolidation
from finsheet.errors import ExportError
from finsheet.export.footing import find_footings
from finsheet.model import StatementType

UP, DOWN, TOTAL = "#2e7d32", "#c62828", "#455a64"


def _statement(consolidation: Consolidation, kind: StatementType) -> ConsolidatedStatement:
    st = consolidation.statements.get(kind)
    if st is None:
        raise ExportError(f"the consolidation has no {kind.display_name.lower()}")
    return st


def find_account(statement: ConsolidatedStatement, account: str) -> int:
    """Row index of an account given by id or label. Raises ExportError when there is none."""
    for i, a in enumerate(statement.accounts):
        if a.id == account:
            return i
    wanted = normalise(account)
    for i, a in enumerate(statement.accounts):
        if normalise(a.label) == wanted:
            return i
    raise ExportError(f"no account {account!r} in the {statement.type.display_name.lower()}")


def _period(statement: ConsolidatedStatement, key: str) -> int:
    for i, p in enumerate(statement.periods):
        if key in (p.key, p.label):
            return i
    raise ExportError(f"no period {key!r}: the periods are {', '.join(p.label for p in statement.periods)}")


def _layout(fig: go.Figure, title: str, consolidation: Consolidation, *, percent: bool = False) -> go.Figure:
    fig.update_layout(
        title=title,
        xaxis={"type": "category"},
        yaxis={"title": "share" if percent else consolidation.scale_label, "tickformat": ".0%" if percent else ","},
        legend={"orientation": "h", "y": -0.2},
        margin={"l": 60, "r": 20, "t": 60, "b": 60},
        template="plotly_white",
    )
    return fig


def trend(consolidation: Consolidation, kind: StatementType, accounts: Sequence[str]) -> go.Figure:
    """One line per account across the periods."""
    st = _statement(consolidation, kind)
    fig = go.Figure()
    labels = [p.label for p in st.periods]
    for account in accounts:
        row = find_account(st, account)
        values = [st.frame[p.key][row] for p in st.periods]
        fig.add_trace(go.Scatter(x=labels, y=values, mode="lines+markers", name=st.accounts[row].label,
                                 connectgaps=False))
    return _layout(fig, f"{kind.display_name}: trend", consolidation)


def variance(
    consolidation: Consolidation,
    kind: StatementType,
    start: str,
    end: str,
    *,
    accounts: Sequence[str] | None = None,
    top: int = 15,
) -> go.Figure:
    """Change of each account from `start` to `end` (period keys or labels), the largest changes first."""
    st = _statement(consolidation, kind)
    a, b = _period(st, start), _period(st, end)
    rows = [find_account(st, x) for x in accounts] if accounts else [
        i for i, acc in enumerate(st.accounts) if acc.unit is None and not acc.is_total]
    changes = []
    for row in rows:
        old, new = st.frame[st.periods[a].key][row], st.frame[st.periods[b].key][row]
        if old is not None and new is not None and new != old:
            changes.append((st.accounts[row].label, new - old))
    changes.sort(key=lambda c: -abs(c[1]))
    changes = changes[:top][::-1]  # largest at the top of a horizontal bar chart
    fig = go.Figure(go.Bar(
        x=[c[1] for c in changes], y=[c[0] for c in changes], orientation="h",
        marker_color=[UP if c[1] > 0 else DOWN for c in changes],
    ))
    title = f"{kind.display_name}: change {st.periods[a].label} to {st.periods[b].label}"
    fig.update_layout(title=title, xaxis={"title": consolidation.scale_label, "tickformat": ","},
                      yaxis={"type": "category"}, template="plotly_white", margin={"l": 220, "r": 20, "t": 60})
    return fig


def bridge(consolidation: Consolidation, kind: StatementType, start: str, end: str, *, total: str) -> go.Figure:
    """Waterfall from a total in one period to the same total in another, through the changes of its lines."""
    st = _statement(consolidation, kind)
    a, b = st.periods[_period(st, start)], st.periods[_period(st, end)]
    t = find_account(st, total)
    first, last = st.frame[a.key][t], st.frame[b.key][t]
    if first is None or last is None:
        raise ExportError(f"{st.accounts[t].label} has no value in {a.label} or {b.label}")
    footing = find_footings(st).footings.get(t)
    steps: list[tuple[str, float]] = []
    if footing is not None and footing.decided:
        for row, sign in footing.parts:
            old, new = st.frame[a.key][row], st.frame[b.key][row]
            delta = sign * ((new or 0.0) - (old or 0.0))
            if delta:
                steps.append((st.accounts[row].label, delta))
    other = (last - first) - sum(d for _, d in steps)
    if abs(other) > 1e-9:
        steps.append(("Other", other))
    names = [f"{st.accounts[t].label} {a.label}", *(s[0] for s in steps), f"{st.accounts[t].label} {b.label}"]
    fig = go.Figure(go.Waterfall(
        x=names, y=[first, *(s[1] for s in steps), last],
        measure=["absolute", *(["relative"] * len(steps)), "total"],
        increasing={"marker": {"color": UP}}, decreasing={"marker": {"color": DOWN}},
        totals={"marker": {"color": TOTAL}},
    ))
    return _layout(fig, f"{st.accounts[t].label}: {a.label} to {b.label}", consolidation)


def _components(st: ConsolidatedStatement, base: int) -> list[int]:
    """The plain money lines above the base total that share its top section (revenue lines, asset lines);
    headings (no value in any period) are left out."""
    top = st.accounts[base].section[:1]
    valued = [any(st.frame[p.key][i] is not None for p in st.periods) for i in range(base)]
    return [i for i, acc in enumerate(st.accounts[:base])
            if acc.unit is None and not acc.is_total and acc.section[:1] == top and valued[i]]


def composition(
    consolidation: Consolidation,
    kind: StatementType,
    *,
    accounts: Sequence[str] | None = None,
    periods: Sequence[str] | None = None,
) -> go.Figure:
    """Stacked shares of the common-size base (total revenue, total assets) per period."""
    st = _statement(consolidation, kind)
    base_id = analysis.common_size_base(st, consolidation.settings)
    if base_id is None:
        raise ExportError(f"no common-size base (total revenue / total assets) in the {kind.display_name.lower()}")
    base = find_account(st, base_id)
    rows = [find_account(st, x) for x in accounts] if accounts else _components(st, base)
    chosen = [st.periods[_period(st, p)] for p in periods] if periods else st.periods
    table = analysis.analyse(st, consolidation.settings)
    fig = go.Figure()
    for row in rows:
        account: Account = st.accounts[row]
        shares = [table[analysis.share_column(p)][row] for p in chosen]
        fig.add_trace(go.Bar(x=[p.label for p in chosen], y=shares, name=account.label))
    fig.update_layout(barmode="relative")
    return _layout(fig, f"{kind.display_name}: % of {st.accounts[base].label}", consolidation, percent=True)
