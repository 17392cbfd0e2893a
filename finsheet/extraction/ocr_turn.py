"""Scans laid out sideways, turned upright before OCR.

A table too wide for the page is printed across it, and the scanner stores that page as it lies: its lines of text run
up or down the image, and tesseract reads them as specks. Printed lines pile a page's ink into sharp rows; a page whose
ink piles into columns about as sharply may be laid out sideways. Tesseract's orientation check (its `osd` model) then
says whether, and which way to turn it. That check costs one to two seconds a page, so only such a page is asked.

Tesseract is asked on one rendering of the page, the same whoever asks (the OCR, or the Review showing the page), so
the words' places and the page shown agree. A page scanned upside down piles its ink into rows like any other and is
not caught here.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image

from finsheet.extraction.ocr import tesseract_env
from finsheet.extraction.ocr_image import threshold
from finsheet.extraction.render import render_page

TURN_DPI = 300
"""The resolution tesseract's orientation check reads the page at: at 150 or 200 dpi it misjudges small print (7.5 to
8 points) a page in three, at 300 it reads the same pages right and sure."""

MEASURE_DPI = 100
"""The resolution a page is drawn at to measure its rows and columns when the caller has not drawn it (they are
measured on a copy about 1000 pixels long)."""

SIDEWAYS = 1.2
"""A page whose ink piles into rows less than this many times as sharply as into columns is asked which way it reads:
upright print piles into rows 1.4 to 9 times as sharply, a table ruled as a grid (its column rules) from about 1.0;
print turned a quarter 0.3 to 1.0 times (a statement's columns of figures turned into rows), scanned plain or worn.
Tesseract's check keeps an upright page that falls below it upright."""

STRIPS = 8
"""Strips the rows are measured in: on a page scanned up to 3 degrees askew a row drifts by several times its height
across the page, which blurs the rows of the whole page but not of an eighth of it (so a sideways page askew measures
as one straight)."""

SOLID = 0.3
"""A row or column of the page that is this much ink is a solid block (a coloured tab down the margin, a shaded
band), not print: it is left out of the measure."""

MIN_CONFIDENCE = 2.0
"""The least confidence of tesseract's orientation check (its own scale: upright print reads 5 to 15) for which a
page is turned."""

_WORK_PIXELS = 1000
"""The long side of the copy the rows and columns are measured on."""

_ROTATE = re.compile(r"^Rotate:\s*(\d+)\s*$", re.M)
_CONFIDENCE = re.compile(r"^Orientation confidence:\s*([\d.]+)\s*$", re.M)


def sideways(image: Image.Image) -> bool:
    """Whether a page's ink piles into rows no more sharply than into columns (SIDEWAYS): print that may run up or
    down it."""
    grey = image.convert("L")
    factor = max(1, round(max(grey.size) / _WORK_PIXELS))
    small = np.asarray(grey.reduce(factor) if factor > 1 else grey)
    ink = small < threshold(small)
    ink = ink[ink.mean(axis=1) < SOLID][:, ink.mean(axis=0) < SOLID]
    if ink.sum() < 500:
        return False  # a blank page, or a few specks
    ink = ink.astype(np.float64)
    return _sharpness(ink) < SIDEWAYS * _sharpness(ink.T)


def _sharpness(ink: np.ndarray) -> float:
    """How sharply a page's ink piles into rows, measured in STRIPS strips side by side: each strip's row counts'
    sum of squares, against the same ink spread evenly down the page."""
    squares = evenly = 0.0
    for strip in np.array_split(ink, STRIPS, axis=1):
        rows = strip.sum(axis=1)
        squares += float(rows @ rows)
        evenly += float(rows.sum()) ** 2 / len(rows)
    return squares / max(evenly, 1.0)


def scan_turn(doc: pdfium.PdfDocument, index: int, exe: str | None, *, image: Image.Image | None = None,
              timeout: float = 60.0) -> int:
    """Degrees to turn page `index` (0-based), as PDFium renders it, clockwise so that its print reads upright:
    90 or 270 for a page laid out sideways, else 0 (and 0 without tesseract to ask). `image`: the page as the
    caller rendered it, to measure without drawing it again (decoding a scan costs more than measuring it)."""
    if exe is None:
        return 0
    if not sideways(image if image is not None else render_page(doc, index, dpi=MEASURE_DPI, grayscale=True)):
        return 0
    image = render_page(doc, index, dpi=TURN_DPI, grayscale=True)
    # the pipeline reads a scan's pages more than once (to find its statements, then to read them): the page's
    # answer is kept by what it shows, so tesseract is asked once
    key = hashlib.blake2b(image.tobytes(), digest_size=16).digest()
    if key not in _ANSWERS:
        if len(_ANSWERS) >= _KEPT:
            _ANSWERS.clear()
        _ANSWERS[key] = _orientation(exe, image, timeout)
    return _ANSWERS[key]


_ANSWERS: dict[bytes, int] = {}
_KEPT = 256


def _orientation(exe: str, image: Image.Image, timeout: float) -> int:
    """Tesseract's orientation check of a page: the clockwise turn that makes it read upright, a quarter either way
    only, and only when it is confident (MIN_CONFIDENCE); 0 otherwise (too little print to tell, or a failure)."""
    with tempfile.TemporaryDirectory(prefix="finsheet-turn-") as tmp:
        path = Path(tmp) / "page.png"
        image.save(path, dpi=(TURN_DPI, TURN_DPI), compress_level=1)
        try:
            done = subprocess.run([exe, str(path), "stdout", "--psm", "0"], capture_output=True, env=tesseract_env(),
                                  timeout=timeout, check=False)
        except (OSError, subprocess.TimeoutExpired):
            return 0
    out = done.stdout.decode("utf-8", errors="replace")
    rotate, confidence = _ROTATE.search(out), _CONFIDENCE.search(out)
    if done.returncode != 0 or rotate is None or confidence is None or float(confidence.group(1)) < MIN_CONFIDENCE:
        return 0
    turn = int(rotate.group(1)) % 360
    return turn if turn in (90, 270) else 0
