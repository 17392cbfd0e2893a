"""The statement's structure: for every total, which lines it adds up and with which signs.

Decided once, here, from the layout (which lines are totals, their order, headings) and the arithmetic across every
period, and used by the extraction's checks, Review, the consolidation and the workbook alike
(`finsheet.export.footing` builds the same `Line`s from a consolidated statement):

    structure = statement_structure(statement)        # or decide(lines, unit=...)
    footing = structure.footings[row]                 # Footing(total, parts=((row, sign), ...), status)

How a total is explained. Walking up from it, each money line is a candidate part, and a total already explained
stands for the lines it covers (so "Total liabilities and equity" adds "Total liabilities" and "Total equity", not
every line twice). Of the runs of lines so found, nearest first, the first whose signed sum equals the printed
total in every period is its footing. The signs tried are the ones statements use: all lines added (expenses printed
negative); the top lines added and the lines under them subtracted (revenue − cost of sales = gross profit; total
revenue − expenses = operating income; income before tax − provision = net income); and signs read from the labels
("Less: …", "Cost of …", "… expenses"). A line netted against the two above it ("Property and equipment, net" after
the gross amount and "Less accumulated depreciation") is a total too, so the gross amount is never counted twice.

Where no run adds up in every period: periods whose lines are laid out differently (a consolidation joins filings
that print gross property in one year and only the net figure in the next) are decided separately, each group from
the lines it prints; otherwise a run that adds up in most periods (two of three or more, or one where an analyst
corrected a figure) is still the structure (the misread or corrected figure then fails its check, red, instead of
the check disappearing); where only the layout speaks ("Total current assets" under the heading "Current assets")
the lines under that heading are. A total printed straight under another total with no lines of its own (a
summary line) has nothing to add up and no footing. Otherwise the total is **not verified** — in the periods
nothing explains — and its check says so; not verified is never a failure.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from finsheet.model import Statement

Status = Literal["foots", "differs", "not_verified"]
Term = tuple[int, int]
"""(row, sign): a line taking part in a total, added (+1) or subtracted (-1)."""


@dataclass(frozen=True, slots=True)
class Line:
    """What the structure needs of one line: its label, whether it is printed as a total, whether it is money (per-
    share and share-count lines never add up into totals), its values per period (None: none printed), and an
    optional hint that it closes an unlabeled block."""

    label: str
    is_total: bool
    values: tuple[float | None, ...]
    money: bool = True
    unlabeled: bool = False
    edited: bool = False
    """An analyst corrected one of its figures: a period that no longer adds up is expected, not evidence against
    the structure the other periods show."""
    unread: tuple[bool, ...] = ()
    """Per period: a figure is printed there but OCR could not read it (its value None)."""

    @property
    def has_values(self) -> bool:
        """Whether it prints a figure in any period, read or not: a line with an unreadable figure is a line, not a
        heading."""
        return any(self.unread) or any(v is not None for v in self.values)

    def prints(self, period: int) -> bool:
        """Whether it prints a figure in a period (by index), read or not."""
        return self.values[period] is not None or (bool(self.unread) and self.unread[period])


@dataclass(frozen=True, slots=True)
class Footing:
    """`total` (a row) = Σ sign × value over `parts` (top to bottom), period by period.

    `status`: "foots" (equal in every period it decides, within rounding), "differs" (decided — by most periods or
    by the layout — but some period does not add up: those checks fail), "not_verified" (no structure could be
    decided: `parts` is empty and the checks say so). Periods laid out differently may have parts of their own
    (`period_parts`, by period index) and periods nothing explains are `unverified`. `computed` holds the signed sum
    per period (None where the total prints nothing or the period is unverified); `how` says it in words."""

    total: int
    parts: tuple[Term, ...]
    status: Status
    how: str
    computed: tuple[float | None, ...] = ()
    implicit: bool = False
    """A line not printed as a total that nets the two above it ("…, net" after gross and accumulated
    depreciation)."""
    period_parts: tuple[tuple[Term, ...] | None, ...] = ()
    unverified: frozenset[int] = frozenset()

    @property
    def decided(self) -> bool:
        return self.status != "not_verified"

    def terms(self, period: int) -> tuple[Term, ...] | None:
        """The parts in one period (by index): None where that period is not verified."""
        if not self.decided or period in self.unverified:
            return None
        if self.period_parts and self.period_parts[period] is not None:
            return self.period_parts[period]
        return self.parts

    @property
    def covers(self) -> int:
        """The first row this total accounts for (itself when undecided)."""
        rows = [r for parts in (self.parts, *(p for p in self.period_parts if p)) for r, _ in parts]
        return min([self.total, *rows])


@dataclass(frozen=True, slots=True)
class Structure:
    """Footings by total row, and the rounding unit the checks allow per line."""

    lines: tuple[Line, ...]
    footings: dict[int, Footing]
    unit: float = 1.0
    covers: dict[int, int] = field(default_factory=dict)
    """The first row each decided total (or netting line) stands for, transitively (`_walk` skips what it covers)."""

    def tolerance(self, count: int) -> float:
        """Rounding slack for a sum of `count` printed lines: half a unit per line, at least one unit."""
        return tolerance(self.unit, count)

    def ok(self, footing: Footing, period: int) -> bool | None:
        """The verdict of one footing in one period: None when not verified or the total prints nothing there."""
        printed = self.lines[footing.total].values[period]
        computed = footing.computed[period] if footing.computed else None
        terms = footing.terms(period)
        if terms is None or printed is None or computed is None:
            return None
        return abs(printed - computed) <= self.tolerance(len(terms))


def tolerance(unit: float, count: int) -> float:
    return max(unit, 0.5 * unit * count) + 1e-9


def rounding_unit(values: Sequence[float | None]) -> float:
    """The printed rounding unit (1, 0.1, 0.01) of figures known only as numbers (a consolidation keeps no text)."""
    decimals = 0
    for v in values:
        if v is None or not math.isfinite(v):
            continue
        while decimals < 2 and abs(round(v, decimals) - v) > 1e-9 * max(1.0, abs(v)):
            decimals += 1
    return 10.0**-decimals


# --------------------------------------------------------------------------- from a Statement


def statement_lines(statement: Statement) -> list[Line]:
    keys = [p.key for p in statement.periods]
    return [
        Line(
            label=it.label,
            is_total=it.is_total,
            values=tuple(it.values.get(k) for k in keys),
            money=it.unit is None,
            unlabeled="no label printed" in (it.note or ""),
            edited=it.engine == "analyst",
            unread=tuple(it.values.get(k) is None and bool(it.raw.get(k, "").strip()) for k in keys),
        )
        for it in statement.items
    ]


def statement_unit(statement: Statement) -> float:
    """The statement's printed rounding unit, from the printed text of its figures ("1,234.5" → 0.1)."""
    decimals = 0
    for item in statement.items:
        if item.unit is not None:
            continue  # per-share figures print cents; the money lines' rounding is what totals carry
        for raw in item.raw.values():
            m = re.search(r"[.,](\d{1,2})\)?%?$", raw)
            if m and not re.search(r"[.,]\d{3}\)?$", raw):
                decimals = max(decimals, len(m.group(1)))
    if decimals == 0 and not any(it.raw for it in statement.items):
        return rounding_unit([v for it in statement.items if it.unit is None for v in it.values.values()])
    return 10.0**-decimals


def statement_structure(statement: Statement) -> Structure:
    """The structure of an extracted (or consolidated) statement: rows are indices into `statement.items`."""
    return decide(statement_lines(statement), unit=statement_unit(statement))


# --------------------------------------------------------------------------- deciding


_MINUS_HINT = re.compile(
    r"^\s*less\b|^\s*minus\b|\bcosts? of\b|\bexpenses?\b|^\s*provision for|^\s*(?:income )?tax(?:es|ation)?\b"
    r"|\bdepreciation\b|\bamorti[sz]ation\b|\bimpairment\b|\bselling\b|\badministrative\b|\bresearch\b",
    re.I,
)
_EITHER_WAY = re.compile(r"[(/]\s*(?:expenses?|costs?|income)\b", re.I)
"""A line naming income and expense together ("Other income (expense), net", "Other (income) expense", "Interest
income/expense") prints a net figure with its own sign: it is added, not subtracted like an expense."""
SPLIT_DEPTH = 12
"""How many top lines of a run may be added while the lines under them are subtracted."""
_GRAND_ASSETS = re.compile(r"^\s*total\s+assets\b", re.I)
_NET_TOTAL = re.compile(r"\bnet\b|\bless\b|\bminus\b", re.I)
_NETTING = re.compile(r"accumulated (?:depreciation|amorti[sz]ation)|^\s*less\b|allowance|impairment", re.I)


def decide(lines: Sequence[Line], *, unit: float = 1.0) -> Structure:
    """The footing of every money total (and of every line netting the two above it), top to bottom."""
    lines = tuple(lines)
    footings: dict[int, Footing] = {}
    covers: dict[int, int] = {}
    for t, line in enumerate(lines):
        if not line.money or not line.has_values:
            continue
        if not line.is_total:
            netted = _netting(lines, t, unit)
            if netted is not None:
                footings[t] = netted
                covers[t] = netted.covers
            continue
        path = _walk(lines, t, covers)
        if not path:
            continue  # the statement's opening line ("Net income" heading a cash flow): nothing above to add up
        footing = _decide_total(lines, t, path, unit)
        if not footing.decided and lines[path[0]].is_total:
            # printed straight under another total with no lines of its own ("Total stockholders' equity" as one
            # summary line, a minority share marked as a total): nothing to add up, so no footing to verify
            continue
        footings[t] = footing
        if footing.decided:
            covers[t] = _first_covered(footing, covers)
    return Structure(lines, footings, unit, covers)


def _first_covered(footing: Footing, covers: dict[int, int]) -> int:
    """The first row a decided total stands for, transitively: a total over a subtotal stands for everything that
    subtotal stands for (`covers`: the same for the totals above it)."""
    rows = {r for parts in (footing.parts, *(p for p in footing.period_parts if p)) for r, _ in parts}
    return min(covers.get(r, r) for r in rows)


@dataclass(frozen=True, slots=True)
class _Run:
    """A candidate: the parts (row, sign), the periods (indices) where they add up, and those where they do not."""

    parts: tuple[Term, ...]
    matched: frozenset[int]
    missed: frozenset[int]


def _decide_total(lines: tuple[Line, ...], t: int, path: list[int], unit: float) -> Footing:
    present = [i for i, v in enumerate(lines[t].values) if v is not None]
    run = _search(lines, t, path, unit, present, partial=False)
    if run is not None:
        return _assemble(lines, t, [(present, run)])
    groups = _layout_groups(lines, path, present)
    if len(groups) > 1:
        decided = []
        for group in groups:
            own = [r for r in path if any(lines[r].values[i] is not None for i in group)]
            found = _search(lines, t, own, unit, group, partial=False) or _search(
                lines, t, own, unit, group, partial=True)
            if found is not None:
                decided.append((group, found))
        if decided:
            return _assemble(lines, t, decided)
    run = _search(lines, t, path, unit, present, partial=True)
    if run is not None:
        return _assemble(lines, t, [(present, run)])
    return _by_heading(lines, t, path) or Footing(
        t, (), "not_verified", "not verified: no run of the lines above adds up to it")


def _layout_groups(lines: tuple[Line, ...], path: list[int], present: list[int]) -> list[list[int]]:
    """The total's periods grouped by which of the candidate lines print a figure in them: periods of one layout.
    A figure OCR could not read is printed all the same: it makes no layout of its own, where a search over its
    period alone could fit figures misread alike (a total and its first line, both with their minus lost, read as
    "the first line less the rest")."""
    groups: dict[tuple[bool, ...], list[int]] = {}
    for i in present:
        groups.setdefault(tuple(lines[r].prints(i) for r in path), []).append(i)
    return list(groups.values())


def _assemble(lines: tuple[Line, ...], t: int, runs: list[tuple[list[int], _Run]]) -> Footing:
    """One footing from the runs deciding groups of periods (the largest group's run is the main one)."""
    runs = sorted(runs, key=lambda gr: -len(gr[0]))
    main = runs[0][1].parts
    n = len(lines[t].values)
    period_parts: list[tuple[Term, ...] | None] = [None] * n
    decided: set[int] = set()
    missed: set[int] = set()
    for group, run in runs:
        decided.update(group)
        missed.update(run.missed)
        if run.parts != main:
            for i in group:
                period_parts[i] = run.parts
    unverified = frozenset(i for i in range(n) if lines[t].values[i] is not None and i not in decided)
    computed: list[float | None] = []
    for i in range(n):
        parts = None if i in unverified else (period_parts[i] or main)
        computed.append(None if parts is None or lines[t].values[i] is None
                        else sum(s * (lines[r].values[i] or 0.0) for r, s in parts))
    status: Status = "differs" if missed else "foots"
    how = _describe(lines, main)
    return Footing(t, main, status, how, tuple(computed),
                   period_parts=tuple(period_parts) if any(period_parts) else (), unverified=unverified)


def _walk(lines: tuple[Line, ...], t: int, covers: dict[int, int]) -> list[int]:
    """The candidate parts of total `t`, nearest first: money lines with figures, an explained total standing for
    the lines it covers."""
    path: list[int] = []
    r = t - 1
    while r >= 0:
        if lines[r].money and lines[r].has_values:
            path.append(r)
        r = covers.get(r, r) - 1
    return path


def _signs(family: int, k: int, hints: np.ndarray) -> tuple[int, ...]:
    """The signs (nearest first) of sign family `family` over the first k lines of a path: 0 all added; j in
    1..SPLIT_DEPTH the top j lines added and the lines under them subtracted (revenue lines, then cost lines;
    j = 1: the top line less everything under it); SPLIT_DEPTH + 1 the signs the labels suggest."""
    if family == 0:
        return (1,) * k
    if family <= SPLIT_DEPTH:
        return (-1,) * (k - family) + (1,) * family
    return tuple(int(h) for h in hints[: k - 1]) + (1,)


def _search(
    lines: tuple[Line, ...], t: int, path: list[int], unit: float, periods: list[int], *, partial: bool
) -> _Run | None:
    """The nearest run of lines (with the first sign pattern) whose signed sum is the printed total in every one of
    `periods` (or, `partial`, in most of them). Every run length and sign family is computed at once
    from running sums, so a long statement costs a few array operations per total."""
    if not path or not periods:
        return None
    if partial and len(periods) < 2:
        return None  # one period that does not add up says nothing about which lines the total covers
    m, n = len(path), len(periods)
    printed = np.array([lines[t].values[i] for i in periods], dtype=float)
    shown, hints, sums, valid = _run_sums(lines, t, path, periods)
    ks = np.arange(1, m + 1)
    tol = np.maximum(unit, 0.5 * unit * ks) + 1e-9
    hit = (np.abs(sums - printed) <= tol[None, :, None]) & valid[:, :, None]  # (family, run length, period)
    if partial:
        # Among the many runs and signs tried, one adding up in a single period by chance is likely, so most
        # periods means two agreeing of three or more — unless an analyst corrected one of the figures, which
        # explains a period that no longer adds up (the check then fails, red, rather than turning "not verified").
        # A period where a line of the run prints a figure OCR could not read can neither agree nor disagree: it
        # is not counted, so that one unread figure does not hide another period's misread one
        unread = np.array([[lines[r].prints(i) and lines[r].values[i] is None for i in periods] for r in path],
                          dtype=bool).reshape(m, n)
        blind = np.cumsum(unread, axis=0) > 0  # (run length, period)
        hit &= ~blind[None, :, :]
        judged = (n - blind.sum(axis=1))[None, :]
        edited = (np.cumsum([lines[r].edited for r in path]) > 0) | lines[t].edited
        matched = hit.sum(axis=2)
        missed = judged - matched
        most = np.where(edited[None, :], (matched >= 1) & (matched >= missed),
                        (matched >= 2) & (matched > missed))
        # Of two periods one is evidence enough when the layout agrees: all lines added, or each with the sign its
        # label gives ("Interest expense" taken off), and the run is a whole block (it starts under a heading or a
        # total, or at the top): a misread line then fails, red. Two sign patterns of one run, each hit exactly
        # in a period: a chance match is rarer than the misread it would hide.
        block = (judged[0] == 2) & _blocks(lines, path)
        most[0] |= block & (matched[0] == 1)
        most[-1] |= block & (matched[-1] == 1)
        ok = valid & (hit & (printed != 0)).any(axis=2) & most
    else:
        ok = valid & hit.all(axis=2)
    best: tuple[int, int, np.ndarray] | None = None  # (run length, family, hits per period)
    candidates = np.argwhere(ok.T)  # shortest run first, then the most usual signs
    if partial:
        # where runs add up in different numbers of periods, the one most periods agree on: a short run matching
        # one period by chance must not take a total that a longer run explains in every period it can judge
        candidates = candidates[np.argsort(-hit.sum(axis=2).T[ok.T], kind="stable")]
    for index, family in candidates:
        k = int(index) + 1
        # every line of the run must print a figure in a period that adds up: a line printed only in the periods
        # that do not is no evidence for the run
        if partial and not shown[:k][:, hit[family, index]].any(axis=1).all():
            continue
        best = (k, int(family), hit[family, index])
        break
    if best is None:
        return None
    k, family, hit = best
    return _run(lines, path, k, _signs(family, k, hints), periods, hit)


def _run_sums(lines: tuple[Line, ...], t: int, path: list[int], periods: list[int]
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every candidate run's signed sum per period: (shown, hints, sums, valid), where sums[family, k - 1]
    holds the sum of the first k lines of `path` with sign family `family` (`_signs`), valid where that family
    applies to k lines."""
    m, n = len(path), len(periods)
    values = np.array([[lines[r].values[i] if lines[r].values[i] is not None else 0.0 for i in periods]
                       for r in path], dtype=float).reshape(m, n)
    shown = np.array([[lines[r].values[i] is not None for i in periods] for r in path], dtype=bool).reshape(m, n)
    hints = np.array([-1.0 if _MINUS_HINT.search(lines[r].label) and not _EITHER_WAY.search(lines[r].label) else 1.0
                      for r in path])
    running = np.vstack([np.zeros((1, n)), np.cumsum(values, axis=0)])  # running[k]: the first k lines added
    hinted = np.vstack([np.zeros((1, n)), np.cumsum(hints[:, None] * values, axis=0)])
    ks = np.arange(1, m + 1)
    # equity is not "total assets less total liabilities" unless the total says "net assets"
    minus_ok = np.ones(m, dtype=bool)
    if not _NET_TOTAL.search(lines[t].label):
        minus_ok = np.array([not _GRAND_ASSETS.search(lines[r].label) for r in path])
    sums = np.full((SPLIT_DEPTH + 2, m, n), np.nan)
    valid = np.zeros((SPLIT_DEPTH + 2, m), dtype=bool)
    sums[0], valid[0] = running[1:], True
    for j in range(1, SPLIT_DEPTH + 1):
        valid[j] = (ks >= j + 1) & minus_ok
        sums[j][valid[j]] = running[ks[valid[j]]] - 2 * running[ks[valid[j]] - j]
    sums[-1], valid[-1] = hinted[ks - 1] + values[ks - 1], (ks >= 2) & minus_ok
    return shown, hints, sums, valid


def run_read_as(structure: Structure, t: int, accept: Callable[[int, float], bool]
                ) -> tuple[tuple[Term, ...], tuple[float, ...]] | None:
    """For a total no run of lines explains: the nearest run of two lines or more (with the first sign pattern),
    printing a figure in every period, whose signed sum `accept(period, sum)` takes in every period the total
    prints (a reading of the printed total), with its sums by period index; None when there is none or the total
    prints fewer than two periods. Used for a scanned total OCR misread in every period (`footing`)."""
    lines = structure.lines
    path = [r for r in _walk(lines, t, structure.covers) if r < t]
    periods = [i for i, v in enumerate(lines[t].values) if v is not None]
    if len(periods) < 2 or len(path) < 2:
        return None
    shown, hints, sums, valid = _run_sums(lines, t, path, periods)
    for index, family in np.argwhere(valid.T):  # shortest run first, then the most usual signs
        k = int(index) + 1
        if k < 2 or not shown[:k].all():
            continue
        if all(accept(i, float(v)) for i, v in zip(periods, sums[family, index], strict=True)):
            signs = _signs(int(family), k, hints)
            out = [math.nan] * len(lines[t].values)
            for i, v in zip(periods, sums[family, index], strict=True):
                out[i] = float(v)
            return tuple(zip(path[:k], signs, strict=True)), tuple(out)
    return None


def _blocks(lines: tuple[Line, ...], path: list[int]) -> np.ndarray:
    """For each run length k, whether the first k lines of the path are a whole block: the next candidate above
    is a total, or a heading (a line with no figures) stands between, or there is none."""
    out = np.zeros(len(path), dtype=bool)
    for k in range(1, len(path) + 1):
        if k == len(path):
            out[k - 1] = True
            continue
        above, top = path[k], path[k - 1]
        out[k - 1] = lines[above].is_total or any(not lines[r].has_values for r in range(above + 1, top))
    return out


def _run(
    lines: tuple[Line, ...], path: list[int], k: int, signs: tuple[int, ...], periods: list[int], hit: np.ndarray
) -> _Run:
    terms = list(zip(path[:k], signs, strict=True))
    if all(s == 1 for s in signs):
        terms += [(r, 1) for r in _zero_tail(lines, path, k)]
    matched = frozenset(i for i, h in zip(periods, hit, strict=True) if h)
    return _Run(tuple(sorted(terms)), matched, frozenset(periods) - matched)


def _zero_tail(lines: tuple[Line, ...], path: list[int], k: int) -> list[int]:
    """Plain lines just above a run that print nothing but zeros ("Preferred stock … —"): part of the block, so the
    formula names them too. Stops at a heading, a total or a figure."""
    out: list[int] = []
    top = path[k - 1]
    for r in path[k:]:
        between = range(r + 1, top)
        if lines[r].is_total or any(not lines[b].has_values for b in between):
            break
        if any(v not in (None, 0.0) for v in lines[r].values):
            break
        out.append(r)
        top = r
    return out


def _describe(lines: tuple[Line, ...], parts: tuple[Term, ...]) -> str:
    plus = [r for r, s in parts if s > 0]
    minus = [r for r, s in parts if s < 0]
    if not minus:
        return f"sum of its {len(plus)} line{'s' * (len(plus) != 1)}"
    head = " + ".join(lines[r].label for r in plus)
    return f"{head} less {len(minus)} line{'s' * (len(minus) != 1)}"


def _by_heading(lines: tuple[Line, ...], t: int, path: list[int]) -> Footing | None:
    """No run adds up: the layout alone decides when the total closes a heading of its own name ("Total current
    assets" under "Current assets") or is printed with no label under plain lines; its parts are the lines since
    that heading."""
    name = _norm(re.sub(r"^\s*total\s+", "", lines[t].label, flags=re.I))
    heading = next((r for r in range(t - 1, -1, -1) if not lines[r].has_values), None)
    if heading is None:
        return None
    if not lines[t].unlabeled and (not name or _norm(lines[heading].label).rstrip(":") != name):
        return None
    rows = [r for r in path if r > heading]
    if len(rows) < 2:
        return None
    # an unlabeled total after other totals of the block ("Total current assets", "Net current assets", then the
    # creditors due after a year and the unlabeled line that subtracts them) nets them in ways the layout does not
    # show: only one closing plain lines is decided by the layout
    if lines[t].unlabeled and any(lines[r].is_total for r in rows):
        return None
    parts = tuple(sorted((r, 1) for r in rows))
    computed = tuple(None if v is None else sum(lines[r].values[i] or 0.0 for r in rows)
                     for i, v in enumerate(lines[t].values))
    return Footing(t, parts, "differs", f"sum of the {len(rows)} lines under {lines[heading].label!r}", computed)


def _netting(lines: tuple[Line, ...], t: int, unit: float) -> Footing | None:
    """A plain line that nets the two above it: gross amount, "Less accumulated depreciation", net amount."""
    if t < 2:
        return None
    gross, less = lines[t - 2], lines[t - 1]
    if not (gross.money and less.money and gross.has_values and less.has_values) or gross.is_total:
        return None
    if not _NETTING.search(less.label):
        return None
    printed = lines[t].values
    for sign in (1, -1):
        sums = [None if p is None else (gross.values[i] or 0.0) + sign * (less.values[i] or 0.0)
                for i, p in enumerate(printed)]
        pairs = [(p, s) for p, s in zip(printed, sums, strict=True) if p is not None and s is not None]
        if pairs and any(p != 0 for p, _ in pairs) and all(abs(p - s) <= tolerance(unit, 2) for p, s in pairs):
            parts: tuple[Term, ...] = ((t - 2, 1), (t - 1, sign))
            how = f"{gross.label} net of {less.label}"
            return Footing(t, parts, "foots", how, tuple(sums), implicit=True)
    return None


def _norm(label: str) -> str:
    text = label.lower().replace("\u2019", "'").replace("&", "and")
    text = re.sub(r"\(note[^)]*\)|\([a-z]\)", " ", text)
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9'()/ -]+", " ", text)).strip()


__all__ = [
    "Footing",
    "Line",
    "Status",
    "Structure",
    "Term",
    "decide",
    "rounding_unit",
    "statement_lines",
    "statement_structure",
    "statement_unit",
    "tolerance",
]
