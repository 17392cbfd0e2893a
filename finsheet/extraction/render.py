"""Rendering within memory limits.

A page is rendered as width × height × (dpi / 72)² pixels, and every image on it is decoded at its own pixel
size first: a 1.5 MB PDF holding one flate-compressed 40000 × 40000 image took 1.8 GB, a 20000 × 20000 pt page
rendered at 150 dpi 3.4 GB. So before anything is rendered: an image over settings.max_image_megapixels refuses
the page (it cannot be drawn without decoding it), a page whose render would pass settings.max_render_megapixels
is drawn at a lower resolution, and a page that even at 1 pixel per point would pass that limit is refused.
"""

from __future__ import annotations

import ctypes
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from finsheet.errors import PdfError
from finsheet.settings import Settings, load_settings

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage


class PageTooLarge(PdfError):
    """A page cannot be rendered within the memory limits (a giant page, or a decompression bomb on it)."""


OcrProgress = Callable[[int, int], None]
"""(pages done, pages in all) — called as tesseract finishes each page."""

_ocr_listener: ContextVar[OcrProgress | None] = ContextVar("finsheet_ocr_listener", default=None)


@contextmanager
def ocr_progress(listener: OcrProgress) -> Iterator[None]:
    """Within the block, every `ocr_pages` call reports its pages to `listener` as they are done (the job
    queue's worker relays them, so an OCR job moves page by page instead of sitting at one figure)."""
    token = _ocr_listener.set(listener)
    try:
        yield
    finally:
        _ocr_listener.reset(token)


def render_limits(settings: Settings | None = None) -> tuple[int, int]:
    """(max pixels of a rendered page, max pixels of one image on it) from the settings."""
    settings = settings or load_settings()
    return int(settings.max_render_megapixels * 1e6), int(settings.max_image_megapixels * 1e6)


def largest_image(page: pdfium.PdfPage) -> tuple[int, int]:
    """The pixel size (width, height) of the largest image the page draws, read without decoding it."""
    best = (0, 0)
    for obj in page.get_objects(max_depth=4):
        if obj.type != pdfium_c.FPDF_PAGEOBJ_IMAGE:
            continue
        width, height = ctypes.c_uint(), ctypes.c_uint()
        if pdfium_c.FPDFImageObj_GetImagePixelSize(obj.raw, ctypes.byref(width), ctypes.byref(height)):
            if width.value * height.value > best[0] * best[1]:
                best = (width.value, height.value)
    return best


def render_scale(page: pdfium.PdfPage, number: int, *, dpi: float, max_pixels: int, max_image_pixels: int) -> float:
    """The scale (pixels per point) to render a page at: `dpi` / 72, lowered so the bitmap holds at most
    `max_pixels`. Raises PageTooLarge, with a one-line reason, for a page that cannot be drawn within the limits."""
    width, height = page.get_size()
    image_w, image_h = largest_image(page)
    if image_w * image_h > max_image_pixels:
        raise PageTooLarge(
            f"page {number} holds a {image_w:,} × {image_h:,} pixel image ({image_w * image_h / 1e6:,.0f} "
            f"megapixels, over the {max_image_pixels / 1e6:,.0f} limit, FINSHEET_MAX_IMAGE_MEGAPIXELS): not rendered"
        )
    area = max(width, 1.0) * max(height, 1.0)
    if area > max_pixels:
        raise PageTooLarge(
            f"page {number} is {width:,.0f} × {height:,.0f} pt ({width / 72:,.0f} × {height / 72:,.0f} in): even at "
            f"72 dpi it would take {area / 1e6:,.0f} megapixels, over the {max_pixels / 1e6:,.0f} limit "
            "(FINSHEET_MAX_RENDER_MEGAPIXELS): not rendered"
        )
    scale = dpi / 72
    if area * scale * scale > max_pixels:
        scale = math.sqrt(max_pixels / area)
    return scale


def render_page(
    doc: pdfium.PdfDocument, index: int, *, dpi: float, grayscale: bool = False, settings: Settings | None = None
) -> PILImage:
    """One page (0-based) as a PIL image at `dpi`, or less where the limits demand it (see `render_scale`);
    PageTooLarge for a page that cannot be rendered within them. Every page rendering should come through here."""
    max_pixels, max_image_pixels = render_limits(settings)
    page = doc[index]
    try:
        scale = render_scale(page, index + 1, dpi=dpi, max_pixels=max_pixels, max_image_pixels=max_image_pixels)
        return page.render(scale=scale, grayscale=grayscale).to_pil()
    finally:
        page.close()


def ocr_listener() -> OcrProgress | None:
    """The listener `ocr_progress` set for this context, if any."""
    return _ocr_listener.get()
