"""Columns of OCR'd statements: what tesseract gives for ruled and boxed heading lines, and for specks on the page,
must neither date a column wrongly nor make a column of its own. Statements built from words as OCR gives them
(positions and confidences), read like any OCR'd page; the point is the shape of OCR's output, which a rendered
page reproduces only now and then. A column the scan cannot date stays undated (shown to the analyst), never dated
from a neighbour."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

import pytest
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from finsheet import StatementType, extract
from finsheet.extraction.detect import Section
from finsheet.extraction.ocr_headings import ocr_heading_words
from finsheet.extraction.parse import parse_section
from finsheet.model import Page, Statement, Word

T = StatementType
COLUMNS = (400.0, 460.0, 530.0, 590.0)  # right edges of the value columns
LINES = [
    ("Revenue", ("10,000", "9,000", "18,000", "17,000")),
    ("Cost of sales", ("(6,000)", "(5,500)", "(11,000)", "(10,500)")),
    ("Gross profit", ("4,000", "3,500", "7,000", "6,500")),
    ("Selling expenses", ("(1,100)", "(1,000)", "(2,100)", "(2,000)")),
    ("Administrative expenses", ("(1,400)", "(1,300)", "(2,400)", "(2,300)")),
    ("Operating income", ("1,500", "1,200", "2,500", "2,200")),
    ("Interest expense", ("(120)", "(110)", "(230)", "(220)")),
    ("Income before taxes", ("1,380", "1,090", "2,270", "1,980")),
    ("Income tax expense", ("(180)", "(140)", "(270)", "(230)")),
    ("Net income", ("1,200", "950", "2,000", "1,750")),
]


def _line(y: float, *parts: tuple[str, float], conf: float = 0.96) -> list[Word]:
    """Words of one OCR'd line: (text, x0), each character 5 points wide, 8 points tall."""
    return [Word(text, x, y, x + 5 * len(text), y + 8, conf) for text, x in parts]


def _right(text: str, x1: float) -> float:
    return x1 - 5 * len(text)


def _ocr_statement(heads: list[Word], *, ncols: int = 4, extra: Sequence[Word] = (),
                   note_x: float | None = None, first: Sequence[Word] = ()) -> Statement:
    """An OCR'd income statement with `ncols` value columns under the heading words `heads`; `extra` words (specks)
    added; note numbers at `note_x` on a few lines; `first`: the words of the first line, as OCR read them."""
    words = [*_line(60, ("CONDENSED", 72), ("STATEMENTS", 125), ("OF", 180), ("INCOME", 195)),
             *_line(72, ("(In", 72), ("millions)", 90)), *heads]
    for k, (label, values) in enumerate(LINES):
        y = 130 + 14 * k
        if k == 0 and first:
            words += first
            continue
        words += _line(y, *[(w, 72 + 40 * i) for i, w in enumerate(label.split())])
        words += _line(y, *[(v, _right(v, x)) for v, x in zip(values[:ncols], COLUMNS, strict=False)])
        if note_x is not None and k in (0, 4, 8):
            words += _line(y, (str(3 + k), note_x))
    page = Page(number=1, width=612, height=792, words=[*words, *extra], source="ocr")
    section = Section(T.INCOME, "Condensed Statements of Income", [1], 0.9, 60.0, {1: 792.0})
    statement = parse_section(section, {1: page})
    assert statement is not None
    return statement


def _quarter_heads(years: list[Word]) -> list[Word]:
    return [*_line(90, ("Three", 360), ("Months", 390), ("Ended", 425), ("Six", 500), ("Months", 520), ("Ended", 555)),
            *_line(101, ("June", 395), ("30,", 420), ("June", 525), ("30,", 550)), *years]


# --------------------------------------------------------------------------- a word boxed over other words


def _boxed(text: str, x0: float, x1: float) -> Word:
    """A word tesseract reported with a box from `x0` to `x1` along a ruled line, over words it also reported."""
    return Word(text, x0, 112, x1, 120, 0.5)


def test_a_word_boxed_over_words_of_its_line_is_no_heading() -> None:
    """"20232022" boxed from the first column to the last over the "2023" and "2022" also read there: its box says
    nothing of where its years stand, so it is dropped; the words under it stay."""
    line = [_boxed("20232022", 362, 590), *_line(112, ("2023", 376), ("2022", 430))]
    assert [w.text for w in ocr_heading_words(line)] == ["2023", "2022"]
    # a word of its own box, over no other: kept (two years run together, split in halves)
    assert [w.text for w in ocr_heading_words([_boxed("20232022", 362, 402)])] == ["2023", "2022"]
    # a box run along the rule past its characters to the next year, which stands clear of them: both kept
    ruled = [_boxed("2022,", 434, 591), Word("2021—~~S~S™”", 556, 112, 591, 120, 0.0)]
    assert [(w.text, round(w.x0)) for w in ocr_heading_words(ruled)] == [("2022,", 434), ("2021", 556)]
    # a box of its word's own width overlapping the next word's by a character: both kept
    month = [Word("December", 461, 112, 505, 120, 0.96), Word("31", 494, 112, 505, 120, 0.97)]
    assert [w.text for w in ocr_heading_words(month)] == ["December", "31"]


@pytest.mark.parametrize(("read", "ends"), [
    # the three-month years read under the boxed word: the three-month columns dated, the six-month ones unknown
    ([("2023", 380), ("2022", 440)], [date(2023, 6, 30), date(2022, 6, 30), None, None]),
    # the six-month years read: the other way round
    ([("2023", 510), ("2022", 570)], [None, None, date(2023, 6, 30), date(2022, 6, 30)]),
])
def test_a_ruled_line_of_years_read_twice_dates_only_the_columns_read(read: list[tuple[str, float]],
                                                                      ends: list[date | None]) -> None:
    """A line of years boxed between two rules that tesseract reads twice: once as words over some columns, once
    as one word boxed along the whole line. Each column read is dated, the others stay undated: never a column
    dated with its neighbour's year, never a heading spread over every column."""
    st = _ocr_statement(_quarter_heads([_boxed("20232022", 362, 592), *_line(112, *read)]))
    assert [p.end for p in st.periods] == ends
    assert [p.months for p in st.periods] == [3, 3, 6, 6]
    # a dated column is keyed by its length, as it is when every column is dated: the undated ones may end that day
    assert [p.key for p in st.periods if p.end] == [f"{d.isoformat()}/{m}m" for d, m in
                                                    zip(ends, [3, 3, 6, 6], strict=True) if d]


# --------------------------------------------------------------------------- spanning headings boxed along their rules


@pytest.mark.parametrize(("whole", "part", "gap"), [("Group", "Company", 4.0), ("Group", "Company", 14.0),
                                                   ("Consolidated", "Company", 14.0), ("Group", "Parent", 4.0)])
@pytest.mark.parametrize("guessed", ["whole", "part"])
def test_headings_boxed_along_their_rules_span_the_columns_the_rules_span(whole: str, part: str, gap: float,
                                                                          guessed: str) -> None:
    """"Group" and "Company", each centred over its two years above a rule spanning them: tesseract boxes each
    word along its rule, from the rule's left end, and is unsure of it (confidence 0 to 0.5). Each still heads the
    two columns its rule spans, and the company's columns are parts of the group's periods, not periods of their
    own: with the boxes cut to their characters from the left, "Company" headed one column only; a guess at
    "Group" was dropped; and the two boxes, a rule's gap apart, were read as one heading over every column. (A
    word nearly as wide as its rule, "Consolidated", is boxed as printed, and words closer than a word space
    still read as one heading.)"""
    spans = [(whole, 358.0, 460.0, 0.0 if guessed == "whole" else 0.9),
             (part, 460.0 + gap, 590.0, 0.0 if guessed == "part" else 0.5)]
    heads = [Word(text, x0, 90, x1, 99, conf) for text, x0, x1, conf in spans]
    for year, x1 in zip(("2022", "2021") * 2, COLUMNS, strict=True):
        heads += [*_line(104, ("Dec.", x1 - 40), ("31,", x1 - 15)), *_line(115, (year, x1 - 20))]
    st = _ocr_statement(heads)
    parts = [f"{part.lower()} {end}" for end in ("2022-12-31", "2021-12-31")]
    assert [p.key for p in st.periods] == ["2022-12-31", "2021-12-31", *parts]
    assert [p.end for p in st.periods] == [date(2022, 12, 31), date(2021, 12, 31), None, None]


# --------------------------------------------------------------------------- specks lined up as a column


def _dated_heads() -> list[Word]:
    return _line(112, ("2023", _right("2023", COLUMNS[0])), ("2022", _right("2022", COLUMNS[1])))


@pytest.mark.parametrize("specks", [
    # the page's edge or a fold, read as lone digits on a few lines right of the amounts
    [("3", 604, 130 + 14 * 7, 0.76), ("3", 604, 130 + 14 * 9, 0.61)],
    [("1", 604, 130 + 14 * 2, 0.9), ("7", 605, 130 + 14 * 5, 0.8)],
    # dots of a leader in the label area, guessed as figures
    [("00.0000", 300, 130 + 14 * 1, 0.0), ("2", 305, 130 + 14 * 8, 0.36)],
])
def test_specks_lined_up_on_a_scan_make_no_column(specks: list[tuple[str, float, float, float]]) -> None:
    """Specks tesseract reads as a digit on a few lines, lined up by chance, are no column: the statement keeps its
    two dated columns and every line its two figures."""
    extra = [Word(t, x, y, x + 5 * len(t), y + 8, conf) for t, x, y, conf in specks]
    st = _ocr_statement(_dated_heads(), ncols=2, extra=extra)
    assert [p.key for p in st.periods] == ["2023", "2022"]
    assert all(len(it.values) == 2 for it in st.items if it.values)


@pytest.mark.parametrize("marks", [("«—Ssi(‘(‘i«‘(", "s~*~<“i«‘«‘«S"), ("(—~~«(", "“—‘—«"), ("~~Se~<", "=‘i«‘«")])
def test_a_rule_read_into_marks_between_a_totals_figures_leaves_the_line_whole(marks: tuple[str, str]) -> None:
    """A double rule under a total's figures, read by tesseract (confidence 0) as long scraps of marks with a few
    letters among them, between and after the figures: no word of the label, no figure; the line keeps its label
    and both its figures."""
    y = 130 + 14 * (len(LINES) - 1)
    extra = [Word(marks[0], 402, y - 2, 438, y + 10, 0.0), Word(marks[1], 462, y - 2, 500, y + 10, 0.0)]
    st = _ocr_statement(_dated_heads(), ncols=2, extra=extra)
    assert [(it.label, list(it.values.values())) for it in st.items][-1] == ("Net income", [1200.0, 950.0])


@pytest.mark.parametrize("scrap", [("en", 0.45), ("i", 0.6), ("oe", 0.31)])
def test_a_lone_scrap_of_small_letters_between_lines_is_no_line(scrap: tuple[str, float]) -> None:
    """A speck beside a rule read as one or two small letters OCR doubts, alone between two lines: no heading of the
    lines below it, and no line of the statement."""
    text, conf = scrap
    y = 130 + 14 * 4 + 7  # between "Selling expenses" and "Administrative expenses"
    st = _ocr_statement(_dated_heads(), ncols=2, extra=[Word(text, 226, y, 226 + 5 * len(text), y + 6, conf)])
    assert [it.label for it in st.items] == [label for label, _ in LINES]


@pytest.mark.parametrize(("conf", "label"), [(0.08, "Revenue"), (0.9, "Revenue 7")])
def test_a_speck_read_as_a_digit_ocr_doubts_is_no_word_of_the_label(conf: float, label: str) -> None:
    """A speck between the label and the columns, read as "7" with a confidence of 0.08, stands in no column: it is
    dirt, not a word of the label. A digit OCR is sure of, in no column, stays in the label, as a text layer's does."""
    first = [*_line(130, ("Revenue", 72)), Word("7", 303, 130, 308, 138, conf),
             *_line(130, ("10,000", _right("10,000", COLUMNS[0])), ("9,000", _right("9,000", COLUMNS[1])))]
    st = _ocr_statement(_dated_heads(), ncols=2, first=first)
    assert (st.items[0].label, list(st.items[0].values.values())) == (label, [10000.0, 9000.0])


def test_a_sparse_notes_column_of_lone_digits_stays_notes() -> None:
    """Note numbers are lone digits on a few lines too, but stand left of the amounts: still the Notes column."""
    st = _ocr_statement(_dated_heads(), ncols=2, note_x=300)
    assert len(st.periods) == 2
    assert {it.label: it.note for it in st.items if it.note} == {"Revenue": "3", "Administrative expenses": "7",
                                                                "Income tax expense": "11"}


@pytest.mark.parametrize(("note_x", "x0"), [(330, 300), (337, 300), (345, 300), (345, 310)])
def test_a_figure_boxed_over_the_notes_column_does_not_join_it_to_the_amounts(note_x: float, x0: float) -> None:
    """A total OCR doubts, its box stretched along the rule under it from the Notes column to its own ("9372.0"
    boxed over 75 points): the columns stand where the figures do, it stands in its own column by its right end,
    and the note numbers stay notes."""
    stretched = [*_line(130, ("Revenue", 72)), Word("10,000", x0, 130, COLUMNS[0], 138, 0.3),
                 *_line(130, ("9,000", _right("9,000", COLUMNS[1])))]
    st = _ocr_statement(_dated_heads(), ncols=2, note_x=note_x, first=stretched)
    assert [p.key for p in st.periods] == ["2023", "2022"]
    assert {it.label: it.note for it in st.items if it.note} == {"Administrative expenses": "7",
                                                                "Income tax expense": "11"}
    assert all(len(it.values) == 2 for it in st.items if it.values)
    assert next(it for it in st.items if it.label == "Revenue").values == {"2023": 10000.0, "2022": 9000.0}


# --------------------------------------------------------------------------- a first line misread


@pytest.mark.parametrize("figures", [
    [("«49§3,7099", 350), ("§2:9602", 415), ("$2:53016", 490)],
    [("&", 345), ("2847", 355), ("81,4022", 415), ("$:355:6", 495)],
])
def test_a_first_line_whose_figures_were_misread_is_no_heading(figures: list[tuple[str, float]]) -> None:
    """The first line under the headings, its figures misread past reading ("§2:9602": a currency sign beside
    each, a rule just above): a line of the table, from the labels' margin across the columns, not part of the
    columns' headings. The columns are named by their years alone, and the line stays in the statement."""
    heads = _line(112, *[(y, _right(y, x)) for y, x in zip(("2023", "2022", "2021"), COLUMNS, strict=False)])
    first = [*_line(130, ("REVONGE", 72), ("secs", 120), ("5", 150)), *_line(130, *figures, conf=0.45)]
    st = _ocr_statement(heads, ncols=3, first=first)
    assert [p.label for p in st.periods] == ["2023", "2022", "2021"]
    assert st.items[0].label.startswith("REVONGE")
    assert [it.label for it in st.items if it.values][0] == "Cost of sales"


# --------------------------------------------------------------------------- keys of partly dated statements


def _rendered(six_month_years: bool) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=True)
    c.setFont("Helvetica-Bold", 11)
    c.drawString(72, 740, "ACME HOLDINGS INC.")
    c.drawString(72, 725, "CONDENSED STATEMENTS OF INCOME")
    c.setFont("Helvetica", 9)
    c.drawString(72, 712, "(In millions)")
    c.drawCentredString(430, 695, "Three Months Ended")
    c.drawCentredString(560, 695, "Six Months Ended")
    c.drawCentredString(430, 685, "June 30,")
    c.drawCentredString(560, 685, "June 30,")
    years = ["2023", "2022", "2023", "2022"] if six_month_years else ["2023", "2022"]
    for x, year in zip(COLUMNS, years, strict=False):
        c.drawRightString(x, 673, year)
    y = 655.0
    for label, values in LINES:
        c.drawString(72, y, label)
        for x, v in zip(COLUMNS, values, strict=True):
            c.drawRightString(x, y, v)
        y -= 12
    c.showPage()
    c.save()
    return buf.getvalue()


def test_a_dated_column_beside_an_undated_one_of_another_length_keeps_its_length() -> None:
    """The six-month years unread: the three-month columns keep the keys they have when all four are dated
    ("2023-06-30/3m"), so that their figures stay under the same column however much of the heading was read."""
    full = [st for st in extract(_rendered(True)).statements if st.type == T.INCOME][0]
    part = [st for st in extract(_rendered(False)).statements if st.type == T.INCOME][0]
    assert [p.key for p in full.periods] == ["2023-06-30/3m", "2022-06-30/3m", "2023-06-30/6m", "2022-06-30/6m"]
    assert [p.key for p in part.periods][:2] == ["2023-06-30/3m", "2022-06-30/3m"]
    assert [p.end for p in part.periods][2:] == [None, None]
