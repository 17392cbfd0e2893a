"""Word boundaries in text layers that PDFium reads without spaces.

Some producers draw every glyph (or every word) as a text object of its own, spaces included. PDFium ignores a text
object that draws no ink, so such a space is dropped, and where the next word starts closer than a quarter of a
glyph's advance PDFium inserts no space of its own: "Deferredtaxassets". Generated PDFs check that the space drawn
still ends the word, that figures and letter-spaced titles stay whole, and that a space on another line splits
nothing. Two real filings in ../shared/corpus (skipped on a fresh clone) are read end to end.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from finsheet import StatementType, extract
from finsheet.extraction.pdf import group_lines, open_pdf, page_texts, read_page

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "pdfs"
BCB = CORPUS / "BCB_BANCORP_2022_10K.pdf"
GLUED = CORPUS / "MERCURITY_FINTECH_2022_20F.pdf"

pdfmetrics.registerFont(TTFont("Vera", "Vera.ttf"))  # an embedded TrueType font, beside the standard Type 1 ones
FONTS = ["Times-Roman", "Helvetica", "Courier", "Vera"]


def _draw_line(canvas: Canvas, words: list[str], y: float, font: str, size: float, gap_em: float, *,
               space_glyph: bool = True, per_glyph: bool = False, tracking_em: float = 0.0) -> None:
    """Draw `words` on one line, each word (or each glyph) a text object of its own; between two words, a space
    drawn as its own object (`space_glyph`) and the next word `gap_em` after the end of the last one, narrower
    than a space, so PDFium inserts none of its own."""
    x = 40.0
    for k, word in enumerate(words):
        for piece in (list(word) if per_glyph else [word]):
            canvas.setFont(font, size)
            canvas.drawString(x, y, piece)
            x += stringWidth(piece, font, size) + tracking_em * size
        x -= tracking_em * size
        if k < len(words) - 1:
            if space_glyph:
                canvas.setFont(font, size)
                canvas.drawString(x, y, " ")
            x += (gap_em + tracking_em) * size


def _page(draw: Callable[[Canvas], None], font: str, size: float) -> bytes:
    """A one-page PDF drawn by `draw`, the font set."""
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=(612, 792))
    canvas.setFont(font, size)
    draw(canvas)
    canvas.showPage()
    canvas.save()
    return buf.getvalue()


def _pdf(draw: list[tuple[list[str], dict[str, object]]], font: str, size: float) -> bytes:
    def lines(canvas: Canvas) -> None:
        for row, (words, options) in enumerate(draw):
            _draw_line(canvas, words, 700 - 3 * size * row, font, size, **options)  # type: ignore[arg-type]

    return _page(lines, font, size)


def _glyph_by_glyph(canvas: Canvas, word: str, font: str, size: float,
                    blank_at: Callable[[float, float], None]) -> None:
    """Draw `word` at (40, 700) one glyph at a time, calling `blank_at(x, advance)` after each glyph (to draw a
    blank somewhere before the next one)."""
    x = 40.0
    for letter in word:
        canvas.drawString(x, 700, letter)
        advance = stringWidth(letter, font, size)
        blank_at(x, advance)
        x += advance


def _lines(pdf: bytes) -> tuple[list[list[str]], str]:
    """The words of each line of the page, and PDFium's own plain text of it."""
    with open_pdf(pdf) as doc:
        page = read_page(doc, 0)
        plain = page_texts(doc)[0]
    return [[w.text for w in line] for line in group_lines(page.words)], plain


@pytest.mark.parametrize("font", FONTS)
@pytest.mark.parametrize("size", [7.0, 9.0, 12.0])
@pytest.mark.parametrize("gap_em", [0.02, 0.06, 0.11])
@pytest.mark.parametrize("per_glyph", [False, True])
def test_a_space_drawn_as_its_own_object_ends_the_word(font: str, size: float, gap_em: float, per_glyph: bool) -> None:
    """'Deferred tax assets' whose spaces PDFium drops (its plain text reads 'Deferredtaxassets') reads as three
    words, whatever the font, size, gap, and whether words or glyphs are the text objects."""
    words = ["Deferred", "tax", "assets"]
    pdf = _pdf([(words, {"gap_em": gap_em, "per_glyph": per_glyph})], font, size)
    lines, plain = _lines(pdf)
    assert "Deferredtaxassets" in plain  # the case this test is about: PDFium's own text glues the words
    assert lines == [words]


@pytest.mark.parametrize("font", FONTS)
def test_figures_drawn_glyph_by_glyph_stay_whole(font: str) -> None:
    """Figures drawn one glyph per object beside labels whose spaces are drawn apart stay one word each: the
    space glyphs split the label from the figure, never a figure's digits ("1,311", not "1,31 1")."""
    rows = [
        ["Total", "assets", "1,311", "(12,345)"],
        ["Net", "loss", "per", "share", "(0.07)", "1,234.56"],
        ["Balance", "as", "of", "January", "1,", "2022", "(as", "restated)", "4,937,916,229"],
    ]
    pdf = _pdf([(row, {"gap_em": 0.1, "per_glyph": True}) for row in rows], font, 9.0)
    lines, _ = _lines(pdf)
    assert lines == rows


@pytest.mark.parametrize("font", FONTS)
def test_a_space_drawn_inside_a_figure_does_not_split_it(font: str) -> None:
    """A blank glyph some producers set between two digits, a hair wide ("201 8"), splits no figure: the year and
    the amount read whole, while the label before them still ends at its own space."""
    rows = [["Fiscal", "201", "8", "total", "1,31", "1"]]
    pdf = _pdf([(row, {"gap_em": 0.05, "per_glyph": True}) for row in rows], font, 9.0)
    lines, _ = _lines(pdf)
    assert lines == [["Fiscal", "2018", "total", "1,311"]]


@pytest.mark.parametrize("font", FONTS)
def test_a_letter_spaced_title_stays_in_words(font: str) -> None:
    """A title tracked a tenth of an em, each glyph its own object and each space drawn apart, reads as its words:
    the spacing of letters is no word boundary, the spaces drawn are."""
    title = ["CONSOLIDATED", "STATEMENTS", "OF", "CASH", "FLOWS"]
    pdf = _pdf([(title, {"gap_em": 0.1, "per_glyph": True, "tracking_em": 0.1})], font, 12.0)
    lines, _ = _lines(pdf)
    assert lines == [title]


def test_a_space_drawn_on_another_line_splits_no_word() -> None:
    """Spaces drawn between a word's glyphs, in the content stream and across, but on the next line, are no
    boundary of that word: each space belongs to its own line."""
    font, size = "Helvetica", 9.0

    def draw(canvas: Canvas) -> None:
        # each blank under the word, before its next glyph
        _glyph_by_glyph(canvas, "Revenue", font, size,
                        lambda x, advance: canvas.drawString(x + 0.6 * advance, 700 - 1.2 * size, " "))
        canvas.drawString(40, 700 - 1.2 * size, "Cost")

    lines, _ = _lines(_page(draw, font, size))
    assert lines == [["Revenue"], ["Cost"]]


def test_a_space_drawn_elsewhere_on_the_line_splits_no_word() -> None:
    """A blank drawn between a word's glyphs in the content stream but in another column of the line (a producer
    that draws a row's cells interleaved) does not stand between them: the word stays whole."""
    font, size = "Helvetica", 9.0

    def draw(canvas: Canvas) -> None:
        # the next column's blank, drawn before the word's next glyph
        _glyph_by_glyph(canvas, "Revenue", font, size, lambda x, advance: canvas.drawString(300, 700, " "))
        canvas.drawString(300, 700, "1,311")

    lines, _ = _lines(_page(draw, font, size))
    assert lines == [["Revenue", "1,311"]]


@pytest.mark.parametrize("lift", [0.0, 0.4])
def test_a_blank_drawn_where_a_glyph_starts_splits_nothing(lift: float) -> None:
    """Blanks set where a table's cells start (an empty string at the cell's origin, before its text is drawn)
    coincide with a glyph's origin, not after it: 'Net sales' stays 'Net' 'sales', not 'N et'."""
    font, size = "Times-Roman", 9.0

    def draw(canvas: Canvas) -> None:
        for x in (40.0, 40.0 + stringWidth("N", font, size)):  # blanks first, at the origins of 'N' and 'e'
            canvas.drawString(x, 700 + lift, " ")
        _draw_line(canvas, ["Net", "sales"], 700, font, size, 0.08, per_glyph=True)

    lines, _ = _lines(_page(draw, font, size))
    assert lines == [["Net", "sales"]]


def test_words_without_any_space_drawn_stay_as_drawn() -> None:
    """Where nothing marks the boundary (no space drawn, a gap narrower than PDFium's own threshold), the words
    stay as PDFium reads them: no gap alone splits them, since letters of one word may stand as far apart."""
    words = ["Deferred", "tax", "assets"]
    pdf = _pdf([(words, {"gap_em": 0.08, "space_glyph": False})], "Times-Roman", 9.0)
    lines, _ = _lines(pdf)
    assert lines == [["Deferredtaxassets"]]


@pytest.mark.parametrize("slant", [0.21, -0.21, 0.33])
def test_text_obliqued_by_its_matrix_is_read_and_turned_text_is_not(slant: float) -> None:
    """A line set level but slanted by its text matrix (a faked italic: "Figures in Pound Sterling") is read like
    any other; a banner turned up the margin, or a line tilted past a few degrees, is not part of any table."""
    def draw(canvas: Canvas) -> None:
        for matrix, words in (((1, 0, slant, 1, 40, 700), "Figures in Pound Sterling"),
                              ((0, 1, -1, 0, 20, 300), "Strategic report banner"),
                              ((1, 0.2, 0, 1, 40, 600), "Tilted caption")):
            text = canvas.beginText()
            text.setTextTransform(*matrix)
            text.setFont("Helvetica", 10)
            text.textOut(words)
            canvas.drawText(text)

    with open_pdf(io.BytesIO(_page(draw, "Helvetica", 10))) as doc:
        page = read_page(doc, 0)
    assert [w.text for w in page.words] == ["Figures", "in", "Pound", "Sterling"]


SIDEWAYS_ROWS = [("Cash", 1_200, 1_000), ("Receivables", 800, 700), ("Total current assets", 2_000, 1_700),
                 ("Property and equipment", 4_300, 4_100), ("Total assets", 6_300, 5_800), ("Payables", 900, 850),
                 ("Long-term debt", 2_000, 2_100), ("Total liabilities", 2_900, 2_950),
                 ("Shareholders' equity", 3_400, 2_850), ("Total liabilities and shareholders' equity", 6_300, 5_800)]


def _sideways_statement(rotate: int, turn: int) -> bytes:
    """A balance sheet on a square page, its text turned `turn` degrees counter-clockwise about the page's centre
    (a wide table set sideways), the page shown turned by /Rotate `rotate`; its page number always set level."""
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=(700, 700))
    canvas.setPageRotation(rotate)
    canvas.saveState()
    canvas.translate(350, 350)
    canvas.rotate(turn)
    canvas.translate(-350, -350)
    canvas.setFont("Helvetica", 11)
    canvas.drawCentredString(350, 620, "NORTHWIND TRADING CORP.")
    canvas.drawCentredString(350, 604, "CONSOLIDATED BALANCE SHEETS")
    canvas.drawCentredString(350, 588, "(in thousands)")
    canvas.setFont("Helvetica", 9)
    canvas.drawRightString(480, 566, "December 31, 2023")
    canvas.drawRightString(580, 566, "December 31, 2022")
    for row, (label, a, b) in enumerate(SIDEWAYS_ROWS):
        y = 546 - 14 * row
        canvas.drawString(100, y, label)
        canvas.drawRightString(480, y, f"{a:,}")
        canvas.drawRightString(580, y, f"{b:,}")
    canvas.restoreState()
    canvas.setFont("Helvetica", 9)
    canvas.drawString(340, 30, "12")
    canvas.showPage()
    canvas.save()
    return buf.getvalue()


@pytest.mark.parametrize("rotate", [0, 90, 270])
@pytest.mark.parametrize("turn", [0, 90, 180, 270])
def test_a_statement_set_sideways_is_read_in_its_own_direction(rotate: int, turn: int) -> None:
    """A page's text is read in the direction most of it runs, whatever way the page is shown: a table set
    sideways on an upright page (a landscape equity statement) reads as the same table set level."""
    doc = extract(_sideways_statement(rotate, turn))
    [bs] = [s for s in doc.statements if s.type == StatementType.BALANCE]
    assert [(it.label, list(it.values.values())) for it in bs.items if it.values] == [
        (label, [float(a), float(b)]) for label, a, b in SIDEWAYS_ROWS]
    assert bs.scale == 1000


@pytest.mark.parametrize(("rotate", "turn"), [(0, 90), (0, 270), (90, 90), (270, 0), (0, 0)])
def test_the_source_page_is_shown_turned_as_its_words_are_placed(rotate: int, turn: int) -> None:
    """Review shows a page the way its words were read: each word's box, drawn on the shown page, covers ink."""
    from finsheet.workbench.source_page import page_size, render_page

    pdf = _sideways_statement(rotate, turn)
    with open_pdf(pdf) as doc:
        page = read_page(doc, 0)
    image = render_page(pdf, 1, scale=2.0).convert("L")
    assert image.size == (round(page.width * 2), round(page.height * 2))
    assert page_size(pdf, 1) == (page.width, page.height)
    for word in page.words:
        if word.text in ("Receivables", "6,300", "December"):
            ink = image.crop((round(word.x0 * 2), round(word.top * 2), round(word.x1 * 2), round(word.bottom * 2)))
            assert ink.getextrema()[0] < 100, word.text


# --------------------------------------------------------------------------- real filings

needs_bcb = pytest.mark.skipif(not BCB.is_file(), reason="../shared/corpus is not here")
needs_glued = pytest.mark.skipif(not GLUED.is_file(), reason="../shared/corpus is not here")


@needs_bcb
def test_letters_drawn_one_by_one_join_into_words() -> None:
    """'L o a n s ,  i n c l u d i n g  f e e s' drawn glyph by glyph reads 'Loans, including fees', and its
    figure '123,577' is one figure."""
    with open_pdf(BCB) as doc:
        page = read_page(doc, 36)
    texts = [w.text for w in page.words]
    assert "Loans," in texts and "including" in texts and "123,577" in texts
    assert sum(len(t) == 1 for t in texts) < 0.2 * len(texts)


@needs_bcb
def test_the_plain_text_of_such_a_page_finds_its_title_and_figures() -> None:
    """The fast plain-text pass reads the same page as lines of words, so the statement is found."""
    with open_pdf(BCB) as doc:
        text = page_texts(doc)[36]
    assert "Consolidated Statements of Operations" in " ".join(text.split())
    assert "123,577" in text


@needs_bcb
def test_the_consolidated_income_statement_is_read() -> None:
    """The consolidated statement of operations is found on its page, beside the parent company's."""
    doc = extract(BCB)
    consolidated = [s for s in doc.statements if s.type == StatementType.INCOME and 37 in s.pages]
    assert len(consolidated) == 1
    loans = next(i for i in consolidated[0].items if i.label == "Loans, including fees")
    assert list(loans.values.values()) == [123577.0, 107660.0]


@needs_glued
def test_a_filing_whose_spaces_pdfium_drops_reads_its_labels_in_words() -> None:
    """A 20-F drawn glyph by glyph, spaces too: its balance sheet's lines read 'Deferred tax assets' and
    'TOTAL ASSETS' (PDFium's own text: 'Deferred taxassets', 'TOTALASSETS'), each figure whole."""
    with open_pdf(GLUED) as doc:
        page = read_page(doc, 115)
    lines = [" ".join(w.text for w in line) for line in group_lines(page.words)]
    assert "Deferred tax assets 11 251,005 —" in lines
    assert "TOTAL ASSETS $ 18,893,082 $ 9,019,621" in lines
    assert "Prepaid expenses and other current assets, net 7 10,925 1,295,362" in lines
