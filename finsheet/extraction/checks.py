"""Accounting identities on one statement, per period.

    run_checks(statement) -> list[Check]           the one entry: Review, Consolidate and the workbook show these
    check_specs(statement) -> list[CheckSpec]       the same checks with the lines and periods each one compares,
                                                    so the workbook writes them as live formulas

* every total against the lines the statement's structure says it adds up, with their signs (`structure.py`);
* balance sheet: total assets = total liabilities + equity (or net assets = total equity in the UK format);
* cash flow: cash at the start + the net change (+ exchange effects) = cash at the end; the three activity totals
  add up to the net change; each column's opening cash = the previous column's closing cash;
* changes in equity laid out by component: on every line, the total column = the component columns
  (`equity_columns.py`);
* a statement that does not reach its closing total (no total liabilities and equity, no closing cash, no net
  income) says it may be cut short;
* a figure that breaks an identity the others satisfy is marked doubtful (`doubt.py`).

The ties between a document's statements (net income, closing cash) are `ties.py`'s; they use the machinery here.

A check is True, False, or None — **not verified**: the structure could not be decided or a figure is missing. Not
verified is never a failure. A figure OCR could not read (no value, its printed text kept: `unreadable`) is printed
but unknown: every check it takes part in, in that period, is not verified and names it — never counted as nil,
never left out of a sum, and its line still closes a statement. Printed statements round every line, so sums may
differ from their totals by a rounding unit per line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from finsheet.extraction.doubt import mark_doubtful
from finsheet.extraction.equity_columns import column_sums
from finsheet.extraction.numbers import format_figure
from finsheet.extraction.structure import Structure, statement_structure, tolerance
from finsheet.model import Check, LineItem, Period, Statement, StatementType

T = StatementType


class Ref(NamedTuple):
    """One figure a check compares: the line at `row` of the statement of type `kind`, in `period`, signed."""

    kind: StatementType
    row: int
    period: str
    sign: int = 1


@dataclass(frozen=True, slots=True)
class CheckSpec:
    """A check with what it compares: Σ `printed` (its `actual`) against Σ `computed` (its `expected`), within
    `tolerance`. Both sides are empty for a check that compares nothing (a statement cut short)."""

    check: Check
    printed: tuple[Ref, ...] = ()
    computed: tuple[Ref, ...] = ()
    tolerance: float = 0.0
    describe: str = ""
    """What is compared, in words: "Total revenue = sum of its 2 lines"."""


def run_checks(statement: Statement) -> list[Check]:
    """All checks that apply to the statement, for every period."""
    specs = check_specs(statement)
    mark_doubtful(statement, specs)
    return [s.check for s in specs]


def check_specs(statement: Statement, structure: Structure | None = None) -> list[CheckSpec]:
    """The checks of one statement with the figures each compares (rows index `statement.items`)."""
    structure = structure or statement_structure(statement)
    ctx = _Context(statement, structure)
    specs: list[CheckSpec] = []
    if statement.type == T.BALANCE:
        specs.extend(_balance(ctx))
    if statement.type == T.CASH_FLOW:
        specs.extend(_cash_roll_forward(ctx))
        specs.extend(_cash_activities(ctx))
        specs.extend(_opening_equals_prior_closing(ctx))
    if statement.type == T.INCOME:
        specs.extend(_income_closes(ctx))
    if statement.type == T.COMPREHENSIVE:
        specs.extend(_comprehensive_closes(ctx))
    if statement.type == T.EQUITY:
        specs.extend(_equity_closes(ctx))
        specs.extend(_equity_across(ctx))
    specs.extend(_subtotals(ctx))
    return specs


# --------------------------------------------------------------------------- shared machinery


class _Context:
    def __init__(self, statement: Statement, structure: Structure) -> None:
        self.statement = statement
        self.structure = structure
        self.kind = statement.type
        self.money = [i for i, it in enumerate(statement.items) if it.unit is None and _has_figures(it)]
        self.norms = [_norm(it.label) for it in statement.items]

    def value(self, row: int, key: str) -> float | None:
        return self.statement.items[row].values.get(key)

    def item(self, ref: Ref) -> LineItem:
        return self.statement.items[ref.row]

    def absent(self, row: int, key: str) -> bool:
        """The line prints no figure in that period (an unreadable one is printed)."""
        return _absent(self.statement.items[row], key)

    def find(self, pattern: str, *, last: bool = False, rows: Sequence[int] | None = None) -> int | None:
        regex = re.compile(pattern, re.I)
        hits = [i for i in (self.money if rows is None else rows) if regex.search(self.norms[i])]
        if not hits:
            return None
        return hits[-1] if last else hits[0]

    def label(self, row: int) -> str:
        return self.statement.items[row].label

    def period_label(self, period: Period) -> str:
        return period.label or period.key


def _has_figures(item: LineItem) -> bool:
    """Whether a line prints any figure (a consolidated heading carries every period with no value); a figure OCR
    could not read is printed."""
    return any(v is not None for v in item.values.values()) or any(unreadable(item, k) for k in item.raw)


def unreadable(item: LineItem, key: str) -> bool:
    """Whether the line's figure in that period is printed but could not be read: no value, its printed text kept."""
    return item.values.get(key) is None and bool(item.raw.get(key, "").strip())


def _absent(item: LineItem, key: str) -> bool:
    return item.values.get(key) is None and not unreadable(item, key)


def _unreadable_note(figures: Sequence[tuple[LineItem, str]]) -> str:
    seen: list[str] = []
    for it, key in figures:
        text = f"{it.label!r} printed {it.raw[key]!r}"
        if text not in seen:
            seen.append(text)
    return "unreadable figure" + "s" * (len(seen) > 1) + ": " + ", ".join(seen)


def _norm(label: str) -> str:
    text = label.lower().replace("\u2019", "'").replace("&", "and")
    text = re.sub(r"\(note[^)]*\)|\([a-z]\)", " ", text)
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9'()/ -]+", " ", text)).strip()


def _total(refs: Sequence[Ref], value: Callable[[Ref], float | None]) -> float | None:
    """Σ sign × value; None when any figure is missing."""
    out = 0.0
    for ref in refs:
        v = value(ref)
        if v is None:
            return None
        out += ref.sign * v
    return out


def _compare(
    name: str,
    where: str,
    describe: str,
    printed: Sequence[Ref],
    computed: Sequence[Ref],
    tol: float,
    value: Callable[[Ref], float | None],
    *,
    item: Callable[[Ref], LineItem],
    verdict: bool | None = True,
    why: str = "",
    nearby: Sequence[tuple[LineItem, str]] = (),
) -> CheckSpec:
    """One period's check: printed (actual) against computed (expected). `verdict=None` forces "not verified".
    `item` gives the line of a figure: an unreadable one on either side (or among `nearby`, lines a total not
    verified might add up) makes the check not verified and named, its side's sum unknown rather than one without
    it."""
    unread_printed = [(item(r), r.period) for r in printed if unreadable(item(r), r.period)]
    unread_computed = [(item(r), r.period) for r in computed if unreadable(item(r), r.period)]
    unread = [*unread_printed, *unread_computed, *nearby]
    actual = _total(printed, value) if printed and not unread_printed else None
    expected = _total(computed, value) if computed and not unread_computed else None
    detail = f"{where}: {describe}"
    ok: bool | None
    if unread:
        ok = None
        detail += f": not verified ({_unreadable_note(unread)})"
    elif verdict is None or actual is None or expected is None:
        ok = None
        detail += f": not verified ({why or 'a figure is missing'})"
    else:
        ok = abs(expected - actual) <= tol
        detail += f": {format_figure(expected)} vs {format_figure(actual)}"
        if not ok:
            detail += f" (differs by {format_figure(actual - expected)})"
    period = printed[0].period if printed else None
    check = Check(name=name, ok=ok, detail=detail, period=period, expected=expected, actual=actual)
    return CheckSpec(check, tuple(printed), tuple(computed), tol, describe)


def _cut_short_unless_closed(ctx: _Context, what: str) -> list[CheckSpec]:
    """A statement whose closing line was not recognised is still complete when it ends on a total (a format whose
    closing line reads otherwise: "Total capital and reserves", "NET REVENUE"); one that ends on a plain line may
    have been cut short."""
    rows = ctx.money
    if rows and ctx.statement.items[rows[-1]].is_total:
        return []
    return [_cut_short(what)]


def _cut_short(what: str) -> CheckSpec:
    detail = f"statement may be cut short: no closing total found ({what})"
    return CheckSpec(Check(name="closing_total_found", ok=False, detail=detail), describe="closing total found")


# --------------------------------------------------------------------------- subtotals (the structure)


def _subtotals(ctx: _Context) -> list[CheckSpec]:
    """Every total against the lines the structure says it adds up, per period; "not verified" where the structure
    could not be decided."""
    out: list[CheckSpec] = []
    structure, st = ctx.structure, ctx.statement
    for t, footing in structure.footings.items():
        if not footing.decided and ctx.kind == T.EQUITY:
            # a changes-in-equity statement's columns are its components and its "totals" are movements the layout
            # marks bold: a total nothing adds up to there is left unchecked rather than listed as not verified
            continue
        label = st.items[t].label
        for i, period in enumerate(st.periods):
            if ctx.absent(t, period.key):
                continue
            terms = footing.terms(i)
            nearby = _unreadable_above(ctx, t, period.key, terms)
            tol = structure.tolerance(len(terms or ()))
            printed = (Ref(ctx.kind, t, period.key),)
            computed = tuple(Ref(ctx.kind, r, period.key, s) for r, s in terms or ())
            how = footing.how if terms == footing.parts else _describe_terms(st, terms or ())
            describe = f"{label} = {how}" if terms is not None else label
            out.append(_compare(
                "subtotal_foots", ctx.period_label(period), describe, printed, computed, tol, _part_value(st, t),
                item=ctx.item, verdict=structure.ok(footing, i),
                why="no run of the lines above adds up to it" if terms is None else "", nearby=nearby,
            ))
    return out


def _unreadable_above(ctx: _Context, t: int, key: str, terms: Sequence[tuple[int, int]] | None,
                      ) -> list[tuple[LineItem, str]]:
    """Unreadable figures among the lines a total may add up in that period, not among its terms: walking up from
    it as the structure does (a decided total stands for the lines it covers), as far as its highest term — or,
    where the period is not verified, to the heading over its block. An unreadable line is not a line without a
    figure: the structure may have passed over it."""
    covers = {f.total: f.covers for f in ctx.structure.footings.values() if f.decided}
    rows = {r for r, _ in terms or ()}
    top = min(rows) if rows else 0
    out = []
    r = t - 1
    while r >= top:
        it = ctx.statement.items[r]
        if terms is None and not _has_figures(it) and not it.raw:
            break  # the heading over the block
        if r not in rows and unreadable(it, key):
            out.append((it, key))
        r = covers.get(r, r) - 1
    return out


def _describe_terms(st: Statement, terms: Sequence[tuple[int, int]]) -> str:
    minus = sum(s < 0 for _, s in terms)
    if not minus:
        return f"sum of its {len(terms)} lines in this period"
    head = " + ".join(st.items[r].label for r, s in terms if s > 0)
    return f"{head} less {minus} line{'s' * (minus != 1)} in this period"


def _part_value(st: Statement, total: int) -> Callable[[Ref], float | None]:
    """A footing's figures: a part printing nothing counts as nil (as a blank cell does); the total as printed."""

    def value(ref: Ref) -> float | None:
        v = st.items[ref.row].values.get(ref.period)
        return v if ref.row == total else (v or 0.0)

    return value


# --------------------------------------------------------------------------- balance sheet

# The grand total of the claims side: "total liabilities and ... equity", or a list that ends on equity without an
# "and" ("Total liabilities, preferred interests, stockholders' equity (deficit) and non-controlling interests"): a
# label that opens on the liabilities and goes on to name the owners' claim sums both.
_BOTH = (r"^total (?:liabilities|capitali[sz]ation and liabilities)[ ,]*(?:and|&) .*(?:equity|deficit|capital"
         r"|net assets)|^total (?:equity|shareholders' funds) and liabilities$"
         r"|^total liabilities .*\b(?:equity|deficit|capital|net assets)\b"
         r"|^total capitali[sz]ation and liabilities$")
_EQUITY = r"^total (?:stockholders'|shareholders'|members')? ?(?:equity|deficit)(?: \(deficit\))?$"
_NET_ASSETS = r"^net assets$|^net (?:liabilities|assets)/\(?liabilities\)?$|^total net assets$"
_FUNDS = r"shareholders?'?s? funds$|^total (?:capital and reserves|equity)|^net assets attributable"


def _balance(ctx: _Context) -> list[CheckSpec]:
    assets = ctx.find(r"^total assets$") or ctx.find(r"^total assets\b")
    both = ctx.find(_BOTH)
    liabilities = ctx.find(r"^total liabilities$")
    equity = ctx.find(_EQUITY, last=True) or ctx.find(r"^total equity", last=True)
    name = "assets_equal_liabilities_plus_equity"
    if assets is not None and both is not None:
        return _per_period(ctx, name, f"total assets = {ctx.label(both).lower()}", [assets], [both])
    if assets is not None and liabilities is not None and equity is not None:
        if _printed_negative(ctx, liabilities):
            # a statement that prints its liabilities in brackets deducts them: assets less liabilities is equity
            return _per_period(ctx, name, "total assets + total liabilities (printed negative) = total equity",
                               [assets, liabilities], [equity])
        return _per_period(ctx, name, "total assets = total liabilities + total equity", [assets],
                           [liabilities, equity])
    net_assets = ctx.find(_NET_ASSETS)
    funds = equity if equity is not None else ctx.find(_FUNDS)
    if net_assets is not None and funds is not None and net_assets != funds:
        return _per_period(ctx, "net_assets_equal_equity", "net assets = total equity", [net_assets], [funds])
    missing = "no total assets" if assets is None else "no total liabilities and equity"
    return _cut_short_unless_closed(ctx, missing)


def _printed_negative(ctx: _Context, row: int) -> bool:
    """Whether a line prints its figures as deductions: negative in every period with a figure, one at least."""
    figures = [v for v in ctx.statement.items[row].values.values() if v]
    return bool(figures) and all(v < 0 for v in figures)


def _per_period(ctx: _Context, name: str, describe: str, expected: list[int], actual: list[int]) -> list[CheckSpec]:
    """`expected` rows summed against `actual` rows summed, for every period the first expected line prints."""
    out = []
    tol = tolerance(ctx.structure.unit, len(expected) + len(actual) - 1)
    for period in ctx.statement.periods:
        if ctx.absent(expected[0], period.key):
            continue
        printed = [Ref(ctx.kind, r, period.key) for r in actual]
        computed = [Ref(ctx.kind, r, period.key) for r in expected]
        out.append(_compare(name, ctx.period_label(period), describe, printed, computed, tol,
                            lambda ref: ctx.value(ref.row, ref.period), item=ctx.item))
    return out


# --------------------------------------------------------------------------- income statement

# An income statement's net result: "Net income", "Profit (loss) for the year", and "Profit and total comprehensive
# income for the year" where a company has no other comprehensive income (one line is both results)
_NET_INCOME = (r"^net (?:income|earnings|profit|loss|\(?loss\)?|income \(loss\)|\(loss\) income|surplus|deficit)"
               r"|^(?:profit|loss|\(?loss\)?/profit|profit/\(?loss\)?|\(?deficit\)?/surplus|surplus)"
               r"(?: ?/ ?\(?loss\)?| \(loss\))?(?: and (?:total )?comprehensive (?:income|loss|\(loss\)|expense))?"
               r" (?:for|after)|^(?:total )?(?:change|increase|decrease)s? in net assets"
               r"|^net (?:increase|decrease|change)"
               r"|^(?:net )?(?:surplus|deficit|result) for the|^consolidated net (?:income|earnings|loss|profit)")

# The net result named anywhere in a label: exports from accounting software prefix their lines with a ledger code
# or a report word ("6363 - Summary Net Income (Loss)").
_NET_RESULT_ANYWHERE = r"\bnet (?:income|earnings|profit|loss|\(loss\)|surplus|deficit)\b"


def _income_closes(ctx: _Context) -> list[CheckSpec]:
    """An income statement closes on its net result: a line that begins with it, or its last line naming it."""
    if not ctx.money or ctx.find(_NET_INCOME) is not None:
        return []
    if re.search(_NET_RESULT_ANYWHERE, ctx.norms[ctx.money[-1]], re.I):
        return []
    return _cut_short_unless_closed(ctx, "no net income line")


def _comprehensive_closes(ctx: _Context) -> list[CheckSpec]:
    """A comprehensive income statement closes on (total) comprehensive income; "other comprehensive income" lines
    are its middle, not its end."""
    if ctx.find(r"^(?:total )?comprehensive (?:income|loss|\(loss\)|earnings)") is not None or not ctx.money:
        return []
    return _cut_short_unless_closed(ctx, "no total comprehensive income")


# a line at a date is a balance ("Balance at ...", "Shares outstanding as of December 31, 2022"); movements name events
_BALANCE_LINE = (r"^(?:balances?|total equity|equity)?\s*(?:at|as at|as of)\b|^balances?\b"
                 r"|^(?:opening|closing|beginning|ending) balances?\b"
                 r"|\b(?:at|as at|as of) (?:\d{1,2} )?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b")


def _equity_closes(ctx: _Context) -> list[CheckSpec]:
    """A statement of changes in equity opens on a balance, moves, and closes on a balance: one that has movements
    after its last balance line stops before its closing balance."""
    balances = [r for r in ctx.money if re.search(_BALANCE_LINE, ctx.norms[r])]
    if not balances or balances[-1] == ctx.money[-1]:
        return []
    if ctx.statement.items[ctx.money[-1]].is_total and len(balances) > 1:
        return []
    return [_cut_short("no closing balance after the last movements")]


def _equity_across(ctx: _Context) -> list[CheckSpec]:
    """On every line of a statement of changes in equity laid out by component, the total column is the sum of the
    columns it adds up (`equity_columns`); a blank cell there is nil."""
    st = ctx.statement
    labels = {p.key: ctx.period_label(p) for p in st.periods}

    def value(ref: Ref) -> float | None:
        return 0.0 if ctx.absent(ref.row, ref.period) else ctx.value(ref.row, ref.period)

    out = []
    for column in column_sums(st, ctx.structure.unit):
        describe = f"{labels[column.total]} = " + " + ".join(labels[k] for k in column.parts)
        for r in ctx.money:
            if ctx.absent(r, column.total):
                continue
            if all(ctx.absent(r, k) for k in column.parts):
                # a line printed in the total column alone sums the lines above it down that column
                # ("Comprehensive income" under net income and other comprehensive income), not across
                continue
            out.append(_compare(
                "equity_columns_add_up", ctx.label(r), describe, [Ref(ctx.kind, r, column.total)],
                [Ref(ctx.kind, r, k) for k in column.parts], tolerance(ctx.structure.unit, len(column.parts)),
                value, item=ctx.item,
            ))
    return out


# --------------------------------------------------------------------------- cash flow

# Opening and closing cash name cash, or, printed under a "Cash and cash equivalents" heading, only the moment
# ("Beginning of period", "End of year"): in a cash-flow statement a bare start or end of the period is the cash's.
_BEGIN = (r"(?:cash|cash equivalents|cash and cash equivalents).*(?:beginning|start|opening|brought forward|at 1 )"
          r"|^(?:beginning|opening) (?:cash|balance)"
          r"|^(?:balance )?(?:at |as of )?(?:the )?(?:beginning|start) of (?:the )?(?:fiscal )?"
          r"(?:year|period|quarter)$")
_END = (r"(?:cash|cash equivalents|cash and cash equivalents).*(?:\bend ?of|at end|\bending\b|closing|year-end|year end"
        r"|at 3[01] |carried forward)|^(?:ending|closing) (?:cash|balance)"
        r"|^(?:balance )?(?:at |as of )?(?:the )?end of (?:the )?(?:fiscal )?(?:year|period|quarter)$")
_END_PART = r"continuing|discontinued|held for sale|^less\b"
# The net change in cash names cash (or funds) as its object, or no object at all ("Net increase (decrease)" under
# the activities); a net change in borrowings, deposits, loans or operating assets is a line of one activity, and
# "cash surrender value" is an insurance asset, not cash
_CHANGE = (r"^(?:net )?(?:\(?(?:increase|decrease|change|movement)s?\)?[/ ,]*(?:and |or )?)+(?:in |of )(?:total )?"
           r"(?:cash|funds)\b(?! surrender| value)"
           r"|^net (?:\(?(?:increase|decrease|change)\)?[/ ]*)+$"
           r"|^net cash (?:\(?(?:inflow|outflow|increase|decrease)\)?[/ ]*)+")
_FX = r"exchange|foreign currenc|translation"
_ACTIVITIES = ("operating", "investing", "financing")


def _with_fx(ctx: _Context, base: list[int], fx: int | None, target: int, key: str) -> list[int]:
    """The base lines, plus the exchange-effect line where it brings them to the target (or where it cannot be read,
    so that the check says so rather than sums without it)."""
    if fx is None:
        return base
    if unreadable(ctx.statement.items[fx], key):
        return [*base, fx]
    total = sum(ctx.value(r, key) or 0.0 for r in base)
    extra, goal = ctx.value(fx, key), ctx.value(target, key)
    if extra is not None and goal is not None and abs(total + extra - goal) < abs(total - goal):
        return [*base, fx]
    return base


def _roll_forward(ctx: _Context) -> tuple[int | None, int | None, int | None]:
    """The opening cash, net change and closing cash lines of the statement's roll-forward.

    The closing line is the first closing-cash line of the whole entity after the opening one: lines after it
    reconcile that total to the balance sheet's cash ("Less: restricted cash at end of year", "… of continuing
    operations at end of period") and are not the sum of the roll. The net change is the last cash-change line
    above the closing one."""
    begin = ctx.find(_BEGIN)
    closing = [r for r in ctx.money if (begin is None or r > begin) and re.search(_END, ctx.norms[r])]
    # the closing cash of the whole entity, not its continuing or discontinued part printed before it
    whole = [r for r in closing if not re.search(_END_PART, ctx.norms[r])]
    end = (whole or closing)[0] if closing else ctx.find(_END, last=True)
    change = None if end is None else ctx.find(_CHANGE, last=True, rows=[r for r in ctx.money if r < end])
    return begin, change, end


def _cash_roll_forward(ctx: _Context) -> list[CheckSpec]:
    begin, change, end = _roll_forward(ctx)
    if end is None:
        return _cut_short_unless_closed(ctx, "no cash at the end of the period")
    if begin is None or change is None or begin == end:
        return []
    fx = ctx.find(_FX, rows=[r for r in ctx.money if r > change])
    # a roll-forward is one block of lines: what else it prints between the net change and the closing cash moves
    # the cash too ("Cash reclassified as assets held for sale", "Cash acquired with subsidiaries")
    moves = [r for r in ctx.money if change < r < end and r not in (begin, fx)
             and not re.search(f"{_BEGIN}|{_END}", ctx.norms[r])]
    out = []
    for period in ctx.statement.periods:
        if ctx.absent(end, period.key):
            continue
        parts = _with_fx(ctx, [begin, change, *moves], fx, end, period.key)
        out.append(_compare(
            "cash_roll_forward", ctx.period_label(period), "cash at start + net change = cash at end",
            [Ref(ctx.kind, end, period.key)], [Ref(ctx.kind, r, period.key) for r in parts],
            tolerance(ctx.structure.unit, 3), lambda ref: ctx.value(ref.row, ref.period),
            item=ctx.item,
        ))
    return out


def _activity_rows(ctx: _Context, activity: str) -> list[int]:
    """The line(s) giving one activity's net cash: its last total, or, where that total is the discontinued
    operations' share printed after the continuing one with no combined line, the two together."""
    pattern = rf"^(?:net |total )?cash\b.*\b{activity}\b.*activit|^{activity} activities$"
    hits = [r for r in ctx.money if re.search(pattern, ctx.norms[r])]
    if not hits:
        return []
    if len(hits) > 1 and "discontinued" in ctx.norms[hits[-1]] and "discontinued" not in ctx.norms[hits[-2]]:
        return hits[-2:]
    return hits[-1:]


def _cash_activities(ctx: _Context) -> list[CheckSpec]:
    totals = [_activity_rows(ctx, a) for a in _ACTIVITIES]
    change = _roll_forward(ctx)[1]
    if change is None or not all(totals):
        return []
    rows = [r for rs in totals for r in rs]
    fx = ctx.find(_FX, rows=[r for r in ctx.money if max(rows) < r < change])
    out = []
    for period in ctx.statement.periods:
        if ctx.absent(change, period.key):
            continue
        parts = _with_fx(ctx, rows, fx, change, period.key)
        out.append(_compare(
            "cash_activities_sum_to_change", ctx.period_label(period),
            "operating + investing + financing = net change in cash",
            [Ref(ctx.kind, change, period.key)], [Ref(ctx.kind, r, period.key) for r in parts],
            tolerance(ctx.structure.unit, 4), lambda ref: ctx.value(ref.row, ref.period),
            item=ctx.item,
        ))
    return out


def _opening_equals_prior_closing(ctx: _Context) -> list[CheckSpec]:
    """Each column's opening cash is the closing cash of the column for the period just before it."""
    begin, _, end = _roll_forward(ctx)
    if begin is None or end is None or begin == end:
        return []
    out = []
    for period, prior in _consecutive(ctx.statement.periods):
        if ctx.absent(begin, period.key) or ctx.absent(end, prior.key):
            continue
        out.append(_compare(
            "opening_cash_equals_prior_closing", ctx.period_label(period),
            f"cash at start = cash at end of {ctx.period_label(prior)}",
            [Ref(ctx.kind, begin, period.key)], [Ref(ctx.kind, end, prior.key)],
            tolerance(ctx.structure.unit, 1), lambda ref: ctx.value(ref.row, ref.period),
            item=ctx.item,
        ))
    return out


def _consecutive(periods: Sequence[Period]) -> list[tuple[Period, Period]]:
    """(period, the one of the same length ending where it starts) pairs: 12-month columns a year apart."""
    out = []
    dated = [p for p in periods if p.end is not None]
    for p in dated:
        assert p.end is not None
        before = [q for q in dated if q.months == p.months and q.end is not None and q.end < p.end
                  and 300 <= (p.end - q.end).days <= 380 and (p.months or 12) == 12]
        if before:
            out.append((p, max(before, key=lambda q: q.end or date.min)))
    return out
