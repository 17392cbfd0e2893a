"""Which lines each total adds up, so the workbook can write totals as `=SUM(...)` formulas.

Statements do not say which lines a total covers, and indentation alone is not reliable, so it is found from the
numbers: walking up from a total, each line is added in turn (a subtotal already explained stands for the lines it
covers), and the first run of lines whose sum equals the printed total in every period is its component set. A
total that is an earlier total minus the lines since ("Operating income" = "Total revenue" − expenses printed as
positive numbers) is recognised too. A total nothing adds up to is left as printed; the workbook says by how much
it differs from the lines directly above it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from finsheet.consolidate.model import ConsolidatedStatement


@dataclass(frozen=True, slots=True)
class Footing:
    """`total` (a row index) = `base` row − sum(parts) when base is set, else sum(parts).

    `matched` holds the period keys where the printed total equals that; `differences` the others
    (printed − computed). `parts` are row indices, top to bottom.
    """

    total: int
    parts: tuple[int, ...]
    base: int | None
    matched: frozenset[str]
    differences: dict[str, float]

    @property
    def covers(self) -> int:
        """The first row this total accounts for."""
        return min([*self.parts, *([self.base] if self.base is not None else [])])

    def formula(self, column: str, first_row: int, sheet: str = "") -> str:
        """'SUM(B4:B6,B9)' or 'B3-SUM(B4:B6)' (no '='), for rows counted from `first_row`, optionally on `sheet`."""
        prefix = f"'{sheet}'!" if sheet else ""
        runs: list[list[int]] = []
        for row in (first_row + p for p in self.parts):
            if runs and row == runs[-1][-1] + 1:
                runs[-1].append(row)
            else:
                runs.append([row])
        cells = ",".join(
            f"{prefix}{column}{run[0]}" if len(run) == 1 else f"{prefix}{column}{run[0]}:{column}{run[-1]}"
            for run in runs
        )
        if self.base is not None:
            return f"{prefix}{column}{first_row + self.base}-SUM({cells})"
        return f"SUM({cells})"


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)


def find_footings(statement: ConsolidatedStatement) -> dict[int, Footing]:
    """Footings of the money totals of a statement, by row index; totals with no candidate set are absent."""
    keys = [p.key for p in statement.periods]
    columns = [statement.frame[k].to_list() for k in keys]
    grid = [list(row) for row in zip(*columns, strict=True)] if columns else [[] for _ in statement.accounts]
    found: dict[int, Footing] = {}
    covers: dict[int, int] = {}
    for t, account in enumerate(statement.accounts):
        if not account.is_total or account.unit is not None:
            continue
        printed = grid[t]
        if all(v is None for v in printed):
            continue
        footing = (
            _walk(t, grid, keys, covers, statement, partial=False)
            or _base_minus_block(t, grid, keys, statement)
            or _walk(t, grid, keys, covers, statement, partial=True)
            or _nearest_block(t, grid, keys, statement)
        )
        if footing is not None:
            found[t] = footing
            if footing.matched:
                # Transitively: a total over a subtotal stands for everything that subtotal stands for.
                covers[t] = min(covers.get(p, p) for p in (*footing.parts, *([footing.base] if footing.base else [])))
    return found


def _compare(
    t: int, total: list[float | None], sums: list[float], keys: list[str]
) -> tuple[set[str], dict[str, float]]:
    matched: set[str] = set()
    diffs: dict[str, float] = {}
    for k, printed, computed in zip(keys, total, sums, strict=True):
        if printed is None:
            continue
        if _close(printed, computed):
            matched.add(k)
        else:
            diffs[k] = printed - computed
    return matched, diffs


def _walk(
    t: int,
    grid: list[list[float | None]],
    keys: list[str],
    covers: dict[int, int],
    statement: ConsolidatedStatement,
    *,
    partial: bool,
) -> Footing | None:
    """Add lines upwards (a footed subtotal standing for its lines) until the sum equals the total everywhere."""
    path: list[int] = []
    r = t - 1
    while r >= 0:
        if statement.accounts[r].unit is None:
            path.append(r)
        r = covers.get(r, r) - 1
    if not path:
        return None
    # Every prefix of the walk at once: running sums per period, compared with the printed total.
    values = np.array([[np.nan if v is None else v for v in grid[r]] for r in path], dtype=float)
    running = np.cumsum(np.nan_to_num(values), axis=0)
    seen_value = np.cumsum(~np.isnan(values).all(axis=1)) > 0
    printed = np.array([np.nan if v is None else v for v in grid[t]], dtype=float)
    present = ~np.isnan(printed)
    close = np.isclose(running, printed, rtol=1e-9, atol=1e-6) & present & seen_value[:, None]
    matched_count = close.sum(axis=1)
    complete = np.flatnonzero(matched_count == present.sum())
    if complete.size:
        best = int(complete[0])
    elif not partial:
        return None
    else:
        # A partial match (a rounding slip in one year) counts only with evidence from two non-nil years at least.
        evidence = (close & (printed != 0)).sum(axis=1)
        ok = (evidence >= 2) & (matched_count >= present.sum() - matched_count)
        if not ok.any():
            return None
        best = int(np.flatnonzero(ok & (matched_count == matched_count[ok].max()))[0])
    parts = path[: best + 1]
    matched = frozenset(k for k, hit in zip(keys, close[best], strict=True) if hit)
    diffs = {k: float(printed[i] - running[best, i]) for i, k in enumerate(keys) if present[i] and k not in matched}
    return Footing(t, tuple(sorted(parts)), None, matched, diffs)


def _plain_lines_above(t: int, statement: ConsolidatedStatement) -> tuple[list[int], int]:
    """The money lines between row `t` and the nearest total above it, and that total's row (-1 when none)."""
    parts: list[int] = []
    r = t - 1
    while r >= 0 and not statement.accounts[r].is_total:
        if statement.accounts[r].unit is None:
            parts.append(r)
        r -= 1
    return parts, r


def _base_minus_block(
    t: int, grid: list[list[float | None]], keys: list[str], statement: ConsolidatedStatement
) -> Footing | None:
    """The nearest total above minus the plain lines between (expenses printed as positive numbers)."""
    parts, r = _plain_lines_above(t, statement)
    if r < 0 or not parts or statement.accounts[r].unit is not None:
        return None
    computed = [(grid[r][i] or 0.0) - sum(grid[p][i] or 0.0 for p in parts) for i in range(len(keys))]
    matched, diffs = _compare(t, grid[t], computed, keys)
    if len(matched) == sum(v is not None for v in grid[t]):
        return Footing(t, tuple(sorted(parts)), r, frozenset(matched), diffs)
    return None


def _nearest_block(
    t: int, grid: list[list[float | None]], keys: list[str], statement: ConsolidatedStatement
) -> Footing | None:
    """No formula: the plain lines directly above the total, what a reader would add up, for the comment."""
    parts, _ = _plain_lines_above(t, statement)
    if all(grid[p][i] is None for p in parts for i in range(len(keys))):
        return None  # only headings above: there is nothing to compare with
    sums = [sum(grid[p][i] or 0.0 for p in parts) for i in range(len(keys))]
    diffs = {k: v - s for k, v, s in zip(keys, grid[t], sums, strict=True) if v is not None}
    return Footing(t, tuple(sorted(parts)), None, frozenset(), diffs)
