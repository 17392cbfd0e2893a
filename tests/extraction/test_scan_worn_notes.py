"""The Notes column of a scanned statement, and what OCR makes of a worn page around it.

A wrapped label's note reference set between the label's two lines, as UK accounts print it ("PROFIT ON ORDINARY
ACTIVITIES BEFORE" / "11" / "TAXATION  27  (3,453)"): OCR reads the reference as a line of its own, and at times
misreads it ("HW" for "11"). That line is the label's note, never another table's headings (which would end the
statement there, losing its closing lines) nor a word of the label.

On a worn page OCR splits references cited together ("10, 11"), misreads one ("249"), reads a figure under a rule
as letters ("pT") or a bracket as a mark ("§8,471"): none of these makes a period, a label or a guessed figure.
"""

from __future__ import annotations

import pytest

from finsheet import StatementType
from finsheet.extraction.detect import Section
from finsheet.extraction.parse import parse_section
from finsheet.model import Page, Statement, Word

NOTE_X = 370.0
COLUMNS = (470.0, 545.0)  # right edges of the two value columns
# (label lines, note, figures): a label of two lines has its figures on the second
LINES: list[tuple[tuple[str, ...], str | None, tuple[str, str]]] = [
    (("TURNOVER",), "6", ("23,835", "23,214")),
    (("Cost of sales",), None, ("(21,633)", "(23,485)")),
    (("GROSS PROFIT",), None, ("2,202", "(271)")),
    (("Other operating expense",), "8", ("(1,976)", "(2,629)")),
    (("OPERATING PROFIT/(LOSS)",), None, ("226", "(2,900)")),
    (("Interest payable and similar charges",), "10", ("(199)", "(553)")),
    (("PROFIT/(LOSS) ON ORDINARY ACTIVITIES BEFORE", "TAXATION"), "11", ("27", "(3,453)")),
    (("Tax on profit/(loss) on ordinary activities",), "14", ("(23)", "538")),
    (("PROFIT/(LOSS) FOR THE FINANCIAL YEAR",), None, ("4", "(2,915)")),
]


def _words(y: float, text: str, x: float, conf: float = 0.96) -> list[Word]:
    """An OCR'd run of words from `x` at `y`: each character 5 points wide, 8 points tall."""
    out = []
    for word in text.split():
        out.append(Word(word, x, y, x + 5 * len(word), y + 8, conf))
        x += 5 * len(word) + 4
    return out


def _right(text: str, x1: float, y: float) -> Word:
    return Word(text, x1 - 5 * len(text), y, x1, y + 8, 0.96)


def _statement(reference: str, conf: float) -> Statement:
    """The profit and loss account, OCR'd, with the wrapped label's reference read as `reference` at `conf`,
    halfway between its two lines."""
    words = [*_words(60, "PROFIT AND LOSS ACCOUNT", 72), *_words(72, "For the year ended 31 December 2015", 72),
             _right("2015", COLUMNS[0], 100), _right("2014", COLUMNS[1], 100),
             *_words(112, "Note", NOTE_X - 5), _right("£'000", COLUMNS[0], 112), _right("£'000", COLUMNS[1], 112)]
    y = 140.0
    for lines, note, figures in LINES:
        for k, line in enumerate(lines):
            words += _words(y, line, 72)
            if k < len(lines) - 1:
                y += 10
        if len(lines) == 2:
            words.append(Word(reference, NOTE_X, y - 5, NOTE_X + 5 * len(reference), y + 3, conf))
        elif note is not None:
            words += _words(y, note, NOTE_X)
        words += [_right(f, x, y) for f, x in zip(figures, COLUMNS, strict=True)]
        y += 18
    page = Page(number=1, width=612, height=792, words=words, source="ocr")
    section = Section(StatementType.INCOME, "Profit and Loss Account", [1], 0.9, 60.0, {1: 792.0})
    statement = parse_section(section, {1: page})
    assert statement is not None
    return statement


# a bare number alone on its line ("11") is taken for a page number and dropped: the reference is lost, the
# statement read whole
@pytest.mark.parametrize(("reference", "conf", "note"), [
    ("B7", 0.95, "B7"), ("4a", 0.9, "4a"), ("11", 0.95, None), ("HW", 0.32, None), ("Il", 0.5, None)])
def test_a_reference_between_a_labels_lines_neither_ends_the_statement_nor_joins_its_label(
        reference: str, conf: float, note: str | None) -> None:
    statement = _statement(reference, conf)
    labels = [it.label for it in statement.items]
    assert labels == [" ".join(lines) for lines, _, _ in LINES]
    wrapped = statement.items[6]
    assert wrapped.raw == {p.key: f for p, f in zip(statement.periods, ("27", "(3,453)"), strict=True)}
    assert wrapped.note == note
    assert wrapped.confidence > 0.9  # the misread reference is no word of the label, nor does it doubt it


# --------------------------------------------------------------------------- what OCR makes of a worn page's columns


BALANCE = [
    ("Trade payables", None, ("4,513", "4,809")),
    ("Accrued expenses", ("10", "11"), ("2,830", "3,169")),
    ("Short-term borrowings", None, ("1,128", "1,126")),
    ("Total current liabilities", None, ("8,471", "9,104")),
    ("Deferred income taxes", ("", "11"), ("1,134", "1,161")),
    ("Share capital", None, ("158", "158")),
    ("Share premium", ("13", "14"), ("8,919", "9,241")),
    ("Total equity", None, ("9,077", "9,399")),
]
NOTES_AT = (324.0, 343.0)  # where "10, 11" sets its two numbers, as OCR boxes them when it loses the comma
AMOUNTS = (450.0, 560.0)  # right edges of the two value columns, under headings wider than their figures


def _worn_balance(*, heads: list[Word] = (), misread: dict[tuple[int, int], tuple[str, float]] | None = None,
                  ) -> Statement:
    """The liabilities page of an OCR'd balance sheet, its notes citing two notes each ("10, 11") under a "Note"
    heading. `misread`: (line, place) -> (text, confidence), what OCR read for a note (place 0, 1) or a figure
    (place 2, 3) instead."""
    misread = misread or {}
    words = [*_words(60, "Consolidated Balance Sheets", 150), *_words(72, "As at 30 September 2022", 232),
             *_words(100, "30 September 2022", AMOUNTS[0] - 83), *_words(100, "30 September 2021", AMOUNTS[1] - 83),
             *_words(112, "Note", 328), _right("€m", AMOUNTS[0], 112), _right("€m", AMOUNTS[1], 112), *heads]
    for k, (label, notes, figures) in enumerate(BALANCE):
        y = 140.0 + 14 * k
        words += _words(y, label, 72)
        for place, (x, note) in enumerate(zip(NOTES_AT, notes or ("", ""), strict=True)):
            text, conf = misread.get((k, place), (note, 0.96))
            if text:
                words.append(Word(text, x, y, x + 5 * len(text), y + 8, conf))
        for place, (x1, figure) in enumerate(zip(AMOUNTS, figures, strict=True)):
            text, conf = misread.get((k, 2 + place), (figure, 0.96))
            words.append(Word(text, x1 - 5 * len(text), y, x1, y + 8, conf))
    page = Page(number=1, width=612, height=792, words=words, source="ocr")
    section = Section(StatementType.BALANCE, "Consolidated Balance Sheets", [1], 0.9, 60.0, {1: 792.0})
    statement = parse_section(section, {1: page})
    assert statement is not None
    return statement


def test_notes_cited_together_and_split_by_ocr_are_one_items_notes() -> None:
    statement = _worn_balance()
    assert [p.end.isoformat() for p in statement.periods if p.end] == ["2022-09-30", "2021-09-30"]
    assert len(statement.periods) == 2
    assert statement.items[1].note == "10, 11"
    assert statement.items[6].note == "13, 14"


@pytest.mark.parametrize("misread", [("249", 0.55), ("7", 0.6)])
def test_a_notes_column_with_a_reference_ocr_misread_and_doubted_is_still_the_notes_column(
        misread: tuple[str, float]) -> None:
    """"249" for "11" under the "Note" heading, OCR doubting it: a misread reference, not a column of amounts (a
    third period)."""
    statement = _worn_balance(misread={(4, 1): misread})
    assert len(statement.periods) == 2
    assert statement.items[4].raw == {"2022-09-30": "1,134", "2021-09-30": "1,161"}
    assert statement.items[4].note == misread[0]


def test_a_column_of_amounts_under_a_sure_reading_is_not_taken_for_notes() -> None:
    """Only a reading OCR doubts is a misread reference: read with confidence, "249" is an amount."""
    statement = _worn_balance(misread={(4, 1): ("249", 0.96)})
    assert len(statement.periods) == 3


@pytest.mark.parametrize("scrap", [("pT", 0.32), ("yb", 0.45), ("a", 0.4), ("git", 0.56)])
def test_letters_ocr_doubts_where_a_figure_stands_are_that_figure_unread(scrap: tuple[str, float]) -> None:
    """A figure blurred past reading ("pT" for "1,161"): the row keeps its label and its other figure, the misread
    one is shown unreadable, never read into the label."""
    statement = _worn_balance(misread={(4, 3): scrap})
    item = statement.items[4]
    assert item.label == "Deferred income taxes"
    assert item.values == {"2022-09-30": 1134.0, "2021-09-30": None}
    assert item.raw["2021-09-30"] == scrap[0]
    assert "unreadable" in (item.note or "")


def test_letters_read_with_confidence_after_a_figure_are_not_a_figure() -> None:
    statement = _worn_balance(misread={(4, 3): ("pT", 0.9)})
    assert not any(it.label == "Deferred income taxes" and len(it.values) == 2 for it in statement.items)


@pytest.mark.parametrize("marked", ["§8,471", "~8,471", "“8,471", "&8,471"])
def test_an_amount_behind_a_blurred_mark_before_the_figures_is_unreadable_not_the_label(marked: str) -> None:
    statement = _worn_balance(misread={(3, 2): (marked, 0.9)})
    total = statement.items[3]
    assert total.label == "Total current liabilities"
    assert total.values == {"2022-09-30": None, "2021-09-30": 9104.0}
    assert total.raw["2022-09-30"] == marked


def test_continued_set_apart_over_a_column_names_no_column() -> None:
    """A continued page's title whose words are spaced out: its "(continued)" stands alone over the first
    column, and is no part of that column's heading."""
    statement = _worn_balance(heads=_words(84, "(continued)", 375))
    assert [p.label for p in statement.periods] == ["30 September 2022", "30 September 2021"]
