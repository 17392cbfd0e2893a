"""An equity statement's column names, on generated layouts: narrow columns a few points apart, each named by words
stacked over it line by line (centred on the column or set flush right with it), so that the words of neighbouring
columns sharing a line stand as close as the words of one heading; a heading spanning two columns ("Common Stock"
over "Shares | Amount") above them. Each column is named by its own words and the spanning heading's, never by its
neighbours'."""

from __future__ import annotations

import io

import pytest
from layouts import statement
from reportlab.lib.pagesizes import letter
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from finsheet import StatementType

COMPONENTS: list[list[str]] = [
    ["Shares"], ["Amount"], ["Paid-In", "Capital"], ["Treasury", "Stock"], ["Retained", "Earnings"],
    ["Accumulated", "Other", "Comprehensive", "Loss"], ["Noncontrolling", "Interests"], ["Total"],
]
"""Each column's name, a word a line, as a US statement of stockholders' equity stacks them."""

ROWS: list[tuple[str, list[str]]] = [
    ("Balance, December 31, 2021", ["188.7", "1.9", "2,022.3", "(179.2)", "652.0", "(251.6)", "94.0", "2,339.4"]),
    ("Net income", ["—", "—", "—", "—", "343.2", "—", "12.4", "355.6"]),
    ("Other comprehensive loss", ["—", "—", "—", "—", "—", "(20.5)", "0.5", "(20.0)"]),
    ("Stock-based compensation", ["0.9", "—", "48.1", "—", "—", "—", "—", "48.1"]),
    ("Balance, December 31, 2022", ["189.6", "1.9", "2,070.4", "(179.2)", "995.2", "(272.1)", "106.9", "2,723.1"]),
]
"""The movements: every column foots down to its closing balance."""


def _equity_page(face: str, size: float, gutter: float, flush_right: bool, spanning: tuple[str, ...], *,
                 running_header: str = "", under_title: str = "", caption: str = "") -> bytes:
    """The statement with each column as wide as its widest heading word or figure, `gutter` points apart; with a
    `running_header` above its title, a line `under_title` on the title's axis, and a dated `caption` centred over
    the columns above their headings."""
    widths = [max([stringWidth(w, face, size) for w in words] + [stringWidth(f[k], "Helvetica", size) for _, f in ROWS])
              for k, words in enumerate(COMPONENTS)]
    rights, x = [], 230.0
    for width in widths:
        x += width
        rights.append(x)
        x += gutter
    lines = max(len(words) for words in COMPONENTS)
    leading = size * 1.15
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=True)
    c.setFont("Helvetica", 8)
    if running_header:
        c.drawCentredString(306, 770, running_header)
    c.setFont("Helvetica-Bold", 10)
    c.drawCentredString(306, 740, "Consolidated Statements of Stockholders' Equity")
    c.setFont("Helvetica", 8)
    c.drawCentredString(306, 728, "(in millions)")
    if under_title:
        c.drawCentredString(306, 716, under_title)
    bottom = 620.0
    c.setFont(face, size)
    for words, right, width in zip(COMPONENTS, rights, widths, strict=True):
        for i, word in enumerate(words):  # the last word on the bottom line, the others stacked above it
            y = bottom + (len(words) - 1 - i) * leading
            if flush_right:
                c.drawRightString(right, y, word)
            else:
                c.drawCentredString(right - width / 2, y, word)
    if spanning:  # over the first two columns, centred on them, its last line underlined
        left, right = rights[0] - widths[0], rights[1]
        for i, line in enumerate(spanning):
            y = bottom + (lines + len(spanning) - 1 - i) * leading + 2
            c.drawCentredString((left + right) / 2, y, line)
        c.line(left, bottom + lines * leading, right, bottom + lines * leading)
    if caption:
        c.setFont(face, size)
        c.drawCentredString((rights[0] - widths[0] + rights[-1]) / 2 + 20, bottom + (lines + 2.5) * leading, caption)
    c.setFont("Helvetica", size)
    y = bottom - 2 * leading
    for label, figures in ROWS:
        c.drawString(40, y, label)
        for right, figure in zip(rights, figures, strict=True):
            c.drawRightString(right, y, figure)
        y -= 1.6 * leading
    c.showPage()
    c.save()
    return buf.getvalue()


@pytest.mark.parametrize("face", ["Helvetica-Bold", "Times-Bold", "Helvetica"])
@pytest.mark.parametrize("size", [7.0, 8.5])
@pytest.mark.parametrize("gutter", [2.0, 5.0, 9.0])
@pytest.mark.parametrize("flush_right", [False, True])
@pytest.mark.parametrize("spanning", [(), ("Common Stock",), ("$0.01 Par Value", "Common Stock")])
def test_each_narrow_column_is_named_by_its_own_stacked_words(face: str, size: float, gutter: float,
                                                             flush_right: bool, spanning: tuple[str, ...]) -> None:
    """A heading of two lines over two columns, centred on them ("$0.01 Par Value / Common Stock"), lines of like
    width whose words may fall on the columns' axes, is still one heading over both."""
    st = statement(_equity_page(face, size, gutter, flush_right, spanning), StatementType.EQUITY)
    names = [" ".join(words) for words in COMPONENTS]
    if spanning:
        names[:2] = [f"{' '.join(spanning)} {name}" for name in names[:2]]
    assert [p.label for p in st.periods] == names
    closing = next(it for it in st.items if it.label == "Balance, December 31, 2022")
    assert list(closing.values.values()) == [189.6, 1.9, 2070.4, -179.2, 995.2, -272.1, 106.9, 2723.1]


@pytest.mark.parametrize("face", ["Helvetica-Bold", "Times-Bold"])
@pytest.mark.parametrize("spanning", [(), ("Common Stock",)])
def test_the_total_column_is_checked_against_the_components_on_every_line(face: str, spanning: tuple[str, ...]
                                                                         ) -> None:
    """Read across, each line's total is its amounts' sum (the share count left out, the non-controlling interests
    in): five lines, five checks that hold."""
    st = statement(_equity_page(face, 8.0, 4.0, False, spanning), StatementType.EQUITY)
    across = [c for c in st.checks if c.name == "equity_columns_add_up"]
    assert len(across) == len(ROWS) and all(c.ok is True for c in across), [c.detail for c in across]


@pytest.mark.parametrize("running_header", ["", "Table of Contents", "ACME HOLDINGS INC. — 2023 Form 10-Q"])
@pytest.mark.parametrize("under_title", ["", "(Unaudited)"])
@pytest.mark.parametrize("caption", ["", "Three Months Ended June 30, 2023", "Year ended 31 December 2022"])
@pytest.mark.parametrize("size", [7.0, 8.5])
def test_lines_about_the_whole_table_name_no_column(running_header: str, under_title: str, caption: str,
                                                    size: float) -> None:
    """What is printed above the title (a running header), a line of the title's block ("(Unaudited)") and a lone
    date over some of the named columns (which period the table shows) are about the whole table: no column's
    name carries them."""
    pdf = _equity_page("Helvetica-Bold", size, 4.0, False, ("Common Stock",), running_header=running_header,
                       under_title=under_title, caption=caption)
    st = statement(pdf, StatementType.EQUITY)
    names = [" ".join(words) for words in COMPONENTS]
    names[:2] = [f"Common Stock {name}" for name in names[:2]]
    assert [p.label for p in st.periods] == names


@pytest.mark.parametrize("header", ["Table of Contents", "Annual Report", "ADOBE INC."])
@pytest.mark.parametrize("x", [180.0, 300.0, 420.0])
def test_what_is_printed_above_the_title_heads_no_column(header: str, x: float) -> None:
    """A page's running header above the statement's title ("Table of Contents", a link back in a filing's HTML
    rendering) stands over whichever column is below it: the columns' headings stand under the title."""
    from finsheet.extraction.columns import Column
    from finsheet.extraction.headings import column_headings
    from finsheet.model import Word

    def words(y: float, x: float, text: str) -> list[Word]:
        out = []
        for word in text.split(" "):
            out.append(Word(word, x, y, x + 5.0 * len(word), y + 8))
            x += 5.0 * len(word) + 3.0
        return out

    columns = [Column(200, 230), Column(300, 330), Column(400, 430)]
    title = words(60, 150, "CONSOLIDATED STATEMENTS OF STOCKHOLDERS' EQUITY")
    heads = words(90, 195, "Shares") + words(90, 295, "Amount") + words(90, 405, "Total")
    periods, _ = column_headings(columns, words(20, x, header) + title + heads, [],
                                 "Consolidated Statements of Stockholders' Equity")
    assert [p.label for p in periods] == ["Shares", "Amount", "Total"]
