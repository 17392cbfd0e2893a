"""Scans laid out sideways or fed upside down, turned upright before OCR.

A table too wide for the page is printed across it, and the scanner stores that page as it lies: its lines of text run
up or down the image, and tesseract reads them as specks. Printed lines pile a page's ink into sharp rows; a page whose
ink piles into columns about as sharply may be laid out sideways. A sheet fed into the scanner the wrong way round
comes out upside down (two of the eight scanned filings of the samples and corpus hold such a page): print sits on
its baseline, its letters' bodies dense there and only ascenders and capitals rising above, so a page whose lines
carry more ink at their tops than at their bottoms may be upside down. Tesseract's orientation check (its `osd`
model) then says whether, and which way to turn it. That check costs one to two seconds a page, so only such a page
is asked.

Tesseract is asked on one rendering of the page, the same whoever asks (the OCR, or the Review showing the page), and
each measure is taken on a copy of one size whatever resolution the page was drawn at, so the words' places and the
page shown agree.
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

MEASURE_DPI = 150
"""The resolution a page is drawn at to measure it when the caller has not drawn it: its rows and columns are
measured on a copy about 1000 pixels long, its lines' tops and bottoms on one about 1650 (150 dpi on a letter page,
where a line of 8-point print is a dozen rows tall)."""

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

UPSIDE_DOWN = 1.0
"""A page whose lines carry more ink in their top 30 % than in their bottom 30 % (this ratio) is asked whether it is
upside down. On the 211 pages of the eight real scans, upright print measures 0.3 to 0.98 (the dense bodies of the
letters sit at the bottom of each line), three covers of large display type 1.07 to 1.11, and the two pages scanned
upside down 1.89 and 2.16; turned upside down, every page of print measures 1.04 or more, the three covers 0.90 to
0.93 (missed: they hold no statement). Generated statement pages scanned 1.5 degrees askew: upright up to 0.97,
upside down from 1.02."""

LINE_BAND = 0.3
"""The share of a line's height at its top and at its bottom that `upside_down` weighs against each other."""

MIN_CONFIDENCE = 2.0
"""The least confidence of tesseract's orientation check (its own scale: upright print reads 5 to 15) for which a
page is turned."""

_WORK_PIXELS = 1000
"""The long side of the copy the rows and columns are measured on."""

_LINE_PIXELS = 1650
"""The long side of the copy lines' tops and bottoms are measured on (150 dpi on a letter page)."""

_LINE_ROWS = (8, 60)
"""The heights, in rows of that copy, of a line of print: 4 to 29 points; shorter runs are specks and rules, taller
ones pictures and blocks."""

_LINE_STRIPS = 16
"""Strips lines are found in: a line's top and bottom rows must stay its own across a strip of a page scanned askew
(1.5 degrees drifts a line a third of its height across a sixteenth of the page)."""

_LINE_FILL = 0.02
"""The share of a strip's width a row must ink to be part of a line."""

_ROTATE = re.compile(r"^Rotate:\s*(\d+)\s*$", re.M)
_CONFIDENCE = re.compile(r"^Orientation confidence:\s*([\d.]+)\s*$", re.M)


def _print(image: Image.Image, pixels: int = _WORK_PIXELS) -> np.ndarray | None:
    """The page's ink on a copy about `pixels` long (the same whatever resolution the page was drawn at), its solid
    blocks left out; None for a blank page or a few specks."""
    grey = image.convert("L")
    factor = max(1, round(max(grey.size) / pixels))
    small = np.asarray(grey.reduce(factor) if factor > 1 else grey)
    ink = small < threshold(small)
    ink = ink[ink.mean(axis=1) < SOLID][:, ink.mean(axis=0) < SOLID]
    return ink.astype(np.float64) if ink.sum() >= 500 else None


def sideways(image: Image.Image) -> bool:
    """Whether a page's ink piles into rows no more sharply than into columns (SIDEWAYS): print that may run up or
    down it."""
    ink = _print(image)
    return ink is not None and _sharpness(ink) < SIDEWAYS * _sharpness(ink.T)


def upside_down(image: Image.Image) -> bool:
    """Whether a page's lines of print carry more ink at their tops than at their bottoms (UPSIDE_DOWN): print that
    may stand on its head. Lines are found in strips side by side, as runs of rows holding ink, so that a page
    scanned askew still shows them."""
    ink = _print(image, _LINE_PIXELS)
    if ink is None:
        return False
    tops = bottoms = 0.0
    for strip in np.array_split(ink, _LINE_STRIPS, axis=1):
        rows = strip.sum(axis=1)
        # a line's rows are those its letters' bodies and capitals fill: a descender's or a speck's few pixels
        # below it are no part of it
        filled = rows > max(2.0, _LINE_FILL * strip.shape[1])
        edges = np.flatnonzero(np.diff(np.concatenate(([0], filled.astype(np.int8), [0]))))
        for start, end in zip(edges[::2], edges[1::2], strict=True):
            height = end - start
            if _LINE_ROWS[0] <= height <= _LINE_ROWS[1]:
                band = max(1, round(LINE_BAND * height))
                tops += float(rows[start:start + band].sum())
                bottoms += float(rows[end - band:end].sum())
    return tops > UPSIDE_DOWN * max(bottoms, 1.0)


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
    90 or 270 for a page laid out sideways, 180 for one upside down, else 0 (and 0 without tesseract to ask).
    `image`: the page as the caller rendered it (at MEASURE_DPI or finer), to measure without drawing it again
    (decoding a scan costs more than measuring it)."""
    if exe is None:
        return 0
    measured = image if image is not None else render_page(doc, index, dpi=MEASURE_DPI, grayscale=True)
    # the turns a page may need, by what it looks like: a quarter either way, or a half
    turns = ({90, 270} if sideways(measured) else set()) | ({180} if upside_down(measured) else set())
    if not turns:
        return 0
    image = render_page(doc, index, dpi=TURN_DPI, grayscale=True)
    # the pipeline reads a scan's pages more than once (to find its statements, then to read them): the page's
    # answer is kept by what it shows, so tesseract is asked once
    key = hashlib.blake2b(image.tobytes(), digest_size=16).digest()
    if key not in _ANSWERS:
        if len(_ANSWERS) >= _KEPT:
            _ANSWERS.clear()
        _ANSWERS[key] = _orientation(exe, image, timeout)
    return _ANSWERS[key] if _ANSWERS[key] in turns else 0


_ANSWERS: dict[bytes, int] = {}
_KEPT = 256


def _orientation(exe: str, image: Image.Image, timeout: float) -> int:
    """Tesseract's orientation check of a page: the clockwise turn that makes it read upright (90, 180 or 270), only
    when it is confident (MIN_CONFIDENCE); 0 otherwise (too little print to tell, or a failure)."""
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
    return int(rotate.group(1)) % 360
