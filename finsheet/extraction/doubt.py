"""Doubtful figures: a figure (above all an OCR reading) in an identity that fails, where the statement's other
figures satisfy theirs, is shown as doubtful rather than silently accepted, and the failed check names the reading
that would make it hold when one misread character explains the difference ("$8,240" for 58,240).

`checks.run_checks` calls `mark_doubtful` on a statement's checks once they are computed; `parse` calls
`doubt_lone_signs` and `doubt_half_brackets` on a scanned statement's lines, where no footing may reach a misread
figure.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from finsheet.extraction.numbers import format_figure, parse_figure
from finsheet.model import LineItem, Statement

if TYPE_CHECKING:  # checks.py imports this module: its types only, to annotate
    from finsheet.extraction.checks import CheckSpec, Ref

DOUBTFUL = 0.5
"""The confidence of a figure that breaks an identity the statement's other figures satisfy."""


def mark_doubtful(statement: Statement, specs: list[CheckSpec]) -> None:
    """Figures that break a footing are shown as doubtful, never silently accepted: a figure (above all an OCR
    reading) in a failed identity is suspect unless, in the same period, it also takes part in one that holds
    (then its own reading is confirmed). The failed check names the suspects and, when one misread character
    explains the difference ("$8,240" for 58,240), the reading that foots."""
    items = statement.items

    def involved(spec: CheckSpec) -> list[tuple[LineItem, Ref]]:
        return [(items[r.row], r) for r in (*spec.computed, *spec.printed) if r.kind == statement.type]

    confirmed = {(id(it), ref.period) for s in specs if s.check.ok for it, ref in involved(s)}
    for spec in specs:
        check = spec.check
        if check.ok is not False or check.expected is None or check.actual is None:
            continue
        suspects = [(it, ref) for it, ref in involved(spec) if (id(it), ref.period) not in confirmed]
        for it, _ in suspects:
            it.confidence = min(it.confidence, DOUBTFUL)
        fixes = [f"{it.label!r} printed {it.raw.get(ref.period)!r} may be {format_figure(alt)}"
                 for it, ref in suspects for alt in _misreadings(it.raw.get(ref.period, ""))
                 if _would_foot(spec, ref, alt - (it.values.get(ref.period) or 0.0))]
        if len(fixes) == 1:
            check.detail += f"; {fixes[0]}"
        elif suspects:
            check.detail += "; doubtful: " + ", ".join(repr(it.label) for it, _ in suspects[:4])


LONE_SIGN = 0.6
"""The confidence of a scanned figure whose currency sign its line's other figures do not print: below
LOW_CONFIDENCE, so the Review shows it to confirm."""

# A currency sign glued to a figure's first digit ("$2,929")
_SIGNED = re.compile(r"[(\-]?[$£€][(\-]?\d")
# A figure printed without one ("50,412", "(1,062)"): a nil ("—") says nothing
_UNSIGNED = re.compile(r"[(\-]?\d[\d,.]*\)?")


def doubt_lone_signs(items: list[LineItem], scanned_pages: set[int]) -> None:
    """A statement prints its currency sign across a whole line (the first line of a section, a total) or not at
    all: on a scanned line where some figures print one and others none, the sign may be a 5 OCR read as "$"
    ("$2,929" for 52,929, beside "50,412"), or the others may have lost theirs. Either way the line is shown as
    doubtful, for the analyst to look at its figures."""
    for it in items:
        raws = _printed_figures(it) if it.page in scanned_pages else []
        if any(_SIGNED.match(raw) for raw in raws) and any(_UNSIGNED.fullmatch(raw) for raw in raws):
            it.confidence = min(it.confidence, LONE_SIGN)


def _printed_figures(item: LineItem) -> list[str]:
    """The printed text of each figure the line reads (an unreadable one, shown missing, says nothing more)."""
    return [raw.strip() for key, raw in item.raw.items() if item.values.get(key) is not None]


HALF_BRACKET = 0.6
"""The confidence of a scanned figure read with one bracket of the two a negative figure prints: below
LOW_CONFIDENCE, so the Review shows it to confirm."""


def doubt_half_brackets(items: list[LineItem], scanned_pages: set[int]) -> None:
    """A statement prints a negative figure inside both its brackets: on a scan, a figure read with one of them has
    lost the other, most often into its first digit ("6,883,682)" for (5,883,682)). Its sign is sure, its digits
    are not, and no footing need catch them: a total below it printed with the same digits, misread the same way,
    foots with it. The line is shown as doubtful."""
    for it in items:
        if it.page in scanned_pages and any(raw.count("(") != raw.count(")") for raw in _printed_figures(it)):
            it.confidence = min(it.confidence, HALF_BRACKET)


# OCR's usual confusions inside a figure: a 5 read as "$" or "S", an 8 as "B", a 0 as "o", a 1 as "l" or "7".
_CONFUSIONS = {"$": "5", "S": "5", "B": "8", "o": "0", "O": "0", "l": "1", "7": "1", "1": "7"}


def _misreadings(raw: str) -> list[float]:
    """Values a printed figure would have with one of its characters read as OCR often confuses it."""
    out = []
    for i, ch in enumerate(raw):
        alt = _CONFUSIONS.get(ch)
        if alt is None:
            continue
        fig = parse_figure(raw[:i] + alt + raw[i + 1 :])
        if fig is not None:
            out.append(fig.value)
    return out


def _would_foot(spec: CheckSpec, ref: Ref, shift: float) -> bool:
    """Whether the failed identity holds with the figure at `ref` shifted by `shift`, on whichever side it stands."""
    check = spec.check
    assert check.expected is not None and check.actual is not None
    expected, actual = check.expected, check.actual
    if ref in spec.computed:
        expected += ref.sign * shift
    else:
        actual += ref.sign * shift
    return abs(expected - actual) <= spec.tolerance
