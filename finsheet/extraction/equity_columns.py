"""A statement of changes in equity read across: its columns are the components of equity (share capital, reserves,
retained earnings, non-controlling interests), and its total column adds them up on every line, the opening and
closing balances and each movement alike. That is the statement's own arithmetic, which its lines (movements, not
sums of one another) do not give; checked, it finds a figure read into the wrong column, or a line whose figures
went into its label.

    column_sums(statement, unit) -> [ColumnSum(total="Total equity", parts=("Share capital", ...)), ...]

Which columns a total adds is decided by the figures, the way `structure.py` decides a total's lines: the layout
gives a first reading (each total adds the components since the total before it, which it stands for), and the
lines must bear it out. A count of shares printed beside the amounts is not added; nor, where the heading does not
say what it is, a column that leaves every line adding up once it is left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from finsheet.extraction.structure import tolerance
from finsheet.model import Statement, StatementType

# A column of share (or unit) counts: its heading ends on the thing counted ("Common stock shares", "Shares
# outstanding", "Number of shares") or starts with it ("Shares in treasury"), but "share capital", "share premium",
# "shares to be issued" and "share-based payment reserve" are amounts.
_COUNT = re.compile(
    r"(?:^|\s)(?:number of |no\.? of )?(?:shares|units)(?: outstanding| issued| in issue)?$"
    r"|^(?:shares|units|number|no\.)\b(?! premium| capital| based| to be| option)",
    re.I,
)
# A total column: "Total", "Total equity", "Total stockholders' equity", "Total attributable to owners".
_TOTAL = re.compile(r"^total\b|\btotal$", re.I)
# A column headed by a year or a date is a period: a statement of changes in equity laid out by period (its
# components down the page) is read down, by `structure.py`, not across.
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")

MIN_LINES = 2
"""Lines that must add up before a reading of the columns is taken: one could by chance (all blank but the total)."""


@dataclass(frozen=True, slots=True)
class ColumnSum:
    """On every line, the figure in column `total` is the sum of the figures in columns `parts` (period keys)."""

    total: str
    parts: tuple[str, ...]


def column_sums(statement: Statement, unit: float) -> list[ColumnSum]:
    """The total columns of a statement of changes in equity laid out by component, each with the columns it adds
    up, where the lines bear it out (in at least MIN_LINES lines and in more lines than not); [] otherwise."""
    periods = statement.periods
    if statement.type != StatementType.EQUITY or len(periods) < 3:
        return []
    if any(p.end is not None or _YEAR.search(p.label) for p in periods):
        return []
    keys = [p.key for p in periods]
    figures = _figures(statement, keys)
    labels = {p.key: p.label.strip() for p in periods}
    counts = {k for k in keys if _COUNT.search(labels[k])}
    totals = [k for k in keys if k not in counts and _TOTAL.search(labels[k])] or [keys[-1]]  # unheaded: the last
    out: list[ColumnSum] = []
    before: str | None = None
    for column in keys:
        if column in counts:
            continue
        start = keys.index(before) + 1 if before is not None else 0
        between = keys[start:keys.index(column)]
        if column in totals:
            after = [k for k in keys[keys.index(column) + 1:] if k not in counts] if column == totals[-1] else []
            parts = _decide(figures, keys, column, _readings(before, between, after, counts), unit)
        elif (keys.index(column) < keys.index(totals[-1]) and len([k for k in between if k not in counts]) >= 2
              and _prints_with(figures, keys, column, totals[-1])):
            # a subtotal whose heading does not say so ("Stockholders' equity" before the non-controlling
            # interests, "Attributable to owners of the parent"): the columns before it must add up to it on twice
            # as many lines as not, as any reading found by trying must
            amounts = [k for k in between if k not in counts]
            readings = [([before] if before is not None else []) + amounts] + ([amounts] if before else [])
            parts = _decide(figures, keys, column, readings, unit, layout_first=False)
        else:
            parts = None
        if parts is not None:
            out.append(ColumnSum(column, parts))
            before = column
    return out


def _prints_with(figures: np.ndarray, keys: list[str], column: str, total: str) -> bool:
    """Whether the column prints a figure on most lines the total column does, the closing balance among them, as a
    subtotal of equity does; a memorandum column ("Comprehensive income", beside the components it sums on the
    lines of profit and other comprehensive income) prints no balance."""
    last = figures[:, keys.index(total)]
    mine = figures[:, keys.index(column)]
    lines = (last != 0) & ~np.isnan(last)
    if not lines.any() or mine[np.flatnonzero(lines)[-1]] == 0:
        return False
    return int((lines & (mine != 0)).sum()) >= 0.5 * int(lines.sum())


def _readings(before: str | None, between: list[str], after: list[str], counts: set[str]) -> list[list[str]]:
    """The columns a total may add, the layout's reading first: the total before it (standing for its parts) and
    the amounts between them. Then what a heading may have hidden: a column headed as a count that holds amounts
    ("Shares in treasury", "Restricted shares"), a column that adds nothing (a count or a subtotal whose heading
    does not say so), the total before it left apart (redeemable preferred interests, outside equity, totalled
    before it), and amounts printed after the last total."""
    columns = ([before] if before is not None else []) + between
    amounts = [k for k in between if k not in counts]
    if not amounts:
        return []
    base = [k for k in columns if k not in counts]
    readings = [base]
    readings += [[c for c in columns if c not in counts or c == k] for k in between if k in counts]
    readings += [[k for k in base if k != out] for out in amounts if len(amounts) > 1]
    if before is not None:
        readings.append(amounts)  # the total before it is apart (preferred interests outside equity)
    if after:
        readings.append(base + after)
    return readings


def _figures(statement: Statement, keys: list[str]) -> np.ndarray:
    """Lines × columns: the figure; 0 where the line prints none (a blank cell in this statement is nil); NaN where
    OCR could not read it (no value, its printed text kept)."""
    rows = []
    for item in statement.items:
        if item.unit is not None:
            continue
        row = []
        for k in keys:
            value = item.values.get(k)
            unread = value is None and bool(item.raw.get(k, "").strip())
            row.append(np.nan if unread else (value or 0.0))
        rows.append(row)
    return np.array(rows, dtype=float).reshape(len(rows), len(keys))


def _decide(figures: np.ndarray, keys: list[str], total: str, readings: list[list[str]], unit: float,
            *, layout_first: bool = True) -> tuple[str, ...] | None:
    """Of the readings, the one most lines add up by: the layout's own (the first, when `layout_first`) needs more
    lines than not and wins a tie; any other, found by trying, twice as many lines adding up as not."""
    best: tuple[int, list[str]] | None = None
    for n, parts in enumerate(readings):
        matched, missed = _agreement(figures, keys, total, parts, unit)
        layout = n == 0 and layout_first
        enough = matched >= MIN_LINES and (matched > missed if layout else matched >= 2 * missed + 1)
        if enough and (best is None or matched > best[0]):
            best = (matched, parts)
    return tuple(best[1]) if best else None


def _agreement(figures: np.ndarray, keys: list[str], total: str, parts: list[str], unit: float) -> tuple[int, int]:
    """(lines that add up, lines that do not), over the lines that print a total and a figure among the parts."""
    column = figures[:, keys.index(total)]
    cells = figures[:, [keys.index(k) for k in parts]]
    judged = ~np.isnan(column) & (column != 0) & ~np.isnan(cells).any(axis=1) & (cells != 0).any(axis=1)
    close = np.abs(cells.sum(axis=1) - column) <= tolerance(unit, len(parts))
    matched = int((judged & close).sum())
    return matched, int(judged.sum()) - matched
