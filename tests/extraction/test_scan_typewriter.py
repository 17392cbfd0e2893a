"""Statements scanned in a typewriter face (Courier), as tesseract reports them: boxes tight round the ink, so a
word's height is its letters' (capitals 0.57 em, a word of small letters 0.43 em) while a word space, with both
letters' side bearings, measures 0.8 em between the inks, and lines a label wraps over stand most of a line's
height apart. The rules that group words by their gaps must read such
a page as its text layer reads: the title's words stay the title's, a figure grouped by spaces ("501 819") is one
figure, a label wrapped over two lines is one line. Built from words as OCR gives them, read like any OCR'd page."""

from __future__ import annotations

import re
from datetime import date

import pytest

from finsheet import StatementType
from finsheet.extraction.detect import Section
from finsheet.extraction.parse import parse_section
from finsheet.model import Page, Statement, Word

T = StatementType
EM = 10.0  # the face's size in points
PITCH = 0.6 * EM  # every character of a typewriter face is as wide
INK = 0.45 * PITCH  # the side bearings of a character: the ink of a word starts and ends this far in
LINE = 1.4 * EM  # the statement's line spacing (a generated filing's Courier 10 pt, as OCR measured it)


def _words(y: float, x: float, text: str) -> list[Word]:
    """The words of `text` set from `x` on, on the baseline `y`, as OCR boxes them: tight round each word's ink
    (capitals, figures and tall letters 0.57 em over the baseline, small letters 0.43 em; descenders 0.2 em below)."""
    out = []
    for word in text.split(" "):
        if word == "(":  # a lone bracket's ink is narrow: 0.16 em, 0.94 em from the digits after it (as measured)
            out.append(Word(word, x + 0.4 * PITCH, y - 0.57 * EM, x + 0.66 * PITCH, y + 0.175 * EM, 0.92))
        elif word:
            tall = 0.57 * EM if re.search(r"[A-Z0-9bdfhklt()€$']", word) else 0.43 * EM
            deep = 0.2 * EM if re.search(r"[gjpqy(),]", word) else 0.0
            out.append(Word(word, x + INK / 2, y - tall, x + PITCH * len(word) - INK / 2, y + deep, 0.96))
        x += PITCH * (len(word) + 1)
    return out


def _right(y: float, x1: float, text: str) -> list[Word]:
    return _words(y, x1 - PITCH * len(text), text)


COLUMNS = (350.0, 450.0, 550.0)  # the right edges of the value columns


def _statement(lines: list[tuple[str, tuple[str, ...]]], *, centred_title: str,
               columns: tuple[float, ...] = COLUMNS, extra: tuple[Word, ...] = (), line: float = LINE) -> Statement:
    """An income statement under a title centred on the page (over the columns), a line of units, a line of
    dates over the three columns, and `lines` (a label with no figures wraps onto the next line) `line` apart;
    `extra` words (dirt) are added to the page."""
    title_x = 306 - PITCH * len(centred_title) / 2
    words = [*_words(60, title_x, centred_title), *_words(60 + LINE, 306 - PITCH * 3, "€'000")]
    y = 60 + 3 * LINE
    words += _words(y - LINE, 400, "Year ended")
    days = ("28 December 2024", "30 December 2023", "31 December 2022") if columns == COLUMNS else ("2024", "2023",
                                                                                                    "2022")
    for x1, day in zip(columns, days, strict=True):
        words += _right(y, x1, day)
    for k, (label, values) in enumerate(lines):
        row_y = y + 2 * LINE + k * line
        words += _words(row_y, 40, label)
        for x1, value in zip(columns, values, strict=False):
            words += _right(row_y, x1, value)
    page = Page(number=1, width=612, height=792, words=[*words, *extra], source="ocr")
    section = Section(T.INCOME, centred_title, [1], 0.9, 60.0, {1: 792.0})
    statement = parse_section(section, {1: page})
    assert statement is not None
    return statement


LINES = [
    ("Turnover", ("€501 819", "€485 810", "€489 750")),
    ("Cost of goods sold", ("(287 720)", "(272 649)", "(301 564)")),
    ("Gross margin", ("214 099", "213 161", "188 186")),
    ("Other operating income and gains on disposal", ()),
    ("of property", ("1 250", "980", "3 020")),
    ("Operating profit", ("215 349", "214 141", "191 206")),
]


@pytest.mark.parametrize("title", ["CONSOLIDATED STATEMENTS OF COMPREHENSIVE INCOME",
                                   "Group statement of profit or loss"])
def test_a_typewriter_scan_reads_as_its_text_layer(title: str) -> None:
    st = _statement(LINES, centred_title=title)
    assert [p.end for p in st.periods] == [date(2024, 12, 28), date(2023, 12, 30), date(2022, 12, 31)]
    assert [p.months for p in st.periods] == [12, 12, 12]
    got = {it.label: [it.values.get(p.key) for p in st.periods] for it in st.items if it.values}
    assert got == {
        "Turnover": [501819, 485810, 489750],
        "Cost of goods sold": [-287720, -272649, -301564],
        "Gross margin": [214099, 213161, 188186],
        "Other operating income and gains on disposal of property": [1250, 980, 3020],
        "Operating profit": [215349, 214141, 191206],
    }


@pytest.mark.parametrize("pitch", [1.3, 1.4, 1.45])
def test_a_label_wrapped_at_a_loose_pitch_is_one_label(pitch: float) -> None:
    """A statement setting every line at a loose pitch (in em) leaves OCR's tight boxes more than a line's height
    apart: a line ending on a connector over one opening in lower case is still one label; a blank line between
    them parts them."""
    lines = [("Total equity", ("455 997", "321 778", "300 000")), ("Total liabilities and", ()),
             ("shareholders' equity", ("650 961", "531 175", "500 000")), ("Other operating income and", ()),
             ("", ()), ("gains on disposal", ("1 250", "980", "3 020"))]
    st = _statement(lines, centred_title="BALANCE SHEET", line=pitch * EM)
    labels = [it.label for it in st.items if it.values]
    assert labels == ["Total equity", "Total liabilities and shareholders' equity", "gains on disposal"]


def test_figures_of_neighbouring_columns_stay_apart() -> None:
    """Two columns' figures never join as one figure's groups: columns stand several digits apart, even packed as
    close as three-digit figures allow (two and a half characters between them)."""
    lines = [("Turnover", ("501", "819", "750")), ("Cost of sales", ("287", "272", "301")),
             ("Gross margin", ("214", "547", "449"))]
    st = _statement(lines, centred_title="INCOME STATEMENT", columns=(350.0, 380.0, 410.0))
    got = {it.label: [it.values.get(p.key) for p in st.periods] for it in st.items if it.values}
    assert got == {"Turnover": [501, 819, 750], "Cost of sales": [287, 272, 301], "Gross margin": [214, 547, 449]}


def test_a_figure_ocr_broke_after_a_separator_is_one_figure() -> None:
    """OCR sometimes breaks a long figure after a thousands separator ("2,287" ",522.21"): the rest of a figure from
    a separator on continues it, as a lone separator or a lone group of decimals does."""
    lines = [("Revenue", ("2,287 ,522.21", "1,733,646.00", "998.50")), ("Cost of sales", ("(1,001.00)", "(2.00)",
                                                                                          "(3.00)")),
             ("Gross profit", ("2,286,521.21", "1,733,644.00", "995.50"))]
    st = _statement(lines, centred_title="INCOME STATEMENT")
    got = {it.label: [it.values.get(p.key) for p in st.periods] for it in st.items if it.values}
    assert got["Revenue"] == [2287522.21, 1733646.0, 998.5]


@pytest.mark.parametrize("broken", ["(1,629 146)", "1,629 146", "(21,629 146)", "121,629 146"])
def test_a_comma_ocr_lost_where_it_broke_a_figure_is_restored(broken: str) -> None:
    """OCR sometimes breaks a long figure where it loses a thousands separator ("(1,629" "146)"): a figure grouped
    by commas and a group of three digits a figure space after it are one figure, its lost separator a comma."""
    digits = re.sub(r"\D", "", broken)
    value = int(digits) * (-1 if broken.startswith("(") else 1)
    total = 8_407_284 + value
    lines = [("Total assets less current liabilities", ("8,407,284", "8,461,741", "8,000,000")),
             ("Creditors: due after more than one year", (broken, "(1,806,810)", "(1,000,000)")),
             ("Net assets", (f"{total:,}" if total >= 0 else f"({-total:,})", "6,654,931", "7,000,000"))]
    st = _statement(lines, centred_title="BALANCE SHEET")
    got = {it.label: [it.values.get(p.key) for p in st.periods] for it in st.items if it.values}
    assert got["Creditors: due after more than one year"] == [value, -1_806_810, -1_000_000]


@pytest.mark.parametrize("broken", ["$1 407,146.48", "(1 629,146)", "12 629,146", "(123 456,789.10)"])
def test_a_first_comma_ocr_lost_where_it_broke_a_figure_is_restored(broken: str) -> None:
    """OCR may break a figure grouped by commas at its first comma and lose it ("$1" "407,146.48" for
    "$1,407,146.48"): the digits before and the comma-grouped rest a figure space after them are one figure."""
    digits = re.sub(r"[^\d.]", "", broken)
    value = float(digits) * (-1 if broken.startswith("(") else 1)
    lines = [("Total assets less current liabilities", ("8,407,284", "8,461,741", "8,000,000")),
             ("Creditors: due after more than one year", (broken, "(1,806,810)", "(1,000,000)")),
             ("Net assets", (f"{8_407_284 + value:,.2f}", "6,654,931", "7,000,000"))]
    st = _statement(lines, centred_title="BALANCE SHEET")
    got = {it.label: [it.values.get(p.key) for p in st.periods] for it in st.items if it.values}
    assert got["Creditors: due after more than one year"] == [value, -1_806_810, -1_000_000]


@pytest.mark.parametrize(("broken", "value"), [("€1169 781", 1_169_781), ("1169 781", 1_169_781),
                                               ("(123456 789)", -123_456_789), ("2024 501", 2_024_501)])
def test_a_first_space_ocr_lost_in_a_figure_grouped_by_spaces_is_restored(broken: str, value: int) -> None:
    """OCR may run a figure grouped by spaces together at its first space ("€1169" "781" for "€1 169 781"): the
    digits before and the group of three a figure space after them are one figure."""
    lines = [("Turnover", (broken, "485 810", "489 750")), ("Cost of goods sold", ("(287 720)", "(272 649)", "(1)")),
             ("Gross margin", ("1 000", "213 161", "489 749"))]
    st = _statement(lines, centred_title="INCOME STATEMENT")
    got = {it.label: [it.values.get(p.key) for p in st.periods] for it in st.items if it.values}
    assert got["Turnover"] == [value, 485_810, 489_750]


@pytest.mark.parametrize(("broken", "value"), [("-2, 449,969.33", -2_449_969.33), ("(1, 629,146)", -1_629_146),
                                               ("12, 345,678", 12_345_678)])
def test_a_figure_ocr_broke_after_a_comma_is_one_figure(broken: str, value: float) -> None:
    """OCR may break a figure just after a separator ("-2," "449,969.33"): no figure ends on a comma, so the rest
    of it, a figure space on, is the same figure's, not the next column's."""
    lines = [("Turnover", ("5,010,215", "4,661,990", "3,960,849")),
             ("Cost of revenue", ("(2,444,568)", broken, "(1,892,573)")),
             ("Gross profit", ("2,565,647", f"{4_661_990 + value:,.2f}", "2,068,276"))]
    st = _statement(lines, centred_title="INCOME STATEMENT")
    got = {it.label: [it.values.get(p.key) for p in st.periods] for it in st.items if it.values}
    assert got["Cost of revenue"] == [-2_444_568, value, -1_892_573]


def test_a_text_layers_digits_before_a_comma_grouped_figure_stay_apart() -> None:
    """A text layer prints what it means: a note "1" set a figure space before "407,146" is a note and a figure."""
    from dataclasses import replace

    from finsheet.extraction.figure_pieces import figure_tokens

    printed = [replace(w, conf=1.0) for w in _words(100, 300, "1 407,146")]
    assert [fig.raw for fig, _ in figure_tokens(printed, False) if fig] == ["1", "407,146"]
    read = _words(100, 300, "1 407,146")
    assert [fig.raw for fig, _ in figure_tokens(read, False) if fig] == ["1,407,146"]


@pytest.mark.parametrize("speck", [")", "("])
@pytest.mark.parametrize("conf", [0.28, 0.1])
def test_a_bracket_ocr_doubts_past_the_last_column_is_a_speck(speck: str, conf: float) -> None:
    """A speck past the last column read as a lone bracket OCR itself doubts: dirt, not text that ends the label and
    turns the line's figures into words of it."""
    lines = [("Stocks", ("20,463", "19,562", "18,000")), ("Debtors", ("18,972", "17,147", "16,000")),
             ("Cash at bank and in hand", ("28,748", "22,033", "20,000")),
             ("Total current assets", ("68,183", "58,742", "54,000"))]

    baseline = 60 + 3 * LINE + 2 * LINE + LINE  # the Debtors line's
    dirt = Word(speck, COLUMNS[-1] + 30, baseline - 0.3 * EM, COLUMNS[-1] + 32, baseline + 0.1 * EM, conf)
    st = _statement(lines, centred_title="BALANCE SHEET", extra=(dirt,))
    got = {it.label: [it.values.get(p.key) for p in st.periods] for it in st.items if it.values}
    assert got["Debtors"] == [18_972, 17_147, 16_000]


def test_a_bracket_set_a_space_before_its_digits_makes_the_figure_negative() -> None:
    """Negatives printed "( 25,776)": OCR boxes the bracket apart, a word space (and the bracket's wide bearings)
    from its digits. It is the figure's sign, not a word of the label."""
    lines = [("Retained earnings", ("935,936", "886,842", "801,004")),
             ("Accumulated other income (loss)", ("( 25,776)", "( 15,792)", "( 9,110)")),
             ("Total equity", ("910,160", "871,050", "791,894"))]
    st = _statement(lines, centred_title="BALANCE SHEET")
    got = {it.label: [it.values.get(p.key) for p in st.periods] for it in st.items if it.values}
    assert got["Accumulated other income (loss)"] == [-25776, -15792, -9110]


def test_a_sign_joins_digits_a_space_after_it_but_not_a_dash() -> None:
    """The allowance for a sign set a space before its figure is measured in the figure's digits: a currency sign
    in a column of its own before a nil dash (an equity statement's "$  —") stays apart from it, as before."""
    from finsheet.extraction.figure_pieces import figure_tokens

    line = [Word("Net", 40, 100, 55, 108.5), Word("income", 58, 100, 88, 108.5), Word("$", 300, 100, 305, 108.5),
            Word("—", 318, 100, 327, 108.5)]
    assert [[w.text for w in words] for _, words in figure_tokens(line, False)] == [["Net"], ["income"], ["$"],
                                                                                       ["—"]]


def test_a_box_stretched_along_a_rule_joins_no_figures_of_two_columns() -> None:
    """Under a total's rule OCR boxes a figure far wider than its digits ("328" boxed 56 points wide, its neighbour
    in the column before 69 points for "372,429"): their pitch would take the columns' gap for a figure space.
    Digits are set at one width, so the line's narrowest digit pitch ("361", boxed tight) is the face's: the two
    columns stay two figures."""
    from finsheet.extraction.figure_pieces import figure_tokens

    line = [Word("372,429", 619, 100, 688, 108, 0.64), Word("328", 703, 100, 759, 108, 0.23),
            Word("361", 762, 100, 772, 108, 0.91)]
    assert [fig.raw for fig, _ in figure_tokens(line, False) if fig] == ["372,429", "328361"]


def test_groups_ocr_read_apart_on_a_page_grouped_by_commas_are_one_amount() -> None:
    """A page grouping its amounts by commas prints a long run of bare digits only as a reference (a company
    number, "6005142"), which is no amount; but groups a figure space apart ("328" "361"), a comma OCR lost between
    them, are one."""
    lines = [("Stocks", ("20,463", "19,562", "18,000")), ("Debtors", ("18,972", "17,147", "16,000")),
             ("Cash at bank and in hand", ("328 361", "22,033", "20,000")),
             ("Company number", ("6005142", "", "")),
             ("Total current assets", ("367,796", "58,742", "54,000"))]
    st = _statement(lines, centred_title="BALANCE SHEET")
    got = {it.label: [it.values.get(p.key) for p in st.periods] for it in st.items if it.values}
    assert got["Cash at bank and in hand"] == [328_361, 22_033, 20_000]
    assert "Company number" not in got


def test_a_misread_word_crowding_its_digits_leaves_the_lines_groups_joined() -> None:
    """OCR may read more digits than a word's ink holds ("7321" for 731, boxed 11 points wide): that word's pitch is
    too narrow to be the face's, and the line's figures grouped by spaces ("412 193") stay whole."""
    from finsheet.extraction.figure_pieces import figure_tokens

    line = [Word("412", 297, 100, 308, 106, 0.9), Word("193", 313, 100, 325, 106, 0.9),
            Word("607", 361, 100, 372, 106, 0.9), Word("725", 378, 100, 390, 106, 0.9),
            Word("7", 499, 100, 502, 106, 0.9), Word("7321", 508, 100, 519, 106, 0.6)]
    assert [fig.raw for fig, _ in figure_tokens(line, False) if fig][:2] == ["412193", "607725"]


@pytest.mark.parametrize("misread", ["15,732,2", "(15,732,2)", "1,015,732,20"])
def test_a_decimal_point_read_as_a_comma_leaves_the_row_its_label(misread: str) -> None:
    """OCR may read a figure's decimal point as a comma ("15,732,2" for 15,732.2): a group of thousands, then one
    or two digits. No label's word reads so: the row keeps its label and its other figures, the misread one shown
    doubtful, never a line named "Gross profit 15,732,2"."""
    lines = [("Revenue", ("41,630.5", "39,160.0", "38,001.0")), ("Cost of sales", ("(21,449.8)", "(23,402.0)",
                                                                                  "(18,147.3)")),
             ("Gross profit", (misread, "15,758.0", "19,853.7"))]
    st = _statement(lines, centred_title="INCOME STATEMENT")
    gross = st.items[-1]
    assert gross.label == "Gross profit"
    assert [gross.values.get(p.key) for p in st.periods][1:] == [15_758.0, 19_853.7]
    assert gross.confidence < 0.8
