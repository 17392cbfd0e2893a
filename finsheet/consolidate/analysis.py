"""Figures derived from a consolidated statement, computed with Polars: changes between consecutive periods, CAGR over
the span, and common-size shares. The workbook writes the same figures as Excel formulas; these are the values
those formulas must evaluate to.

Blank, never an error: a change needs both values, a % change a non-zero base, a CAGR positive first and last
values, a common-size share a non-zero base.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import polars as pl

from finsheet.consolidate.mapping import ConsolidationSettings, normalise
from finsheet.consolidate.model import ConsolidatedPeriod, ConsolidatedStatement
from finsheet.model import StatementType

# Which line is 100 % in common-size columns, best first (matched against the normalised label).
_BASES: dict[StatementType, list[str]] = {
    StatementType.INCOME: [
        r"total (net )?revenues?( and other income)?",
        r"(net )?revenues?",
        r"total (net )?sales",
        r"net sales",
        r"sales",
        r"(total )?turnover",
        r"total (revenues?|income)( and (support|other income|gains))?",
        r"total (support and )?revenues?.*",
        r"total income",
    ],
    StatementType.BALANCE: [r"total assets", r"total net assets", r"net assets"],
}


@dataclass(frozen=True, slots=True)
class Span:
    """First and last period of the CAGR, and the years between them (to the nearest quarter)."""

    first: ConsolidatedPeriod
    last: ConsolidatedPeriod
    years: float


def pairs(statement: ConsolidatedStatement) -> list[tuple[ConsolidatedPeriod, ConsolidatedPeriod]]:
    """Consecutive periods of the same length (a quarter is not compared with a year)."""
    result = []
    last: dict[int | None, ConsolidatedPeriod] = {}
    for p in statement.periods:
        if p.when is None:
            continue
        if (prev := last.get(p.months)) is not None:
            result.append((prev, p))
        last[p.months] = p
    return result


def span(statement: ConsolidatedStatement) -> Span | None:
    """The CAGR span: the first and last periods of the most common length, when they are at least a year apart."""
    dated = [p for p in statement.periods if p.when is not None]
    if not dated:
        return None
    length = Counter(p.months for p in dated).most_common(1)[0][0]
    same = [p for p in dated if p.months == length]
    first, last = same[0].when, same[-1].when
    assert first is not None and last is not None
    # 52/53-week years: 1,456 days between fiscal year ends are 4 years, not 3.99.
    years = round((last - first).days / 365.25 * 4) / 4
    first_p, last_p = same[0], same[-1]
    return Span(first_p, last_p, years) if years >= 1 else None


def common_size_base(statement: ConsolidatedStatement, settings: ConsolidationSettings | None = None) -> str | None:
    """The account that is 100 % in common-size columns: the analyst's choice, else total revenue / total assets."""
    chosen = (settings.common_size_base if settings else {}).get(statement.type.value)
    ids = {a.id for a in statement.accounts}
    if chosen in ids:
        return chosen
    money = [a for a in statement.accounts if a.unit is None]
    for pattern in _BASES.get(statement.type, []):
        regex = re.compile(pattern)
        hits = [a for a in money if regex.fullmatch(normalise(a.label))]
        if hits:
            return max(hits, key=lambda a: a.is_total).id  # a "Total revenue" line over a "Revenue" heading
    return None


def change_column(p: ConsolidatedPeriod) -> str:
    return f"change {p.key}"


def pct_column(p: ConsolidatedPeriod) -> str:
    return f"pct {p.key}"


def share_column(p: ConsolidatedPeriod) -> str:
    return f"share {p.key}"


CAGR_COLUMN = "cagr"


def analyse(statement: ConsolidatedStatement, settings: ConsolidationSettings | None = None) -> pl.DataFrame:
    """The statement's frame with change, % change (fractions: 0.05 = 5 %), CAGR and common-size columns added."""
    frame = statement.frame
    exprs: list[pl.Expr] = []
    for prev, cur in pairs(statement):
        a, b = pl.col(prev.key), pl.col(cur.key)
        exprs.append((b - a).alias(change_column(cur)))
        exprs.append(pl.when(a != 0).then((b - a) / a.abs()).otherwise(None).alias(pct_column(cur)))
    if (s := span(statement)) is not None:
        a, b = pl.col(s.first.key), pl.col(s.last.key)
        growth = (b / a).pow(1 / s.years) - 1
        exprs.append(pl.when((a > 0) & (b > 0)).then(growth).otherwise(None).alias(CAGR_COLUMN))
    base = common_size_base(statement, settings)
    if base is not None:
        row = [a.id for a in statement.accounts].index(base)
        for p in statement.periods:
            total = frame[p.key][row]
            share = pl.col(p.key) / total if total else pl.lit(None, dtype=pl.Float64)
            exprs.append(pl.when(pl.col("unit").is_null()).then(share).otherwise(None).alias(share_column(p)))
    return frame.with_columns(exprs) if exprs else frame
