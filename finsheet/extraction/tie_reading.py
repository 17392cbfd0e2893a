"""Scanned figures read again by the ties between statements.

A figure a filing prints on two statements (the income statement's net income, which opens the cash flow and the
statement of comprehensive income; the cash flow's closing cash, which is the balance sheet's cash) is one figure.
Where OCR misread it on one page and read it on the other, the tie fails. The reading a footing of its own
statement confirms is the figure (`footing.confirmed_figures`, by a footing none of whose lines is doubtful: one
that holds only because a figure of it was read again confirms nothing; a text layer prints what the filing says).
The other, scanned and confirmed by none, is read as it where OCR could have misread it so (`footing.misread_as`:
one digit more, fewer or other, or the sign lost) and no footing of its statement that held is broken by it. It
stays shown as doubtful, with what OCR read in its note, for the analyst to confirm.

`pipeline._parse` calls `read_by_ties` once the document's periods are settled (the ties compare like periods).
"""

from __future__ import annotations

from collections.abc import Sequence

from finsheet.extraction.checks import check_specs
from finsheet.extraction.footing import FigureAt, breaks_held, confirmed_figures, mark_read, misread_as
from finsheet.extraction.ties import cross_specs
from finsheet.model import LOW_CONFIDENCE, LineItem, Statement, StatementType


def read_by_ties(statements: Sequence[Statement], scanned: set[int]) -> None:
    """Read again the scanned figures that break a tie between the first statements of each type (`scanned`: the
    numbers of the pages read by OCR)."""
    firsts: dict[StatementType, Statement] = {}
    for st in statements:
        firsts.setdefault(st.type, st)
    if not scanned & {n for st in firsts.values() for n in st.pages}:
        return
    confirmed: dict[StatementType, set[FigureAt]] = {}

    def sure(kind: StatementType, figure: FigureAt) -> bool:
        st = firsts[kind]
        if st.items[figure[0]].page not in scanned:
            return True
        if kind not in confirmed:
            confirmed[kind] = confirmed_figures(st, sure_lines=True)
        return figure in confirmed[kind] and st.items[figure[0]].confidence >= LOW_CONFIDENCE

    for spec in cross_specs(firsts):
        if spec.check.ok is not False or len(spec.printed) != 1 or len(spec.computed) != 1:
            continue
        a, b = spec.printed[0], spec.computed[0]
        for misread, read in ((a, b), (b, a)):
            figure, source = (misread.row, misread.period), (read.row, read.period)
            st = firsts[misread.kind]
            if st.items[misread.row].page not in scanned or sure(misread.kind, figure) or not sure(read.kind, source):
                continue
            value = firsts[read.kind].items[read.row].values.get(read.period)
            if value is not None and _read_if_no_footing_breaks(st, figure, value, read.kind):
                confirmed.pop(misread.kind, None)
                break


def _read_if_no_footing_breaks(statement: Statement, figure: FigureAt, value: float, tied: StatementType) -> bool:
    """Read the figure as `value` where OCR could have misread it so and every footing of its statement that held
    still holds; whether it was read."""
    row, period = figure
    item: LineItem = statement.items[row]
    printed = item.values.get(period)
    if printed is None or not misread_as(item.raw.get(period, ""), value):
        return False  # an unreadable figure stays unread: it is shown missing, never guessed
    before = [s.check.ok for s in check_specs(statement)]
    item.values[period] = value
    if breaks_held(before, [s.check.ok for s in check_specs(statement)]):
        item.values[period] = printed
        return False
    mark_read(item, period, by=f"the tie to the {tied.display_name.lower()}")
    return True
