"""Scanned figures read again by their statement's arithmetic.

OCR misreads a digit ("184" for 15.4), drops one ("274" for 277.4, "941.5)" for (1,941.5)), takes a 5 for a
dollar sign ("$8,240" for 58,240) or loses a bracket ("1,872" for (1,872)). Where a footing fails, the difference
says what the one misread figure in it should be. A scanned figure is read as the footing gives it when that value
is what OCR could have misread (`misread_as`: the same sign with its digits one edit away, or the same digits with
the sign lost) and no other figure in the footing could be; where several could, only one OCR itself doubted is
taken, or the one that every footing its period fails could have misread, each giving it the same value. Where one
footing names a figure OCR was sure of, the footing's other lines are shown doubtful too (`_doubt_footing`). A total
misread in every period breaks no footing (no run of lines adds up to it, so none is decided): it is read as the
nearest run of lines adds up where, in every period, that sum is what OCR could have misread as printed. The figure
stays shown as doubtful, with what OCR read in its note, for the analyst to confirm: the arithmetic picks the
reading, the page has not been read again. A reading that would break a footing that held, or leave its own footing
failing, is not made.

A total read as a nil ("——") over lines that add up to an amount is unread, not zero (`_unread_nil_totals`).

A figure OCR was unsure of is shown as doubtful unless a footing that holds exactly confirms it
(`doubt_unconfirmed`).

`parse.parse_section` calls `read_by_footing`, then `doubt_unconfirmed`, once a scanned statement is parsed.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from finsheet.extraction.checks import CheckSpec, check_specs
from finsheet.extraction.numbers import is_nil
from finsheet.extraction.points import REREAD_CONFIDENCE
from finsheet.extraction.structure import run_read_as, statement_structure
from finsheet.model import LOW_CONFIDENCE, LineItem, Statement

FigureAt = tuple[int, str]
"""Where a figure stands in the statement: its line's row and its period key."""

OCR_SURE = LOW_CONFIDENCE
"""OCR's confidence in a word at or above which it read the word surely: where several figures could be the misread
one, only one below this is taken."""

MIN_DIGITS = 3
"""The fewest digits a figure needs to be read by its footing: one edit turns a one- or two-digit figure into too
many others for the resemblance to single out a misreading."""


def read_by_footing(statement: Statement, ocr_confidence: dict[FigureAt, float]) -> None:
    """Read again, by the footings they break, the scanned figures OCR misread; `ocr_confidence` holds OCR's
    confidence in each scanned figure (figures not in it, a text layer's, are never changed)."""
    if not ocr_confidence:
        return
    _unread_nil_totals(statement, ocr_confidence)
    specs = check_specs(statement)
    confirmed = _confirmed(statement, specs)
    failed: dict[frozenset[tuple[int, str, int]], CheckSpec] = {}  # each failed footing once
    for spec in specs:
        if spec.check.ok is False and spec.check.expected is not None and spec.check.actual is not None:
            failed.setdefault(frozenset((r.row, r.period, r.sign) for r in (*spec.computed, *spec.printed)), spec)
    candidates = [_candidates(statement, spec, confirmed, ocr_confidence) for spec in failed.values()]
    proposed: dict[FigureAt, set[float]] = {}
    named_sure: dict[FigureAt, CheckSpec] = {}  # figures one footing names although OCR was sure of them
    for spec, found in zip(failed.values(), candidates, strict=True):
        if len(found) > 1:
            found = [c for c in found if c[2] < OCR_SURE]
        if len(found) == 1 and found[0][1] is not None:
            proposed.setdefault(found[0][0], set()).add(found[0][1])
            if found[0][2] >= OCR_SURE:
                named_sure[found[0][0]] = spec
    # a misread figure breaks every footing it takes part in: where a period's failed footings have one figure in
    # common that each could have misread, and each gives it the same value, it is the one
    periods: dict[str | None, list[list[Candidate]]] = {}
    for spec, found in zip(failed.values(), candidates, strict=True):
        periods.setdefault(spec.check.period, []).append(found)
    for found_in_each in periods.values():
        if len(found_in_each) < 2:
            continue
        common = set.intersection(*({figure for figure, _, _ in found} for found in found_in_each))
        values = {wanted for found in found_in_each for figure, wanted, _ in found if figure in common}
        value = values.pop() if len(common) == 1 and len(values) == 1 else None
        if value is not None:
            proposed.setdefault(common.pop(), set()).add(value)
    held = [s.check.ok for s in specs]
    for figure, wanted in proposed.items():
        if len(wanted) != 1:
            continue  # two footings that disagree on a figure's value leave it as read
        value = wanted.pop()
        held = _read_if_it_foots(statement, figure, value, held)
        if figure in named_sure and statement.items[figure[0]].values[figure[1]] == value:
            _doubt_footing(statement, named_sure[figure], figure, ocr_confidence)
    _read_totals_by_run(statement, ocr_confidence)


NIL_TOTAL_CONFIDENCE = 0.5
"""A line whose total was read as a nil over lines that add up to an amount: as doubtful as an unreadable figure."""


def _unread_nil_totals(statement: Statement, ocr_confidence: dict[FigureAt, float]) -> None:
    """A scanned total read as a nil ("——", "—") where the lines it adds up come to an amount: a statement prints a
    nil total only over nil lines, so the figure was a smear or a rule OCR read as dashes (a grand total's double
    rule runs close over it). It is shown missing, with what OCR read in its note, never as a zero."""
    half = statement_structure(statement).unit / 2
    for spec in check_specs(statement):
        check = spec.check
        if check.ok is not False or check.expected is None or len(spec.printed) != 1 or abs(check.expected) < half:
            continue
        ref = spec.printed[0]
        figure = (ref.row, ref.period)
        if ref.kind != statement.type or figure not in ocr_confidence:
            continue
        item = statement.items[ref.row]
        raw = item.raw.get(ref.period, "")
        if item.values.get(ref.period) == 0 and is_nil(raw):
            item.values[ref.period] = None
            item.confidence = min(item.confidence, NIL_TOTAL_CONFIDENCE)
            said = f"unreadable figure: {raw} (its lines add up to an amount)"
            item.note = f"{item.note}; {said}" if item.note else said


def _doubt_footing(statement: Statement, spec: CheckSpec, read: FigureAt, ocr_confidence: dict[FigureAt, float]
                   ) -> None:
    """A footing made to hold by reading again a figure OCR was sure of: one misread figure is the likeliest story,
    not the only one (two misread surely, which the figure read again then makes foot), so its other scanned lines
    are shown doubtful too, and the arithmetic confirms none of them."""
    label = statement.items[read[0]].label
    for ref in (*spec.computed, *spec.printed):
        if ref.kind != statement.type or (ref.row, ref.period) == read or (ref.row, ref.period) not in ocr_confidence:
            continue
        item = statement.items[ref.row]
        said = f"its footing holds only with {label!r} read again"
        item.confidence = min(item.confidence, REREAD_CONFIDENCE)
        if said not in (item.note or ""):
            item.note = f"{item.note}; {said}" if item.note else said


def doubt_unconfirmed(statement: Statement, ocr_confidence: dict[FigureAt, float]) -> None:
    """A figure OCR read unsurely (below OCR_SURE) makes its line doubtful unless a footing of three figures or more
    holds on it to within half a printed unit. A misread digit, point or sign moves a figure by a unit at least, so
    such a footing holds only where each of its figures reads as printed (short of two misreads cancelling
    exactly); a footing of two figures is a total printed twice ("Total assets" and "Total liabilities and
    equity"), where one misreading of the same digits would pass, so it confirms nothing."""
    confirmed = confirmed_figures(statement)
    for (row, period), conf in ocr_confidence.items():
        if conf < OCR_SURE and (row, period) not in confirmed:
            item = statement.items[row]
            item.confidence = min(item.confidence, round(conf, 2))


def confirmed_figures(statement: Statement, *, sure_lines: bool = False) -> set[FigureAt]:
    """The figures a footing of three figures or more holds on to within half a printed unit: read as printed, short
    of two misreadings cancelling exactly (`doubt_unconfirmed`). With `sure_lines`, only footings none of whose lines
    is shown doubtful: a footing made to hold by a figure read again confirms nothing beyond that reading."""
    structure = statement_structure(statement)
    half = structure.unit / 2
    return {(r.row, r.period) for s in check_specs(statement, structure)
            if s.check.ok and s.check.expected is not None and s.check.actual is not None
            and abs(s.check.actual - s.check.expected) < half and len(s.computed) + len(s.printed) >= 3
            and not (sure_lines and any(statement.items[x.row].confidence < LOW_CONFIDENCE
                                        for x in (*s.computed, *s.printed) if x.kind == statement.type))
            for r in (*s.computed, *s.printed) if r.kind == statement.type}


def _read_totals_by_run(statement: Statement, ocr_confidence: dict[FigureAt, float]) -> None:
    """A scanned total OCR misread in every period (a rule over its figures read into each: "477,333" for 177,333)
    has no run of lines adding up to it, so no footing fails to say which figure is wrong. Where the nearest run
    whose sum OCR could have misread as printed, in every period (two or more), gives a reading in each, the total is
    read so: one misreading per period, each resembling the sum of the same lines, is no chance."""
    keys = [p.key for p in statement.periods]
    structure = statement_structure(statement)
    for row, line in enumerate(structure.lines):
        footing = structure.footings.get(row)
        if not line.is_total or not line.money or (footing is not None and footing.decided):
            continue
        item = statement.items[row]
        printed = {k: v for k in keys if (v := item.values.get(k)) is not None}
        if not printed or any((row, k) not in ocr_confidence for k in printed):
            continue
        if any(_too_short(item.raw.get(k, "")) for k in printed):
            continue
        run = run_read_as(structure, row, _misread_total(item, keys, structure.unit))
        if run is not None:
            half = structure.unit / 2
            readings = {(row, keys[i]): round(v, 6) for i, v in enumerate(run[1])
                        if keys[i] in printed and abs(v - printed[keys[i]]) > half}
            # one period read differently is one coincidence, not a pattern: any line of the run may be the misread
            # figure there (a line above whose point OCR lost, carried down into the total below)
            if len(readings) >= 2:
                _read_all_if_they_foot(statement, readings)
                structure = statement_structure(statement)


def _misread_total(item: LineItem, keys: list[str], unit: float) -> Callable[[int, float], bool]:
    """Whether the total `item` prints in a period (by index) reads as a sum: as printed, or as OCR misread it."""
    # a total printed in both its brackets in every period, where its lines add up positive, is the block deducted
    # as UK statements print it ("(43,109)" under creditors and provisions): no misreading, period after period
    deducted = all("(" in raw and ")" in raw for k in keys if (raw := item.raw.get(k)))

    def read_as(period: int, value: float) -> bool:
        key = keys[period]
        if deducted and value > 0:
            return False
        return abs(value - (item.values[key] or 0.0)) <= unit / 2 or misread_as(item.raw[key], value)

    return read_as


def _read_all_if_they_foot(statement: Statement, readings: dict[FigureAt, float]) -> None:
    """Take the readings together where every check on the figures read then holds, and no check holding or not
    failing before fails; otherwise keep what OCR read."""
    if not readings:
        return

    def verdicts() -> dict[tuple[str, str | None, tuple[int, ...]], bool | None]:
        return {(s.check.name, s.check.period, tuple(r.row for r in s.printed)): s.check.ok
                for s in check_specs(statement)}

    before = verdicts()
    printed: dict[FigureAt, float | None] = {f: statement.items[f[0]].values[f[1]] for f in readings}
    for (row, period), value in readings.items():
        statement.items[row].values[period] = value
    after = verdicts()
    read_rows = {row for row, _ in readings}
    own = [ok for (_, _, rows), ok in after.items() if read_rows & set(rows)]
    worse = any(ok is False and before.get(key) is not False for key, ok in after.items())
    if worse or not own or not all(own):
        for (row, period), was in printed.items():
            statement.items[row].values[period] = was
        return
    for row, period in readings:
        mark_read(statement.items[row], period)


def mark_read(item: LineItem, period: str, by: str = "the footing") -> None:
    """A figure read again (`by` the footing, or a tie) stays doubtful, with what OCR read in its note, for the
    analyst to confirm."""
    item.confidence = min(item.confidence, REREAD_CONFIDENCE)
    said = f"read by {by}: OCR read {item.raw.get(period, '')!r}"
    item.note = f"{item.note}; {said}" if item.note else said


def _confirmed(statement: Statement, specs: list[CheckSpec]) -> set[FigureAt]:
    """Figures in a footing that holds: their reading is confirmed by it."""
    return {(r.row, r.period) for s in specs if s.check.ok for r in (*s.computed, *s.printed)
            if r.kind == statement.type}


Candidate = tuple[FigureAt, float | None, float]
"""A figure that could be a failed footing's misread one, the value the footing gives it (None: a figure too short
to tell, which could be misread as anything, so that no other is singled out while it stands), and OCR's confidence
in it."""


def _candidates(statement: Statement, spec: CheckSpec, confirmed: set[FigureAt],
                ocr_confidence: dict[FigureAt, float]) -> list[Candidate]:
    """The scanned figures of a failed footing that OCR could have misread as printed, each with the value that makes
    the footing hold; a figure another footing confirms is none."""
    assert spec.check.expected is not None and spec.check.actual is not None
    gap = spec.check.actual - spec.check.expected
    found: list[Candidate] = []
    for ref, side in [*((r, 1) for r in spec.computed), *((r, -1) for r in spec.printed)]:
        figure = (ref.row, ref.period)
        if ref.kind != statement.type or figure in confirmed or figure not in ocr_confidence:
            continue
        item = statement.items[ref.row]
        value = item.values.get(ref.period)
        if value is None:
            continue  # an unreadable figure stays unread: it is shown missing, never guessed
        raw = item.raw.get(ref.period, "")
        wanted = round(value + side * ref.sign * gap, 6)
        if _too_short(raw):
            found.append((figure, None, ocr_confidence[figure]))
        elif misread_as(raw, wanted):
            found.append((figure, wanted, ocr_confidence[figure]))
    return found


def _too_short(raw: str) -> bool:
    """Whether a printed figure has too few digits to tell a misreading of it by resemblance (`MIN_DIGITS`)."""
    return len(re.sub(r"\D", "", raw).lstrip("0")) < MIN_DIGITS


def _read_if_it_foots(statement: Statement, figure: FigureAt, value: float, before: list[bool | None]
                      ) -> list[bool | None]:
    """Take the reading if it makes more footings hold and breaks none that held (`before`: whether each held);
    otherwise keep what OCR read. Returns whether each footing holds now."""
    row, period = figure
    item: LineItem = statement.items[row]
    printed = item.values[period]
    item.values[period] = value
    after = [s.check.ok for s in check_specs(statement)]
    if breaks_held(before, after) or after.count(False) >= before.count(False):
        item.values[period] = printed
        return before
    mark_read(item, period)
    return after


def breaks_held(before: list[bool | None], after: list[bool | None]) -> bool:
    """Whether a reading broke a footing that held before it (or changed which footings there are)."""
    return len(after) != len(before) or any(b is True and a is not True for b, a in zip(before, after, strict=True))


def misread_as(raw: str, value: float) -> bool:
    """Whether OCR could have read `value` as the printed text `raw`: the same sign with one digit more, fewer or
    different ("184" for 15.4, "274" for 277.4, "$8,240" for 58,240, a point in the wrong place), or the same digits
    with a bracket or minus lost or gained."""
    if value == 0:
        return False
    for places in range(3):
        if abs(round(value, places) - value) < 1e-6:
            break
    else:
        return False  # a value no statement prints: more decimals than two
    printed = len(m.group(1)) if (m := re.search(r"\.(\d+)\)?$", raw)) else 0
    if printed and places > printed:
        return False  # read with its point, a figure shows the decimals printed: "15.4" is never 15.43
    places = max(places, min(printed, 2))  # "1.40" prints the zero that 1.4 does not need
    read = re.sub(r"\D", "", raw).lstrip("0")
    wanted = f"{abs(value):.{places}f}".replace(".", "").lstrip("0")
    negative = bool(re.search(r"[()\-\u2013\u2212]", raw))
    if (value < 0) != negative:
        return read == wanted
    return _one_edit(read, wanted)


def _one_edit(a: str, b: str) -> bool:
    """Whether two strings are at most one insertion, deletion or substitution apart."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) <= 1
    short, long = sorted((a, b), key=len)
    return any(long[:k] + long[k + 1:] == short for k in range(len(long)))
