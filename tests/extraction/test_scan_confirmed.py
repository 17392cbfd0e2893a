"""A scanned figure OCR was unsure of is confirmed by a footing that holds on it exactly (`footing.doubt_unconfirmed`):
its line is shown as read, not as doubtful. A figure no exact footing confirms, a label OCR was unsure of, or a
footing of a total printed twice leaves the line doubtful; OCR's doubt about a currency sign or a nil dash confirmed by
its footing says nothing about the line."""

from __future__ import annotations

import pytest

from finsheet.extraction.detect import Section
from finsheet.extraction.parse import parse_section
from finsheet.model import LOW_CONFIDENCE, Page, Statement, StatementType, Word

SURE = 0.96
UNSURE = 0.45
COLUMNS = (430.0, 520.0)  # right edges of the 2023 and 2022 columns
SIGN_X = (370.0, 460.0)  # where a line's "$" stands, left of each column

# (label, 2023, 2022, signed): a balance sheet whose every footing holds exactly
BALANCE = [
    ("Cash", "1,569", "1,505", True), ("Short-term investments", "\u2014", "\u2014", False),
    ("Receivables", "1,692", "1,638", False), ("Inventories", "1,867", "1,820", False),
    ("Total current assets", "5,128", "4,963", False), ("Property", "3,393", "3,606", False),
    ("Total assets", "8,521", "8,569", True), ("Payables", "3,982", "3,653", True),
    ("Long-term debt", "1,134", "1,100", False), ("Total liabilities", "5,116", "4,753", False),
    ("Total equity", "3,405", "3,816", False), ("Total liabilities and equity", "8,521", "8,569", True),
]


def _words(y: float, text: str, x0: float, conf: float) -> list[Word]:
    """One OCR'd word or several (split at spaces), each character 5 points wide and 8 tall."""
    out = []
    for part in text.split():
        out.append(Word(part, x0, y, x0 + 5 * len(part), y + 8, conf))
        x0 += 5 * len(part) + 4
    return out


def _scanned_balance_sheet(unsure: frozenset[str] = frozenset(), printed: dict[str, str] | None = None) -> Statement:
    """The balance sheet OCR'd, every word read surely except those in `unsure` ("Receivables 2023" for a figure,
    "Receivables" for its label, "$" for the currency signs); `printed` replaces some 2023 figures."""
    words = [*_words(60, "BALANCE SHEETS", 72, SURE), *_words(72, "(In thousands)", 72, SURE),
             *_words(100, "2023", COLUMNS[0] - 20, SURE), *_words(100, "2022", COLUMNS[1] - 20, SURE)]
    for k, (label, now, before, signed) in enumerate(BALANCE):
        y = 120 + 14 * k
        words += _words(y, label, 72, UNSURE if label in unsure else SURE)
        now = (printed or {}).get(label, now)
        for figure, right, sign_x, year in zip((now, before), COLUMNS, SIGN_X, ("2023", "2022"), strict=True):
            words += _words(y, figure, right - 5 * len(figure), UNSURE if f"{label} {year}" in unsure else SURE)
            if signed:
                words += _words(y, "$", sign_x, UNSURE if "$" in unsure else SURE)
    page = Page(number=1, width=612, height=792, words=words, source="ocr")
    statement = parse_section(Section(StatementType.BALANCE, "Balance Sheets", [1], 0.9, 60.0, {1: 792.0}), {1: page})
    assert statement is not None
    return statement


def _doubtful(statement: Statement) -> list[str]:
    return [it.label for it in statement.items if it.values and it.confidence < LOW_CONFIDENCE]


def test_the_scanned_balance_sheet_is_read_as_printed() -> None:
    statement = _scanned_balance_sheet()
    assert [(it.label, it.raw["2023"]) for it in statement.items if it.values] == [
        (label, now) for label, now, _, _ in BALANCE]
    assert _doubtful(statement) == []


@pytest.mark.parametrize("unsure", [
    "Receivables 2023",  # a line's figure, in the footing of total current assets
    "Total assets 2022",  # a total, in its own footing
    "Short-term investments 2023",  # a nil dash, in the footing of total current assets
    "$",  # the currency signs: no figure's reading
])
def test_a_reading_ocr_doubted_that_an_exact_footing_confirms_is_shown_as_read(unsure: str) -> None:
    assert _doubtful(_scanned_balance_sheet(frozenset({unsure}))) == []


def test_a_label_ocr_doubted_leaves_its_line_doubtful() -> None:
    assert _doubtful(_scanned_balance_sheet(frozenset({"Receivables"}))) == ["Receivables"]


def test_a_figure_whose_footing_holds_only_within_rounding_stays_doubtful() -> None:
    """Total current assets printed one unit off the sum of its lines holds within rounding, as many statements
    print: a misread last digit would too, so it confirms none of the figures in it."""
    statement = _scanned_balance_sheet(frozenset({"Inventories 2023"}),
                                       {"Total current assets": "5,129", "Property": "3,392"})
    assert _doubtful(statement) == ["Inventories"]


def test_a_total_confirmed_only_by_the_same_total_printed_again_stays_doubtful() -> None:
    """Total assets' own footing off by a unit of rounding, its one exact check is the balance identity: the same
    figure printed twice, which one misreading of its digits in both places would pass."""
    statement = _scanned_balance_sheet(frozenset({"Total assets 2023"}), {"Property": "3,394"})
    assert _doubtful(statement) == ["Total assets"]
