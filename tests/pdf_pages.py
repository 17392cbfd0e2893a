"""Small PDFs drawn with reportlab, shared by the tests of every stage.

A plain module, imported by name (`from pdf_pages import render`): pytest puts tests/ on sys.path for
tests/conftest.py. Fixtures stay in the conftest files; functions the tests call while building their own pages live
here.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

import pypdfium2 as pdfium
from PIL import Image
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

Draw = Callable[[canvas.Canvas], None]
"""Draws (part of) one page."""


def render(*pages: Draw | Sequence[Draw], size: tuple[float, float] = letter) -> bytes:
    """A PDF of one page per argument, each drawn by its function (or functions, in order)."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=size, invariant=True)  # the same drawing, the same bytes
    for page in pages:
        for draw in page if isinstance(page, Sequence) else [page]:
            draw(c)
        c.showPage()
    c.save()
    return buf.getvalue()


def page_images(pdf: bytes, dpi: float) -> list[Image.Image]:
    """Each page of `pdf` drawn to a grey image at `dpi`, as a scanner would see it."""
    doc = pdfium.PdfDocument(pdf)
    try:
        return [doc[k].render(scale=dpi / 72, grayscale=True).to_pil() for k in range(len(doc))]
    finally:
        doc.close()


def image_pdf(images: Sequence[Image.Image], dpi: float) -> bytes:
    """An image-only PDF of one page per image at `dpi`: a scan, with no text layer."""
    buf = io.BytesIO()
    images[0].save(buf, format="PDF", save_all=True, append_images=list(images[1:]), resolution=float(dpi))
    return buf.getvalue()


def centred_lines(c: canvas.Canvas, lines: Sequence[str], y: float) -> float:
    """A statement's heading as filings centre it (company, title, unit caption): bold 11 pt lines 16 pt apart;
    returns the y under them."""
    c.setFont("Helvetica-Bold", 11)
    for line in lines:
        c.drawCentredString(306, y, line)
        y -= 16
    return y


def two_columns(c: canvas.Canvas, headings: Sequence[str], rows: Sequence[tuple[str, str, str]], y: float, *,
                columns: tuple[float, float], size: float) -> float:
    """A statement's body of two columns: their headings right-aligned at `columns`, then a row a line of its label at
    the margin (x 54) and its two figures, in Helvetica of `size` pt; returns the y under the last row."""
    c.setFont("Helvetica", size)
    for x, heading in zip(columns, headings, strict=True):
        c.drawRightString(x, y, heading)
    y -= 18
    for label, a, b in rows:
        c.drawString(54, y, label)
        c.drawRightString(columns[0], y, a)
        c.drawRightString(columns[1], y, b)
        y -= 14
    return y


def statement_page(company: str, title: str, rows: Sequence[tuple[str, int, int | None, int | None]]) -> Draw:
    """A statement page in thousands of U.S. dollars under "December 31, 2023 / 2022" headings: rows of (label,
    indent, this year, last year), totals in bold, negative figures in parentheses."""

    def draw(c: canvas.Canvas) -> None:
        y = centred_lines(c, (company, title, "(in thousands of U.S. dollars)"), 720.0)
        c.setFont("Helvetica-Bold", 9)
        c.drawRightString(430, y, "December 31, 2023")
        c.drawRightString(530, y, "December 31, 2022")
        y -= 18
        for label, indent, a, b in rows:
            c.setFont("Helvetica-Bold" if label.startswith("Total") else "Helvetica", 9)
            c.drawString(72 + 12 * indent, y, label)
            for x, v in ((430, a), (530, b)):
                if v is not None:
                    c.drawRightString(x, y, f"({-v:,})" if v < 0 else f"{v:,}")
            y -= 14

    return draw


def encrypted(text: str) -> bytes:
    """A one-page PDF (`text` on it) locked with the user password "secret": nothing reads it without."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt="secret")
    c.drawString(72, 720, text)
    c.showPage()
    c.save()
    return buf.getvalue()
