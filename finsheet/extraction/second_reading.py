"""A second OCR reading of scanned statement pages whose columns came out undated.

Tesseract reads a page as a whole, and what it makes of one line depends on the rest of the page: a row of column
headings boxed between solid rules ("Year Ended December 31," over a rule, "2022  2021  2020" over short rules)
can come out as marks ("es") on one page and as words on the next. Painting the solid rules out mends those
headings, but on most pages tesseract reads the rows better with its rules there (it takes them out itself), and
on some it then reads nothing at all. So solid rules stay for the first reading, and a page is read again without
them only where a statement on it has a column with no date; the second reading is kept only where it
gives more figures under dated columns on lines OCR read with confidence: finsheet's own evidence, not a guess.
(The comparison is made before the checks run: a figure that breaks a footing counts on either side.)
"""

from __future__ import annotations

from finsheet.model import LOW_CONFIDENCE, Page, Statement, StatementType

DATED = (StatementType.INCOME, StatementType.COMPREHENSIVE, StatementType.BALANCE, StatementType.CASH_FLOW)
"""The statements whose every column is a period (an equity statement's columns are its components)."""


def pages_to_read_again(statements: list[Statement], read: dict[int, Page]) -> list[int]:
    """The OCR'd pages of statements that have a column with no date (its heading not read)."""
    pages: set[int] = set()
    for st in statements:
        if st.type in DATED and any(p.end is None for p in st.periods):
            pages.update(n for n in st.pages if n in read and read[n].source == "ocr")
    return sorted(pages)


def sure_figures(statements: list[Statement]) -> int:
    """How many figures the statements give under dated columns, on lines OCR read with confidence (at least
    LOW_CONFIDENCE)."""
    count = 0
    for st in statements:
        if st.type not in DATED:
            continue
        dated = {p.key for p in st.periods if p.end is not None}
        count += sum(1 for it in st.items if it.unit is None and it.confidence >= LOW_CONFIDENCE
                     for key, value in it.values.items() if value is not None and key in dated)
    return count
