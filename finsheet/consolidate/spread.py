"""The standard spread: each company's as-reported lines mapped onto one chart of accounts, so companies and years
compare line for line, with the ratios an analyst reads first.

    spread = build_spread(consolidation)          # suggested mapping + the analyst's choices (Overrides.spread)
    spread.frame                                  # one row per standard line, one Float64 column per spread period
    spread.ratios                                 # one row per ratio, same columns
    choose(overrides, "debt", [account ids])      # a new Overrides with that choice (saved like the others)

Conventions (the workbook's Spread sheet states them too):

* Costs, assets and liabilities are positive: a line printing one negative (an expense as a deduction "(6,000)",
  a liability in a British balance sheet) is taken negated; profit, equity and cash flows keep their sign. D&A
  comes from the income statement where it is printed there, else from the cash flow statement's add-back.
* Derived lines: gross profit = revenue − cost of sales; EBITDA = EBIT + D&A; net debt = debt − cash; free cash
  flow = operating cash flow − capex.
* Columns are fiscal years named by the calendar year they end in (FY2021 ends 29 August 2021), flagged when the
  year has 53 weeks; then LTM = last fiscal year + year-to-date − the same year-to-date a year earlier, when the
  consolidation holds both year-to-date periods (a 10-K and a later 10-Q).
* Ratios: margins over revenue; leverage over EBITDA; interest cover = EBIT / interest; ROE and ROA over the
  average of opening and closing balances; DSO / DIO / DPO on closing balances over 365 days.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import polars as pl

from finsheet.consolidate.chart import (  # noqa: F401  (re-exported: the chart is part of the spread's API)
    DAYS,
    LINES,
    RATIOS,
    STANDARD,
    VOCABULARY,
    Line,
    Part,
    Ratio,
    Vocabulary,
)
from finsheet.consolidate.mapping import Overrides, normalise, section_of
from finsheet.consolidate.model import Account, ConsolidatedPeriod, ConsolidatedStatement, Consolidation
from finsheet.model import StatementType

IS, BS, CF = StatementType.INCOME, StatementType.BALANCE, StatementType.CASH_FLOW
@dataclass(slots=True)
class Mapped:
    """What a standard line is made of: (account id, sign) pairs, and whether the analyst chose them."""

    key: str
    accounts: list[tuple[str, int]]
    chosen: bool
    """The analyst's choice (saved in Overrides.spread) rather than the suggestion."""


@dataclass(frozen=True, slots=True)
class SpreadPeriod:
    """One spread column: a fiscal year (its flow and balance period keys) or the LTM."""

    key: str
    """'FY2021' or 'LTM 2022-02-13'."""
    label: str
    """'FY2021', 'FY2017 (53 weeks)', 'LTM 2022-02-13'."""
    end: date
    flow: str | None
    """The 12-month period key of the income and cash flow statements."""
    balance: str | None
    """The balance sheet's period key at the same date."""
    weeks: int | None = None
    ltm: tuple[str, str, str] | None = None
    """(fiscal year, current year-to-date, prior year-to-date) income statement keys of an LTM column."""
    ltm_balance: str | None = None
    parts: tuple[tuple[date, int | None, int], ...] = ()
    """What a flow figure of this column is, by (period end, months, +1/−1) — resolved in each statement, whose
    keys differ ("2022-06-30/6m" beside a quarter in the income statement, "2022-06-30" in the cash flow)."""


@dataclass(slots=True)
class Spread:
    periods: list[SpreadPeriod]
    mapping: dict[str, Mapped]
    frame: pl.DataFrame
    """key, label, then one Float64 column per spread period (None: not available)."""
    ratios: pl.DataFrame
    """key, label, then the ratio per spread period (fractions: 0.05 = 5 %; days for DSO/DIO/DPO; × for leverage)."""
    notes: list[str] = field(default_factory=list)
    figures: dict[tuple[str, str], float | None] = field(default_factory=dict)
    """(account id, period key) -> the consolidated figure the mapped lines read."""

    def value(self, key: str, period: str) -> float | None:
        result: float | None = self.frame.filter(pl.col("key") == key)[period][0]
        return result

    def ratio(self, key: str, period: str) -> float | None:
        result: float | None = self.ratios.filter(pl.col("key") == key)[period][0]
        return result


# --------------------------------------------------------------------------- mapping


def choose(overrides: Overrides, key: str, accounts: list[str] | None) -> Overrides:
    """A new Overrides where standard line `key` is made of `accounts` (empty: left blank); None: back to the
    suggestion. Raises KeyError for a line that is not mapped (unknown or derived)."""
    if key not in VOCABULARY:
        raise KeyError(key)
    spread = {k: v for k, v in overrides.spread.items() if k != key}
    if accounts is not None:
        spread[key] = list(dict.fromkeys(accounts))
    return overrides.model_copy(update={"spread": spread})


def suggest(consolidation: Consolidation) -> dict[str, list[str]]:
    """The suggested account ids of every mapped standard line (an empty list where nothing fits)."""
    result: dict[str, list[str]] = {}
    for key, vocab in VOCABULARY.items():
        result[key] = []
        for kind in vocab.statements or (LINES[key].statement,):
            statement = consolidation.statements.get(kind)
            if statement is not None and (found := _match(statement, vocab)):
                result[key] = found
                break
    return result


def _in_part(account: Account, part: Part, kind: StatementType) -> bool:
    """Whether an account sits in the part of its statement a standard line belongs to (the income statement's
    sections say nothing of that kind: any is taken)."""
    top = section_of(account.id)
    if part == "any" or kind == IS:
        return True
    if part == "assets":
        return "liabilit" not in top and "equity" not in top and "operating" not in top
    if part == "liabilities":
        return "asset" not in top or "liabilit" in top
    return part in top or not top  # cash flow sections; a statement without section headings is taken as is


def _match(statement: ConsolidatedStatement, vocab: Vocabulary) -> list[str]:
    headings = _headings(statement)
    candidates = [a for a in statement.accounts if a.unit is None and a.id not in headings
                  and _in_part(a, vocab.part, statement.type)]
    labels = {a.id: normalise(a.label) for a in candidates}
    chosen: list[str] = []
    for pattern in vocab.patterns:
        regex = re.compile(pattern)
        hits = [a for a in candidates if regex.fullmatch(labels[a.id]) and a.id not in chosen]
        if not hits:
            continue
        if not vocab.several:
            # A "Total revenue" line over its parts; else the first such line (the statement's own order).
            return [max(hits, key=lambda a: a.is_total).id]
        chosen.extend(a.id for a in hits)
    return chosen


def _headings(statement: ConsolidatedStatement) -> set[str]:
    """Rows with no figure in any period: headings, not accounts."""
    keys = [p.key for p in statement.periods]
    if not keys:
        return {a.id for a in statement.accounts}
    empty = statement.frame.filter(pl.all_horizontal(pl.col(keys).is_null()))
    return set(empty["account"].to_list())


def mapping(consolidation: Consolidation) -> dict[str, Mapped]:
    """Every mapped standard line with its accounts and signs: the analyst's choice where made, else the
    suggestion. Accounts no longer in the consolidation (excluded, or gone with a document) are dropped."""
    suggested = suggest(consolidation)
    where = {a.id: (kind, st) for kind, st in consolidation.statements.items() for a in st.accounts}
    result: dict[str, Mapped] = {}
    for key in VOCABULARY:
        chosen = key in consolidation.overrides.spread
        ids = consolidation.overrides.spread[key] if chosen else suggested[key]
        accounts = [(a, _sign(LINES[key], *where[a], a)) for a in ids if a in where]
        result[key] = Mapped(key, accounts, chosen)
    return result


_CREDIT = re.compile(r"\b(credit|benefit)\b")
_CHARGE = re.compile(r"\b(expense|charge|provision|cost)\b")


def _sign(line: Line, kind: StatementType, statement: ConsolidatedStatement, account: str) -> int:
    """+1, or −1 for an amount positive by nature printed negative (most of its figures): costs, assets and
    liabilities show positive. A line that names itself a credit ("Income tax credit") printed positive is a
    negative cost."""
    if not line.positive:
        return 1
    row = [a.id for a in statement.accounts].index(account)
    figures = [v for p in statement.periods if (v := statement.frame[p.key][row])]
    negative = sum(v < 0 for v in figures) > len(figures) / 2
    label = normalise(statement.accounts[row].label)
    if _CREDIT.search(label) and not _CHARGE.search(label):
        return 1 if negative else -1
    return -1 if negative else 1


# --------------------------------------------------------------------------- periods


def spread_periods(consolidation: Consolidation) -> list[SpreadPeriod]:
    """The fiscal years of the flow statements (12 months), each with its balance date, then an LTM column."""
    flows = [st for kind, st in consolidation.statements.items() if kind in (IS, CF)]
    balance = consolidation.statements.get(BS)
    annual: dict[date, ConsolidatedPeriod] = {}
    for st in flows:
        lengths = {p.months for p in st.periods} - {None, 12}
        for p in st.periods:
            when = p.when
            if when is not None and (p.months == 12 or (p.months is None and not lengths)):
                annual.setdefault(when, p)
    if not flows and balance is not None:
        annual = {p.when: p for p in balance.periods if p.when is not None}
    balance_keys = {p.when: p.key for p in balance.periods if p.when} if balance is not None else {}
    ends = sorted(annual)
    periods: list[SpreadPeriod] = []
    for n, end in enumerate(ends):
        p = annual[end]
        weeks = p.weeks
        if weeks is None and n > 0 and (end - ends[n - 1]).days in (364, 371):
            weeks = (end - ends[n - 1]).days // 7  # a 52/53-week calendar: the gap between year ends says it
        label = f"FY{end.year}" + (" (53 weeks)" if weeks == 53 else "")
        periods.append(SpreadPeriod(f"FY{end.year}", label, end, p.key if flows else None, balance_keys.get(end),
                                    weeks, parts=((end, p.months, 1),)))
    if (ltm := _ltm(consolidation, periods)) is not None:
        periods.append(ltm)
    return periods


def _ltm(consolidation: Consolidation, periods: list[SpreadPeriod]) -> SpreadPeriod | None:
    """LTM = last fiscal year + current year-to-date − prior year-to-date, when the income statement has both."""
    income = consolidation.statements.get(IS)
    fy = periods[-1] if periods else None
    if income is None or fy is None or fy.flow is None:
        return None
    later = [p for p in income.periods if p.end and p.end > fy.end and p.months and p.months < 12]
    if not later:
        return None
    latest = max(p.end for p in later if p.end)
    current = max((p for p in later if p.end == latest), key=lambda p: p.months or 0)
    assert current.end is not None
    prior = next((p for p in income.periods if p.months == current.months and p.end
                  and 357 <= (current.end - p.end).days <= 371), None)
    if prior is None:
        return None
    balance = consolidation.statements.get(BS)
    at = next((p.key for p in balance.periods if p.end == current.end), None) if balance else None
    key = f"LTM {current.end.isoformat()}"
    assert prior.end is not None
    parts = ((fy.end, 12, 1), (current.end, current.months, 1), (prior.end, prior.months, -1))
    return SpreadPeriod(key, key, current.end, None, at, None, (fy.flow, current.key, prior.key), at, parts)


# --------------------------------------------------------------------------- values


def build_spread(consolidation: Consolidation) -> Spread:
    """The spread of a consolidation: standard lines and ratios for every fiscal year (and LTM)."""
    periods = spread_periods(consolidation)
    mapped = mapping(consolidation)
    where = {a.id: st for st in consolidation.statements.values() for a in st.accounts}
    figures = figures_of(consolidation)
    values: dict[str, dict[str, float | None]] = {}
    for line in STANDARD:
        if line.derived is None:
            values[line.key] = {p.key: line_value(mapped[line.key], p, where, figures) for p in periods}
    # Derived lines after every mapped one (EBITDA sits above EBIT).
    for line in STANDARD:
        if line.derived is not None:
            a, op, b = line.derived
            values[line.key] = {p.key: _combine(values[a][p.key], op, values[b][p.key]) for p in periods}
    frame = pl.DataFrame(
        {"key": [line.key for line in STANDARD], "label": [line.label for line in STANDARD],
         **{p.key: pl.Series(p.key, [values[line.key][p.key] for line in STANDARD], dtype=pl.Float64)
            for p in periods}})
    ratio_values = {r.key: {p.key: ratio_value(r, periods, n, values) for n, p in enumerate(periods)}
                    for r in RATIOS}
    ratios = pl.DataFrame(
        {"key": [r.key for r in RATIOS], "label": [r.label for r in RATIOS],
         **{p.key: pl.Series(p.key, [ratio_values[r.key][p.key] for r in RATIOS], dtype=pl.Float64)
            for p in periods}})
    notes = [f"{p.label}: a 53-week year; growth against the year before compares 53 weeks with 52"
             for p in periods if p.weeks == 53]
    return Spread(periods, mapped, frame, ratios, notes, figures)


def _combine(x: float | None, op: str, y: float | None) -> float | None:
    if x is None or y is None:
        return None
    return x + y if op == "+" else x - y


Figures = dict[tuple[str, str], float | None]
"""(account id, period key) -> the consolidated figure, for every statement (account ids carry their type)."""


def figures_of(consolidation: Consolidation) -> Figures:
    found: Figures = {}
    for st in consolidation.statements.values():
        data = st.frame.select(["account", *(p.key for p in st.periods)]).to_dict(as_series=False)
        for p in st.periods:
            found.update(zip(((a, p.key) for a in data["account"]), data[p.key], strict=True))
    return found


def cell_parts(mapped: Mapped, period: SpreadPeriod, where: dict[str, ConsolidatedStatement],
               figures: Figures) -> list[tuple[str, str, int, int]]:
    """What a spread cell adds up: (account id, period key, sign, +1/−1 for the LTM's prior year-to-date)."""
    parts: list[tuple[str, str, int, int]] = []
    for account, sign in mapped.accounts:
        statement = where[account]
        if statement.type == BS:
            keys = [(period.ltm_balance if period.ltm else period.balance, 1)]
        else:
            keys = [(_key(statement, end, months), s) for end, months, s in period.parts]
        present = [(k, s) for k, s in keys if k is not None and figures.get((account, k)) is not None]
        if len(present) == len(keys):
            parts.extend((account, k, sign, s) for k, s in present)
    return parts


def _key(statement: ConsolidatedStatement, end: date, months: int | None) -> str | None:
    """The statement's period ending `end` of that length (a column of unknown length counts as any)."""
    return next((p.key for p in statement.periods if p.when == end and (p.months is None or months is None
                                                                       or p.months == months)), None)


def line_value(mapped: Mapped, period: SpreadPeriod, where: dict[str, ConsolidatedStatement],
               figures: Figures) -> float | None:
    """A mapped line's value in one spread column (None: none of its accounts has a figure there)."""
    parts = cell_parts(mapped, period, where, figures)
    if not parts:
        return None
    return sum(sign * s * (figures[(a, k)] or 0.0) for a, k, sign, s in parts)


def ratio_value(ratio: Ratio, periods: list[SpreadPeriod], n: int,
                values: dict[str, dict[str, float | None]]) -> float | None:
    """One ratio for spread column `n` (the previous column is the year before, for growth and averages)."""
    p = periods[n]
    a = values[ratio.a][p.key]
    previous = periods[n - 1] if n > 0 and p.ltm is None else None
    if ratio.kind == "growth":
        before = values[ratio.a][previous.key] if previous else None
        return _divide(None if a is None or before is None else a - before, before, absolute=True)
    b = values[ratio.b][p.key]
    if ratio.kind == "share" or ratio.kind == "multiple":
        return _divide(a, b)
    if ratio.kind == "days":
        quotient = _divide(a, b)
        return None if quotient is None else quotient * DAYS
    opening = values[ratio.b][previous.key] if previous else None
    average = None if b is None or opening is None else (b + opening) / 2
    return _divide(a, average)


def _divide(a: float | None, b: float | None, *, absolute: bool = False) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return a / (abs(b) if absolute else b)



# --------------------------------------------------------------------------- for display


def display_tables(spread: Spread) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The spread and the ratios as text tables for the Consolidate page: figures with thousands separators,
    ratios as % / × / days; a dash where there is none."""
    def money(v: float | None) -> str:
        return "–" if v is None else f"({-v:,.0f})" if v < 0 else f"{v:,.0f}"

    def shown(kind: str, v: float | None) -> str:
        if v is None:
            return "–"
        return f"{v:.2f}×" if kind == "multiple" else f"{v:.1f}" if kind == "days" else f"{v:.1%}"

    kinds = {r.key: r.kind for r in RATIOS}
    lines = pl.DataFrame({"line": spread.frame["label"],
                          **{p.label: [money(v) for v in spread.frame[p.key]] for p in spread.periods}},
                         schema_overrides={p.label: pl.String for p in spread.periods})
    ratios = pl.DataFrame(
        {"ratio": spread.ratios["label"],
         **{p.label: [shown(kinds[k], v) for k, v in zip(spread.ratios["key"], spread.ratios[p.key], strict=True)]
            for p in spread.periods}}, schema_overrides={p.label: pl.String for p in spread.periods})
    return lines, ratios
