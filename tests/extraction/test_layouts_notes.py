"""Notes columns, numbers inside labels and column-heading phrases on generated layouts: note references that are
no small integers ("3.1", "11, 12"), a note cited in a label ("Inventories (Note 9)") or wrapped ("(Note" / "12)"),
a number in a label's text ("... par value; 200,000"), column headings set about an em apart, and a second statement's
headings repeated under the first. Guards: a real column of small two-decimal amounts stays a period, and a notes
column of small integers stays notes."""

from __future__ import annotations

import io
from collections.abc import Sequence

import pytest
from reportlab.lib.pagesizes import letter
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from finsheet import StatementType, extract
from finsheet.model import Statement

Line = tuple[Sequence[str], str, Sequence[str]]
"""A printed line: its label's visual lines (figures on the last), its note reference, its figures by column."""

BALANCE: list[Line] = [
    (["Cash and cash equivalents"], "", ("1,200", "1,000")),
    (["Accounts receivable, net"], "3", ("800", "700")),
    (["Inventories"], "4", ("650", "600")),
    (["Total current assets"], "", ("2,650", "2,300")),
    (["Property and equipment, net"], "5", ("4,300", "4,100")),
    (["Total assets"], "", ("6,950", "6,400")),
    (["Accounts payable"], "", ("900", "850")),
    (["Long-term debt"], "7", ("2,000", "2,100")),
    (["Total liabilities"], "", ("2,900", "2,950")),
    (["Total stockholders' equity"], "", ("4,050", "3,450")),
    (["Total liabilities and equity"], "", ("6,950", "6,400")),
]
"""A balance sheet of two year ends that foots, with a note cited on some lines."""

FONTS = [("Helvetica", 9), ("Times-Roman", 10), ("Courier", 8), ("Courier", 10.5)]


def pdf_of(lines: Sequence[Line], *, font: str = "Helvetica", size: float = 9,
           headings: Sequence[Sequence[tuple[float, str]]] | None = None, columns: Sequence[float] = (440, 530),
           note_x: float | None = 360, notes_heading: str = "Notes",
           title: Sequence[str] = ("NORTHWIND TRADING CORP.", "Consolidated Balance Sheet", "(in thousands)"),
           ) -> bytes:
    """One statement page: the title block, heading lines of (right edge, text), then the lines with their notes
    centred at `note_x` and figures right-aligned at `columns`."""
    if headings is None:
        headings = [[(columns[0], "December 31,"), (columns[1], "December 31,")],
                    [(columns[0], "2023"), (columns[1], "2022")]]
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=True)
    y = 740.0
    for text in title:
        c.setFont(font, size + 2)
        c.drawCentredString(306, y, text)
        y -= size + 8
    c.setFont(font, size)
    for k, heading_line in enumerate(headings):
        for x, text in heading_line:
            c.drawRightString(x, y, text)
        if k == len(headings) - 1 and note_x is not None:
            c.drawCentredString(note_x, y, notes_heading)
        y -= size + 5
    step = size * 1.5
    for label_lines, note, figures in lines:
        for k, text in enumerate(label_lines):
            c.drawString(72 if k == 0 else 80, y, text)
            if k < len(label_lines) - 1:
                y -= step
        if note and note_x is not None:
            c.drawCentredString(note_x, y, note)
        for x, figure in zip(columns, figures, strict=False):
            c.drawRightString(x, y, figure)
        y -= step
    c.showPage()
    c.save()
    return buf.getvalue()


def the_one(pdf: bytes, kind: StatementType = StatementType.BALANCE) -> Statement:
    found = [s for s in extract(pdf).statements if s.type == kind]
    assert len(found) == 1, [(s.type, s.title, [p.key for p in s.periods]) for s in extract(pdf).statements]
    return found[0]


def ends(st: Statement) -> list[str | None]:
    return [p.end.isoformat() if p.end else None for p in st.periods]


def values_of(st: Statement, label: str) -> list[float | None]:
    hits = [it for it in st.items if it.label == label]
    assert hits, f"no {label!r} in {[it.label for it in st.items]}"
    return list(hits[0].values.values())


def with_notes(form: dict[str, str]) -> list[Line]:
    """The balance sheet with its note references printed in another form ("3" -> "3.1", "B3", "3, 4")."""
    return [(label, form.get(note, note), figures) for label, note, figures in BALANCE]


# --------------------------------------------------------------------------- notes columns


SECTIONS = {"3": "3.1", "4": "4.2", "5": "5.3", "7": "7.1"}
LISTS = {"3": "3, 4", "4": "5, 6", "5": "11, 12", "7": "13, 14, 15"}
LETTERS = {"3": "B3", "4": "B4", "5": "C1", "7": "C7"}


@pytest.mark.parametrize(("font", "size"), FONTS)
@pytest.mark.parametrize(("form", "heading"), [(SECTIONS, "Notes"), (SECTIONS, "Note"), (LISTS, "Notes"),
                                               (LETTERS, "Note(s)")])
def test_a_notes_column_of_references_is_no_period(form: dict[str, str], heading: str, font: str,
                                                   size: float) -> None:
    """References that are no small integers ("3.1", "11, 12", "B3") under a Notes heading are the lines' notes:
    no extra period, the labels whole, the notes kept."""
    st = the_one(pdf_of(with_notes(form), font=font, size=size, notes_heading=heading))
    assert ends(st) == ["2023-12-31", "2022-12-31"]
    assert values_of(st, "Inventories") == [650, 600]
    assert values_of(st, "Property and equipment, net") == [4300, 4100]
    notes = {it.label: it.note for it in st.items if it.note}
    assert notes.get("Inventories") == form["4"] and notes.get("Long-term debt") == form["7"], notes


@pytest.mark.parametrize(("font", "size"), FONTS)
@pytest.mark.parametrize("form", [{}, SECTIONS])
def test_a_first_label_reaching_over_to_the_notes_column_opens_the_table(form: dict[str, str], font: str,
                                                                          size: float) -> None:
    """The table's first label wrapped over two lines, its first line reaching to just short of the Notes column
    (which stands between the labels and the amounts): that line opens the table, it is no column heading."""
    first = "Property, plant and equipment and right-of-use"
    note_x = 72 + stringWidth(first, font, size) + 16  # the reference's box starts a few points right of the label
    lines: list[Line] = [(["Non-current assets"], "", ()), ([first, "assets, net"], form.get("5", "5"),
                                                               ("4,300", "4,100")), *with_notes(form)]
    st = the_one(pdf_of(lines, font=font, size=size, note_x=note_x))
    assert [it.label for it in st.items][:2] == ["Non-current assets", f"{first} assets, net"]
    assert values_of(st, f"{first} assets, net") == [4300, 4100]
    assert ends(st) == ["2023-12-31", "2022-12-31"]


@pytest.mark.parametrize("note_x", [330, 375])
def test_a_list_of_references_wider_than_its_heading_leaves_the_label(note_x: float) -> None:
    """"11, 12" centred under "Notes" reaches left of the heading: the whole list is the note, the label stays
    the label ("Net income", not "Net income 11,")."""
    st = the_one(pdf_of(with_notes({**LISTS, "4": "21, 22, 23"}), note_x=note_x, font="Courier", size=9))
    labels = [it.label for it in st.items]
    assert "Inventories" in labels and "Property and equipment, net" in labels, labels
    assert {it.label: it.note for it in st.items}["Inventories"] == "21, 22, 23"


@pytest.mark.parametrize(("font", "size"), FONTS)
def test_a_notes_column_of_small_integers_stays_notes(font: str, size: float) -> None:
    """Guard: the plain notes column ("3", "4") is still read as notes."""
    st = the_one(pdf_of(BALANCE, font=font, size=size))
    assert ends(st) == ["2023-12-31", "2022-12-31"]
    assert {it.label: it.note for it in st.items}["Long-term debt"] == "7"


@pytest.mark.parametrize("size", [8, 10])
def test_a_column_of_small_two_decimal_amounts_stays_a_period(size: float) -> None:
    """Guard: amounts in millions printed to two decimals ("6.95", "0.65"), beside a Notes column, under their
    dates, are a period's figures, not note references."""
    def millions(figure: str) -> str:
        return f"{int(figure.replace(',', '')) / 1000:.2f}"

    lines = [(label, note, tuple(millions(f) for f in figures)) for label, note, figures in BALANCE]
    st = the_one(pdf_of(lines, size=size, title=("NORTHWIND TRADING CORP.", "Consolidated Balance Sheet",
                                                   "(in millions)")))
    assert ends(st) == ["2023-12-31", "2022-12-31"]
    assert values_of(st, "Inventories") == [0.65, 0.6]
    assert values_of(st, "Total assets") == [6.95, 6.4]


# --------------------------------------------------------------------------- numbers inside labels


CITED = {"Accounts receivable, net": "Receivables", "Inventories": "Inventories", "Long-term debt": "Borrowings"}


@pytest.mark.parametrize(("font", "size"), FONTS)
@pytest.mark.parametrize("notes", [("3", "4", "7"), ("12", "9", "14"), ("5", "10", "21")])
def test_notes_cited_in_labels_stay_in_the_labels(notes: tuple[str, str, str], font: str, size: float) -> None:
    """"Inventories (Note 9)" with no Notes column, on labels of about one length (their references line up):
    each label is whole and its figures are its values."""
    cited = dict(zip(CITED, notes, strict=True))
    lines = [([f"{CITED[label[0]]} (Note {cited[label[0]]})"] if label[0] in cited else label, "", figures)
             for label, _, figures in BALANCE]
    st = the_one(pdf_of(lines, font=font, size=size, note_x=None))
    assert values_of(st, f"Inventories (Note {notes[1]})") == [650, 600]
    assert values_of(st, f"Borrowings (Note {notes[2]})") == [2000, 2100]
    assert ends(st) == ["2023-12-31", "2022-12-31"]


@pytest.mark.parametrize(("font", "size"), FONTS)
def test_wrapped_note_references_are_no_values(font: str, size: float) -> None:
    """"Commitments and contingencies (Note" / "12)" wrapped with no figures (and another such line): 12 is no
    value of any line, and the references make no column."""
    lines = [*BALANCE[:8], (["Leases and other obligations (Note", "11)"], "", ()), *BALANCE[8:9],
             (["Commitments and contingencies (Note", "12)"], "", ()), *BALANCE[9:]]
    st = the_one(pdf_of(lines, font=font, size=size, note_x=None))
    assert not any(v in (11, 12, -11, -12) for it in st.items for v in it.values.values()), [
        (it.label, it.values) for it in st.items if it.values]
    assert ends(st) == ["2023-12-31", "2022-12-31"]


@pytest.mark.parametrize(("font", "size"), FONTS)
def test_numbers_in_a_wrapped_labels_text_are_no_column(font: str, size: float) -> None:
    """"Common stock, $0.01 par value; 200,000" / "shares authorized; 52,345 and 51,987" / "shares issued and
    outstanding": the numbers ending the first lines continue the text at a word space; they are no figures,
    however the wrapping lines them up."""
    common = ["Common stock, $0.01 par value; 200,000", "shares authorized; 52,345 and 51,987",
              "shares issued and outstanding"]
    preferred = ["Preferred stock, $0.01 par value; 5,000", "shares authorized; none issued"]
    lines = [*BALANCE[:9], (preferred, "", ("—", "—")), (common, "", ("523", "520")), *BALANCE[9:]]
    st = the_one(pdf_of(lines, font=font, size=size, note_x=None))
    assert ends(st) == ["2023-12-31", "2022-12-31"]
    found = {v for it in st.items for v in it.values.values()}
    assert not found & {200_000, 51_987, 5_000}, [(it.label, it.values) for it in st.items]
    assert 523 in found


@pytest.mark.parametrize("leader", [" . . . . . . . . . .", " ..........", ""])
def test_a_figure_close_to_its_label_in_a_column_stays_a_figure(leader: str) -> None:
    """Guard: a label that runs up to its column ("... net" at a word space from the figure, or after a dot
    leader) keeps its figure when the figure stands in the column."""
    long_label = "Property and equipment, net of accumulated depreciation" + leader
    width = stringWidth(long_label, "Helvetica", 9)
    first = 72 + width + 3 + stringWidth("4,300", "Helvetica", 9)  # one space after the label
    lines = [(([long_label],) + line[1:]) if line[0] == ["Property and equipment, net"] else line for line in BALANCE]
    st = the_one(pdf_of(lines, columns=(first, first + 90), note_x=None))
    assert values_of(st, long_label.rstrip(" .")) == [4300, 4100]


@pytest.mark.parametrize(("font", "size"), FONTS)
def test_leaders_run_into_the_labels_lead_to_their_figures(font: str, size: float) -> None:
    """Guard: dot leaders printed in one with each label ("Inventories..........") up to a word space before its
    figure lead every label to its figure: that column stays the first period."""
    first = 400.0
    space = stringWidth(" ", font, size)
    lines = []
    for label, note, figures in BALANCE:
        text = label[0] + "."
        while stringWidth(text + ".", font, size) + 72 < first - stringWidth(figures[0], font, size) - space:
            text += "."
        lines.append(([text], note, figures))
    st = the_one(pdf_of(lines, font=font, size=size, columns=(first, first + 90), note_x=None))
    assert ends(st) == ["2023-12-31", "2022-12-31"]
    assert values_of(st, "Inventories") == [650, 600]


# --------------------------------------------------------------------------- column headings


@pytest.mark.parametrize(("font", "size"), [("Courier", 11), ("Courier", 9), ("Helvetica", 11), ("Times-Roman", 10)])
def test_years_headed_one_em_apart_are_each_their_columns(font: str, size: float) -> None:
    """"Fiscal 2023  Fiscal 2022  Fiscal 2021" set about an em apart are three headings, one per column."""
    gap = stringWidth("Fiscal 2023", font, size) + size * 0.8
    columns = (560 - 2 * gap, 560 - gap, 560)
    lines = [(label, "", (*figures, figures[1])) for label, _, figures in BALANCE]
    pdf = pdf_of(lines, font=font, size=size, columns=columns, note_x=None,
                 headings=[[(columns[0], "Fiscal 2023"), (columns[1], "Fiscal 2022"), (columns[2], "Fiscal 2021")]],
                 title=("NORTHWIND TRADING CORP.", "Consolidated Balance Sheet", "As of December 31, 2023, 2022 "
                        "and 2021", "(in thousands)"))
    assert ends(the_one(pdf)) == ["2023-12-31", "2022-12-31", "2021-12-31"]


@pytest.mark.parametrize(("font", "size"), [("Helvetica", 10), ("Times-Roman", 9)])
def test_dates_over_narrow_figures_are_each_their_columns(font: str, size: float) -> None:
    """"Notes  September 30, 2023  September 30, 2022" over columns of narrow figures: each date heads the
    column under it, not both."""
    small = [(label, "", tuple(f.replace(",", "")[:3] for f in figures)) for label, _, figures in BALANCE]
    one = stringWidth("September 30, 2023", font, size) + size * 1.3
    columns = (560 - one, 560)
    pdf = pdf_of(small, font=font, size=size, columns=columns, note_x=columns[0] - one - 10,
                 headings=[[(columns[0], "September 30, 2023"), (columns[1], "September 30, 2022")]])
    assert ends(the_one(pdf)) == ["2023-09-30", "2022-09-30"]


@pytest.mark.parametrize("heading", ["Note", ""])
@pytest.mark.parametrize("form", ["{}", "Fiscal {}"])
@pytest.mark.parametrize("years", [("2023", "2022"), ("2023", "2022", "2021")])
def test_a_second_statements_headings_are_no_line(heading: str, form: str, years: tuple[str, ...]) -> None:
    """A second statement's title block and its "Note  2023  2022" (or "Fiscal 2023  Fiscal 2022") printed below
    the first on one page, read within the first: the years are no line's values."""
    columns = [560 - 70 * (len(years) - 1 - k) for k in range(len(years))]
    years = tuple(form.format(year) for year in years)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=True)
    y = 740.0
    for title, rows in (("Statements of income", INCOME), ("Consolidated statement of comprehensive income (loss)",
                                                          COMPREHENSIVE)):
        c.setFont("Helvetica", 11)
        for text in ("NORTHWIND TRADING CORP.", title, "For the year ended September 30, 2023", "$'000"):
            c.drawCentredString(306, y, text)
            y -= 15
        c.setFont("Helvetica", 9)
        if heading:
            c.drawCentredString(columns[0] - 80, y, heading)
        for x, year in zip(columns, years, strict=True):
            c.drawRightString(x, y, year)
        y -= 14
        for label, figures in rows:
            c.drawString(72, y, label)
            for x, figure in zip(columns, figures, strict=False):
                c.drawRightString(x, y, figure)
            y -= 13
        y -= 10
    c.showPage()
    c.save()
    st = the_one(buf.getvalue(), StatementType.INCOME)
    assert len(st.periods) == len(years) and ends(st)[0] == "2023-09-30"
    assert not any(v in (2023, 2022, 2021) for it in st.items for v in it.values.values()), [
        (it.label, it.values) for it in st.items]


INCOME = [("Revenue", ("10,000", "9,000", "8,000")), ("Cost of sales", ("(6,000)", "(5,500)", "(5,000)")),
          ("Gross profit", ("4,000", "3,500", "3,000")), ("Operating expenses", ("(2,500)", "(2,300)", "(2,100)")),
          ("Operating income", ("1,500", "1,200", "900")), ("Income tax expense", ("(300)", "(250)", "(200)")),
          ("Net income", ("1,200", "950", "700"))]
COMPREHENSIVE = [("Net income", ("1,200", "950", "700")), ("Foreign currency translation", ("(40)", "25", "10")),
                 ("Comprehensive income", ("1,160", "975", "710"))]

