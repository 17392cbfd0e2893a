"""Scans straightened before OCR.

A page fed through a scanner lies a little askew. A statement's row runs the width of the page, so at 1° its figures
stand half a line higher or lower than its label: tesseract reads the row in pieces and the rows are put together
wrong (a 10-K's statements rasterised at 1–2° read 30–60 % of their figures wrong, many with full confidence).
Printed text lies in straight rows, so the angle at which the page's ink falls into the sharpest rows is its skew;
the page is turned back by it before OCR. The words' places are the straightened page's: rows are found by their
height on the page, so they must be level; the Review shows a scanned page straightened the same way.
"""

from __future__ import annotations

import math

import numpy as np
from PIL import Image

from finsheet.extraction.ocr_image import threshold

MAX_SKEW_DEGREES = 3.0
"""The largest skew looked for: a page fed askew by hand; a page turned further is laid out sideways, not skewed."""

MIN_SKEW_DEGREES = 0.25
"""The least skew corrected: below it a row drifts by less than a tenth of its height across a column's width, and
tesseract and the row grouping read it as printed (a straight scan measures within ±0.1°)."""

MIN_SHARPER = 1.05
"""How much sharper the rows must fall at the skew found than at none: a page of a few words or of pictures has no
rows to measure, and is left as it is."""

_WORK_PIXELS = 2000
"""The long side of the copy the angle is measured on (a page drawn at 300 dpi is measured halved, at 150). A third
of it, a worn scan's small type (letters five pixels tall, blurred) no longer piles into rows sharply enough to tell
0.4 degrees from none."""

EDGE = 0.04
"""The share of the page's width and height along each edge left out of the measure: a sheet's edge or a scanner's
border along the top or foot stays within it at up to 3 degrees (5 % of the width, 4 % of a portrait page's height),
and a statement prints inside its margins."""

ALIAS = 0.95
"""How nearly the sharpest angle on the other side of straight may match the sharpest one before the angle is left
undecided. A statement's labels and its figures stand far apart: turned the wrong way, a label's row can line up
with the figures of the row above or below it nearly as well as with its own, and a page straightened the wrong way
sits twice as far askew, its figures read against the wrong labels."""


def skew_angle(image: Image.Image) -> float:
    """The page's skew in degrees, counter-clockwise as drawn; 0.0 where there is none to correct."""
    grey = image.convert("L")
    factor = max(1, round(max(grey.size) / _WORK_PIXELS))
    small = np.asarray(grey.reduce(factor) if factor > 1 else grey)
    height, width = small.shape
    ys, xs = np.nonzero(small < threshold(small))
    # the sheet's own edges and the scanner's dark border lie along the image's edges, at the bed's angle rather than
    # the print's: only the ink inside a margin is measured (a statement's text stands well inside it)
    inside = (ys >= EDGE * height) & (ys < (1 - EDGE) * height) & (xs >= EDGE * width) & (xs < (1 - EDGE) * width)
    ys, xs = ys[inside], xs[inside]
    if len(ys) < 500:
        return 0.0  # a blank page, or a few specks
    xs = xs - small.shape[1] / 2

    def sharpness(degrees: float) -> float:
        """How sharply the ink's rows begin and end when each pixel is moved along a line of that slope: the sum of
        the squared steps between neighbouring row counts is largest where the rows of text are straight. Steps,
        not the counts themselves: a statement's labels and figures stand far apart, and a few degrees' tenths
        blur a row's edges well before they move its mass (a sparse worn page measured 4 % sharper by its counts
        at its true 0.63 degrees, too little to tell from a page of prose at none)."""
        rows = np.round(ys + xs * math.tan(math.radians(degrees))).astype(np.int64)
        steps = np.diff(np.bincount(rows - rows.min()).astype(np.float64))
        return float(steps @ steps)

    coarse = np.arange(-MAX_SKEW_DEGREES, MAX_SKEW_DEGREES + 1e-9, 0.2)
    coarse_scores = [sharpness(a) for a in coarse]
    best = float(coarse[int(np.argmax(coarse_scores))])
    fine = np.arange(best - 0.2, best + 0.2 + 1e-9, 0.05)
    scores = [sharpness(a) for a in fine]
    angle = float(fine[int(np.argmax(scores))])
    if abs(angle) < MIN_SKEW_DEGREES or max(scores) < MIN_SHARPER * sharpness(0.0):
        return 0.0
    other_side = [s for a, s in zip(coarse, coarse_scores, strict=True) if a * angle < 0 and abs(a) >= MIN_SKEW_DEGREES]
    if other_side and max(other_side) >= ALIAS * max(scores):
        return 0.0  # turned either way the rows line up about as well: which way the page lies is not decided
    return round(angle, 2)


def straighten(image: Image.Image) -> tuple[Image.Image, float]:
    """The page turned back by its skew, the same size (the corners it turns in are paper), and the angle."""
    angle = skew_angle(image)
    if not angle:
        return image, 0.0
    return image.rotate(-angle, resample=Image.Resampling.BILINEAR, fillcolor=255), angle
