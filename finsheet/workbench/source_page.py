"""The source page beside the Review table: a PDF page rendered at the resolution the view needs, cut to the part
worth showing, with the selected line and the selected value outlined. No streamlit here.

    shown = view_region(statement, page, line_box, zoom="line")            # what part of the page to show
    scale = render_scale(shown)                                            # pixels per point for that part
    image = render_page(pdf, page, scale=scale)                            # the page once per (page, scale)
    picture = highlight(image, scale, crop=shown, line=line_box, value=cell.box)

Rendering is the slow step (a filing page at 3× takes ~0.1 s); cropping and outlining a rendered page are cheap, so
a page keeps the raster it was rendered into and a click on another value only cuts and outlines again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pypdfium2 as pdfium
from PIL import Image, ImageDraw

from finsheet.errors import PdfError
from finsheet.extraction import render
from finsheet.extraction.ocr import tesseract_path
from finsheet.extraction.ocr_skew import straighten
from finsheet.extraction.ocr_turn import scan_turn
from finsheet.extraction.pdf import open_pdf, text_turn
from finsheet.model import Box, Statement

Zoom = Literal["line", "statement", "page"]
ZOOMS: dict[Zoom, str] = {"line": "Around the line", "statement": "The statement", "page": "Whole page"}
TARGET_WIDTH = 1800
"""Pixels across the shown part of the page: a main column is ~850 CSS px wide at 1280 px, ×2 on a HiDPI screen."""
MAX_SCALE = 4.0
LINE_COLOUR = (255, 196, 0)  # amber: the line
VALUE_COLOUR = (220, 40, 40)  # red: the value itself
BAND = 70.0
"""Points shown above and below the selected line in the "line" zoom (about five printed lines each way)."""


@dataclass(frozen=True, slots=True)
class ValueBox:
    """Where one value of a line is printed. `exact`: the extraction recorded the value's own box; otherwise `box`
    is the line's height across the column the statement's other values of that period occupy (None when no
    value of the period has a box: then only the line can be shown)."""

    page: int
    line: Box
    box: Box | None
    exact: bool


def item_box(statement: Statement, row: int) -> tuple[int, Box] | None:
    """(page, box) of the statement's `row`-th line item, or None when out of range."""
    if not 0 <= row < len(statement.items):
        return None
    item = statement.items[row]
    return item.page, item.box


def value_box(statement: Statement, row: int, key: str) -> ValueBox | None:
    """Where the value of line `row` for period `key` is printed; None when the row is out of range."""
    if not 0 <= row < len(statement.items):
        return None
    item = statement.items[row]
    if key in item.boxes and any(item.boxes[key]):
        return ValueBox(item.page, item.box, item.boxes[key], True)
    column = [i.boxes[key] for i in statement.items if i.page == item.page and key in i.boxes]
    if not column or not any(item.box):
        return ValueBox(item.page, item.box, None, False)
    x0 = min(b[0] for b in column)
    x1 = max(b[2] for b in column)
    return ValueBox(item.page, item.box, (x0, item.box[1], x1, item.box[3]), False)


def statement_region(statement: Statement, page: int, *, margin: float = 36.0) -> Box | None:
    """The part of `page` the statement's lines and values cover, with room above for its title and column
    headings (a filing page is mostly margin). None when no line of the statement is on that page."""
    boxes = [i.box for i in statement.items if i.page == page and any(i.box)]
    boxes += [b for i in statement.items if i.page == page for b in i.boxes.values() if any(b)]
    if not boxes:
        return None
    return (min(b[0] for b in boxes) - margin, min(b[1] for b in boxes) - 3 * margin,
            max(b[2] for b in boxes) + margin, max(b[3] for b in boxes) + margin)


def view_region(statement: Statement, page: int, line: Box | None, *, zoom: Zoom, size: tuple[float, float]) -> Box:
    """The part of the page to show (PDF points): a band around the selected line across the statement's width,
    the statement's region, or the whole page (`size`: the page's width and height in points)."""
    whole: Box = (0.0, 0.0, size[0], size[1])
    region = statement_region(statement, page) or whole
    if zoom == "page":
        return whole
    if zoom == "statement" or line is None or not any(line):
        return region
    middle = (line[1] + line[3]) / 2
    top = max(0.0, middle - BAND)
    return (region[0], top, region[2], min(size[1], top + 2 * BAND))


def render_scale(region: Box, *, target: int = TARGET_WIDTH) -> float:
    """Pixels per point that draw `region` `target` pixels wide (at most MAX_SCALE: beyond it only memory grows)."""
    width = max(1.0, region[2] - region[0])
    return round(min(MAX_SCALE, max(1.0, target / width)), 2)


def page_size(pdf: Path | bytes, page: int) -> tuple[float, float]:
    """(width, height) of page `page` (1-based) in points; PdfError when it cannot be read."""
    with open_pdf(pdf, "the source PDF") as doc:
        if not 1 <= page <= len(doc):
            raise PdfError(f"the source PDF has no page {page}")
        width, height = doc[page - 1].get_size()
        if _turn(doc, page - 1, scanned=_scanned(doc, page - 1)) % 180:
            width, height = height, width  # a table set sideways: its words are placed on the page turned upright
    return float(width), float(height)


def render_page(pdf: Path | bytes, page: int, *, scale: float) -> Image.Image:
    """Page `page` (1-based) as an RGB image at `scale` × 72 dpi; PdfError when the file or page cannot be read,
    PageTooLarge (a PdfError) when it cannot be drawn within the memory limits: the pipeline's own rendering, so a
    decompression bomb is refused here too instead of being decoded in the app's process."""
    with open_pdf(pdf, "the source PDF") as doc:  # holds the PDFium lock: pages render from Streamlit's threads
        if not 1 <= page <= len(doc):
            raise PdfError(f"the source PDF has no page {page}")
        image = render.render_page(doc, page - 1, dpi=scale * 72)
        scanned = _scanned(doc, page - 1)
        if turn := _turn(doc, page - 1, scanned=scanned, image=image):
            # a table set sideways is read turned upright (`read_page`, the OCR): shown so, its words' boxes are on it
            image = image.rotate(-turn, expand=True)
        if scanned:
            # OCR read the page straightened (`ocr_skew`): the words' boxes are where they stand on it
            image, _ = straighten(image)
        return image.convert("RGB")


def _turn(doc: pdfium.PdfDocument, index: int, *, scanned: bool, image: Image.Image | None = None) -> int:
    """Degrees clockwise that the page as rendered (`image`, if the caller has it) was turned to be read: its text
    layer's (`text_turn`), or for a scan the OCR's (`scan_turn`)."""
    return scan_turn(doc, index, tesseract_path(), image=image) if scanned else text_turn(doc, index)


def _scanned(doc: pdfium.PdfDocument, index: int) -> bool:
    """A page with no text layer: a scan, read by OCR."""
    textpage = doc[index].get_textpage()
    try:
        return textpage.count_chars() == 0
    finally:
        textpage.close()


def highlight(
    image: Image.Image, scale: float, *, crop: Box | None = None, line: Box | None = None, value: Box | None = None
) -> Image.Image:
    """A copy of a rendered page cut to `crop` with `line` tinted amber and `value` outlined red (all in points)."""
    if crop is not None:
        x0, top, x1, bottom = (v * scale for v in crop)
        left, upper = max(0, round(x0)), max(0, round(top))
        image = image.crop((left, upper, min(image.width, round(x1)), min(image.height, round(bottom))))
    else:
        left = upper = 0
    marks = [(b, c) for b, c in ((line, LINE_COLOUR), (value, VALUE_COLOUR)) if b is not None and any(b)]
    if not marks:
        return image.copy()
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    pad = 2 * scale
    for box, colour in marks:
        x0, top, x1, bottom = (box[0] * scale - left, box[1] * scale - upper, box[2] * scale - left,
                               box[3] * scale - upper)
        fill = (*colour, 60 if colour == LINE_COLOUR else 0)
        draw.rectangle((x0 - pad, top - pad, x1 + pad, bottom + pad), fill=fill, outline=(*colour, 255),
                       width=max(2, round(scale * (1.6 if colour == VALUE_COLOUR else 0.8))))
    return Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")


def page_image(
    pdf: Path | bytes, page: int, *, box: Box | None = None, crop: Box | None = None, scale: float = 1.5
) -> Image.Image:
    """Page `page` rendered at `scale` with `box` (a line) tinted, cut to `crop`: render_page + highlight."""
    return highlight(render_page(pdf, page, scale=scale), scale, crop=crop, line=box)
