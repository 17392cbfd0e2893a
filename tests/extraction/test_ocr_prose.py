"""Pages of running text told from their image (`ocr_prose`), which the search for a scan's statements passes over,
and never a table: generated pages that vary the face, size, setting and marks of each, real statement pages, and
a scan whose statements need what its prose says."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from random import Random

import pypdfium2 as pdfium
import pytest
from pdf_pages import image_pdf, page_images, render
from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4, letter
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from finsheet import StatementType, extract
from finsheet.extraction.ocr import ocr_pages
from finsheet.extraction.ocr_image import prepare_page
from finsheet.extraction.ocr_prose import running_text

TwoStatements = Callable[..., bytes]
DPI = 150  # the resolution the search for a scan's statements reads at (`pipeline.SCAN_DPI`)
SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"

WORDS = ("the financial statements give a true and fair view of the state of the company's affairs and of its "
         "profit for the year then ended and have been properly prepared in accordance with the requirements of "
         "the Companies Act 2006 we conducted our audit in accordance with International Standards on Auditing "
         "our responsibilities under those standards are further described in the auditor's responsibilities "
         "section of our report the directors are responsible for the other information which comprises the "
         "information included in the annual report other than the financial statements").split()


def _sentences(rng: Random, n: int) -> list[str]:
    """`n` paragraphs of running text, forty to ninety words each."""
    return [" ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 90))).capitalize() + "." for _ in range(n)]


def _set(c: canvas.Canvas, words: list[str], x: float, width: float, y: float, font: str, size: float, *,
         justified: bool) -> float:
    """One paragraph set in lines `width` wide from `x` (justified: each full line's words spread to both edges);
    returns the y under it."""
    line: list[str] = []
    lines: list[list[str]] = []
    for word in words:
        if line and stringWidth(" ".join([*line, word]), font, size) > width:
            lines.append(line)
            line = []
        line.append(word)
    lines.append(line)
    c.setFont(font, size)
    for k, words_of_line in enumerate(lines):
        if justified and k < len(lines) - 1 and len(words_of_line) > 1:
            inked = sum(stringWidth(w, font, size) for w in words_of_line)
            space = (width - inked) / (len(words_of_line) - 1)
            at = x
            for w in words_of_line:
                c.drawString(at, y, w)
                at += stringWidth(w, font, size) + space
        else:
            c.drawString(x, y, " ".join(words_of_line))
        y -= size * 1.3
    return y - size * 0.6


def prose_page(seed: int, *, font: str = "Times-Roman", size: float = 10, justified: bool = True,
               numbered: bool = False, bullets: bool = False, marks: bool = False, columns: int = 1,
               page: tuple[float, float] = A4):
    """A page of running text: a heading, paragraphs (under numbered headings "1.  Basis of preparation", or as a
    bulleted list), with `marks` a running header set apart from its page number and a signature beside its date."""
    rng = Random(seed)

    def draw(c: canvas.Canvas) -> None:
        width, height = page
        y = height - 72
        if marks:
            c.setFont(font, 8)
            c.drawString(60, height - 40, "NORTHWIND TRADING LIMITED")
            c.drawRightString(width - 60, height - 40, "Directors' report")
        c.setFont(font.replace("-Roman", "-Bold") if "Times" in font else font + "-Bold", size + 2)
        c.drawString(60, y, "Independent auditor's report to the members")
        y -= 2 * size
        gutter = 24
        column_width = (width - 120 - gutter * (columns - 1)) / columns
        x = 60.0
        for k, paragraph in enumerate(_sentences(rng, 12)):
            if y < 140:
                if columns == 1 or x > 60:
                    break
                x, y = 60 + column_width + gutter, height - 72 - 2 * size
            if numbered and k % 2 == 0:
                c.setFont(font, size)
                c.drawString(x, y, f"{k // 2 + 1}.")
                c.drawString(x + 36, y, "Basis of preparation")  # the heading hangs half an inch in
                y -= size * 1.8
            if bullets:
                c.drawString(x, y, "\u2022")
                y = _set(c, paragraph.split(), x + 36, column_width - 36, y, font, size, justified=justified)
            else:
                y = _set(c, paragraph.split(), x, column_width, y, font, size, justified=justified)
        if marks:
            c.setFont(font, size)
            c.drawString(60, 100, "J Smith, Director")
            c.drawRightString(width - 60, 100, "12 May 2023")

    return draw, page


def statement(*, font: str = "Helvetica", size: float = 9, rows: int = 24, leaders: bool = False,
              shaded: bool = False, prose_above: int = 0, page: tuple[float, float] = letter):
    """A statement page: title, year headings, `rows` rows of a label and two figures (dot leaders between them, or
    every row on a grey tint, as a statement printed on a shaded panel); `prose_above` lines of
    running text before it (a small company's balance sheet under the directors' statements)."""
    rng = Random(rows * 7 + prose_above)

    def draw(c: canvas.Canvas) -> None:
        width, height = page
        y = height - 72
        c.setFont(font + "-Bold" if font != "Times-Roman" else "Times-Bold", 11)
        c.drawCentredString(width / 2, y, "BALANCE SHEET AS AT 31 DECEMBER 2023")
        y -= 24
        if prose_above:
            c.setFont(font, size)
            for _ in range(prose_above):
                c.drawString(60, y, " ".join(rng.choice(WORDS) for _ in range(16)))
                y -= size * 1.4
            y -= 10
        c.setFont(font, size)
        c.drawRightString(width - 150, y, "2023")
        c.drawRightString(width - 70, y, "2022")
        y -= 18
        for _ in range(rows):
            label = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4))).capitalize()
            if shaded:  # dark enough to be ink where the paper is white: each row one long band of it
                c.setFillGray(0.55)
                c.rect(55, y - 3, width - 120, size + 4, stroke=0, fill=1)
                c.setFillGray(0)
            c.drawString(60, y, label)
            if leaders:
                start = 64 + stringWidth(label, font, size)
                c.drawString(start, y, "." * int((width - 210 - start) / stringWidth(".", font, size)))
            c.drawRightString(width - 150, y, f"{rng.randint(1, 99_999):,}")
            c.drawRightString(width - 70, y, f"({rng.randint(1, 9_999):,})")
            y -= size * 1.6

    return draw, page


def _image(drawn: tuple, *, specks: int = 0, border: bool = False) -> Image.Image:
    """The page drawn, as the search for statements reads it: at DPI, prepared for OCR; with `specks` dust marks
    scattered over it, and a scanner's dark edge down its left side."""
    draw, page = drawn
    [image] = page_images(render(draw, size=page), DPI)
    if specks or border:
        rng = Random(specks)
        pen = ImageDraw.Draw(image)
        for _ in range(specks):
            x, y = rng.randrange(image.width), rng.randrange(image.height)
            pen.rectangle((x, y, x + 1, y + 1), fill=0)
        if border:
            pen.rectangle((0, 0, 12, image.height), fill=30)
    return prepare_page(image, DPI)


@pytest.mark.parametrize("drawn", [
    prose_page(1),
    prose_page(2, font="Helvetica", size=9, justified=False),
    prose_page(3, font="Courier", size=10, justified=False, page=letter),
    prose_page(4, size=11, numbered=True),
    prose_page(5, size=8, bullets=True, marks=True),
    prose_page(6, font="Helvetica", size=10, numbered=True, marks=True, page=letter),
], ids=["Times justified", "Helvetica ragged", "Courier on letter", "numbered headings", "bullets, header and "
        "signature", "Helvetica, numbered, header and signature"])
def test_a_page_of_running_text_is_told_from_its_image(drawn: tuple) -> None:
    assert running_text(_image(drawn), DPI)


def test_specks_and_a_scanners_edge_leave_running_text_running_text() -> None:
    """Dust over the page sets a speck apart from a line's words, and the dark edge of the scanner's lid inks every
    row: neither is a table's gap or a line."""
    assert running_text(_image(prose_page(7), specks=400, border=True), DPI)


@pytest.mark.parametrize("drawn", [
    statement(),
    statement(font="Times-Roman", size=10, rows=30, page=A4),
    statement(font="Courier", size=8, rows=40),
    statement(leaders=True),
    statement(leaders=True, font="Times-Roman", size=11, rows=18),
    statement(shaded=True, rows=14),
    statement(rows=3, prose_above=24),
    prose_page(8, columns=2),
], ids=["plain", "Times on A4", "Courier 8 pt", "dot leaders", "dot leaders, Times 11 pt", "on a shaded panel",
        "three rows under the directors' statements", "running text in two columns"])
def test_a_table_is_never_running_text(drawn: tuple) -> None:
    """A statement in any face and size, with its gaps filled by dot leaders or its rows shaded (nothing measured
    there: read), or the smallest one
    under a page of prose: read. So is running text set in two columns, which a table's gaps cannot be told from."""
    assert not running_text(_image(drawn), DPI)


def test_a_page_of_few_lines_is_always_read() -> None:
    """A cover names the company: a page with few lines is read whatever it holds."""

    def cover(c: canvas.Canvas) -> None:
        c.setFont("Helvetica-Bold", 20)
        for k, line in enumerate(("NORTHWIND TRADING LIMITED", "Annual report and", "financial statements",
                                  "for the year ended 31 December 2023", "Company number 01234567")):
            c.drawCentredString(300, 600 - 30 * k, line)

    assert not running_text(_image((cover, letter)), DPI)


def _statement_pages() -> list[tuple[str, int]]:
    """The pages the samples' manifest lists as holding statements, of its text-layer PDFs."""
    pages = []
    for row in (SAMPLES / "MANIFEST.tsv").read_text().splitlines()[1:]:
        cells = row.split("\t")
        if "scanned" in cells[0]:
            continue
        for start, end in re.findall(r"p(\d+)(?:-(\d+))?", cells[6]):
            pages += [(cells[0], n) for n in range(int(start), int(end or start) + 1)]
    return pages


@pytest.mark.skipif(not (SAMPLES / "MANIFEST.tsv").exists(), reason="the shared samples are not here")
def test_no_real_statement_page_is_running_text() -> None:
    """Every statement page of the real samples (10-Ks, 10-Qs, IFRS reports, a nonprofit's one page), drawn as the
    search for a scan's statements draws a page: none is passed over."""
    pages = _statement_pages()
    assert len(pages) > 30
    called = []
    for name, number in pages:
        doc = pdfium.PdfDocument(SAMPLES / "pdfs" / name)
        try:
            image = doc[number - 1].render(scale=DPI / 72, grayscale=True).to_pil()
        finally:
            doc.close()
        if running_text(prepare_page(image, DPI), DPI):
            called.append((name, number))
    assert not called


needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")
PROSE = ("The company is incorporated in Canada and its shares trade on the TSX. These financial statements were "
         "approved by the board in Canada. " + " ".join(WORDS) + " " + " ".join(reversed(WORDS)) + " "
         + " ".join(WORDS[::2]) + ". All amounts are rounded to the nearest thousand dollars unless stated.")


def _scan(pdf: bytes) -> bytes:
    return image_pdf(page_images(pdf, 200), 200)


@needs_tesseract
def test_the_search_for_statements_passes_over_a_page_of_running_text(two_statements: TwoStatements) -> None:
    pdf = pdfium.PdfDocument(_scan(two_statements(bs_unit=None, is_unit=None, prose=PROSE)))
    try:
        pages = ocr_pages(pdf, [0, 1, 2], dpi=DPI, mended=False, pass_running_text=True)
    finally:
        pdf.close()
    assert [page.running_text for page in pages] == [True, False, False]
    assert not pages[0].words and pages[1].words and pages[2].words


@needs_tesseract
def test_a_unit_only_the_prose_states_is_read_from_a_page_passed_over(two_statements: TwoStatements) -> None:
    """No statement prints its unit; the page of running text before them says thousands. That page was passed
    over while the statements were found, and is read once they need it."""
    doc = extract(_scan(two_statements(bs_unit=None, is_unit=None, prose=PROSE)))
    assert {st.type: st.scale for st in doc.statements} == {StatementType.BALANCE: 1000, StatementType.INCOME: 1000}
    assert any("in thousands, as the rest of the document states" in warning for warning in doc.warnings), doc.warnings


@needs_tesseract
def test_which_dollar_is_read_from_a_page_passed_over(two_statements: TwoStatements) -> None:
    """The statements print "$ thousands"; which dollar, the prose says (Canada, three times)."""
    doc = extract(_scan(two_statements(bs_unit="($ thousands)", is_unit="($ thousands)", prose=PROSE)))
    assert {st.currency for st in doc.statements} == {"CAD"}
    assert {st.scale for st in doc.statements} == {1000}
