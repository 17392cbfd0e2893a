"""Minus signs that tesseract dropped from a figure, found on the page image.

A negative figure printed with a minus ("-684.8", "−2,573.8") loses its sign when tesseract takes the short stroke
for noise or folds it into the first digit: a blurred or coarse scan makes a hyphen a few pixels long, run into the
digit beside it. The figure then comes out positive, and nothing in its reading says so. On the page the sign is
plain: a short, thin, level stroke at the middle height of the digits, set against the figure's first digit (closer
than a word space), with paper to its left. Such a stroke before a figure read without a sign is its minus. A
misread minus ("~40,760") is checked the same way and read as one where the stroke is there.
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np

from finsheet.extraction.ocr_dashes import word_space
from finsheet.model import Word

MINUS_MIN_LENGTH = 0.25
"""The shortest minus, a share of the digits' height: a hyphen's ink is a quarter of an em, the digits about 0.7 em
tall (0.35); a digit's own level stroke at its left edge (the foot of a "4" where its slant meets its bar) is under
a tenth before the slant makes it tall."""

MINUS_MAX_LENGTH = 1.1
"""The longest: a minus sign (U+2212) or en dash is half an em, 0.7 of the digits' height, and a scan's blur adds a
little. An em dash, as long as two digits, is a nil or a break in text, not a sign."""

MINUS_MAX_THICK = 0.35
"""The thickest, a share of the digits' height: a hyphen's stroke is a tenth of an em (0.14 of the digits), a
coarse, blurred scan doubles it. A digit's side is as tall as the digit."""

MINUS_MIDDLE = (0.4, 0.8)
"""Where a minus's middle stands between the top of the figure's ink and its foot: a hyphen sits a quarter of an em
above the baseline, about 0.65 of the way down the digits (0.55 down a figure whose comma hangs below them). A rule
under the row stands at or below the digits' foot, the flag of a "1" or the bar of a "7" at their top."""

MINUS_MIN_ASPECT = 1.25
"""How many times longer than thick a minus is at least: a hyphen's ink is three times as long as thick, a worn
scanner's blur (150 dpi, read at 300) makes it 8 pixels by 6 where it runs into the next digit; a speck or a full
stop is round, and a full stop stands on the baseline besides."""

MINUS_MAX_GAP = 0.6
"""The most paper between a minus and the first digit, a share of the line's word space: a minus is set against its
figure, within the two side bearings (a tenth of an em in a proportional face, 0.2 em in a typewriter's, where
the word space is 0.6 em). A dash a word space before a figure is a word of its own (a break in text, a nil in the
column before), whatever its face: Times's en dash has no side bearings, and a space after it leaves a third of the
digits' height of paper, as much as a typewriter's minus does."""

MINUS_TIP = 3
"""How many columns a minus's tip may take to reach its full thickness: a heavy blur tapers it over two or three
pixels at 300 dpi. Past its tip a column thicker than the stroke by more than a pixel is the digit's side."""

LEVEL_BODY = 1
"""How many pixels the top and bottom edges of a minus's middle half may wander: it is level there whatever the
blur; the slant of a "4" rises a pixel or more each column."""

RULE_FILL = 0.9
"""A row of pixels inked across this share of a figure's box is a rule's: the digits' own rows have paper between
them."""

MINUS_CONF = 0.9
"""The confidence of a figure whose minus was found on the image: the stroke is certain and can only be a sign in
that place, but it was not read; not above tesseract's own reading of the digits."""

_UNSIGNED_FIGURE = re.compile(r"^~?[$£€]?\d[\d,]*(?:\.\d+)?$")
"""A figure read without a sign: bare digits, perhaps after a currency sign; "~" is tesseract's reading of a minus
it saw but did not make out."""


def mend_dropped_minus(words: list[Word], ink: np.ndarray, points_per_pixel: float) -> list[Word]:
    """The page's OCR words with the minus tesseract dropped from a figure put back (see the module's note). `ink`
    is the page as tesseract read it, True where there is ink."""
    out = list(words)
    for i, word in enumerate(words):
        if not _UNSIGNED_FIGURE.match(word.text):
            continue
        middle = (word.top + word.bottom) / 2
        line = sorted((w for w in words if w.top <= middle <= w.bottom), key=lambda w: w.x0)
        box = (round(word.x0 / points_per_pixel), round(word.top / points_per_pixel),
               round(word.x1 / points_per_pixel) + 1, round(word.bottom / points_per_pixel) + 1)
        stroke = _minus_before(ink, *box, space=word_space(line) / points_per_pixel)
        if stroke is None:
            continue
        left = stroke * points_per_pixel
        if any(j != i and other.x0 <= left <= other.x1 and other.top < word.bottom and word.top < other.bottom
               for j, other in enumerate(words)):
            continue  # tesseract read the stroke as a word of its own: the rows place it
        out[i] = replace(word, text="-" + word.text.removeprefix("~"), x0=min(word.x0, left),
                         conf=min(word.conf, MINUS_CONF))
    return out


def _run_across(inked: np.ndarray, middle: int) -> tuple[int, int]:
    """The first and last-plus-one index of the run of True in `inked` that holds `middle`, or of the longest run
    where none does ((0, 0) where there is none)."""
    edges = np.flatnonzero(np.diff(np.pad(inked, 1).view(np.int8)))
    if not edges.size:
        return 0, 0
    starts, ends = edges[0::2], edges[1::2]
    across = np.flatnonzero((starts <= middle) & (middle < ends))
    run = int(across[0]) if across.size else int(np.argmax(ends - starts))
    return int(starts[run]), int(ends[run])


def _level_stroke(band: np.ndarray, start: int, thickest: float) -> tuple[int, list[int], list[int]]:
    """The level stroke starting at column `start` of `band`: where it ends (exclusive), and each of its columns'
    top and bottom ink rows. Each column is inked in one run of rows no taller than `thickest`, touching the run
    before; past the stroke's tip (`MINUS_TIP`), a column thicker than the stroke by more than a pixel is the side
    of the digit it runs into."""
    tops: list[int] = []
    bottoms: list[int] = []
    thick = 0
    end = start
    while end < band.shape[1]:
        rows = np.flatnonzero(band[:, end])
        if not rows.size:
            break
        first, last = int(rows[0]), int(rows[-1])
        if last - first + 1 != rows.size or rows.size > thickest:
            break
        if tops and (first > bottoms[-1] + 1 or last < tops[-1] - 1):
            break
        if len(tops) >= MINUS_TIP and rows.size > thick + 1:
            break
        thick = max(thick, int(rows.size))
        tops.append(first)
        bottoms.append(last)
        end += 1
    return end, tops, bottoms


def _minus_before(ink: np.ndarray, x0: int, top: int, x1: int, bottom: int, *, space: float) -> int | None:
    """The left edge (a pixel column) of the minus before the figure whose box is `x0, top, x1, bottom` (pixels,
    right and bottom exclusive) on a line whose word space is `space` pixels, or None when there is none."""
    # the figure's height is its ink's: the run of inked rows across its box's middle, looked for as far again
    # beyond it, as tesseract's box may exceed the digits by half (and touch the lines above and below) or
    # cut their tops off (then a digit's foot, the tail of a "3", would stand at their middle height). A row inked
    # across the box is a rule's under or over the figure, which parts it from the lines beside it
    if x1 <= max(0, x0) or bottom <= top:
        return None
    reach_y = bottom - top
    window = max(0, top - reach_y)
    fill = ink[window : bottom + reach_y, max(0, x0) : x1].mean(axis=1)
    inked_rows = np.asarray((fill > 0) & (fill < RULE_FILL))
    first, last = _run_across(inked_rows, (top + bottom) // 2 - window)
    if last - first < 6:
        return None  # a figure too small to measure a stroke against
    top, bottom = window + first, window + last
    height = bottom - top
    # the stroke starts at the first ink within reach of the box: a longest minus and its gap before it, and two
    # pixels more. Ink running in from further left (a leader, a rule, a word's letters) makes a run longer than a
    # minus, or a column taller than a stroke, so a minus is found only with paper before it
    reach = round(MINUS_MAX_LENGTH * height + MINUS_MAX_GAP * space) + 2
    lo = max(0, x0 - reach)
    band = ink[top:bottom, lo:x1]
    inked = np.asarray(band.any(axis=0))
    start = 0
    while start < band.shape[1] and not inked[start]:
        start += 1
    if start >= band.shape[1]:
        return None
    end, tops, bottoms = _level_stroke(band, start, MINUS_MAX_THICK * height)
    digit = end
    while digit < band.shape[1] and not inked[digit]:
        digit += 1
    if not tops or digit >= band.shape[1] or digit - end > MINUS_MAX_GAP * space or (
            digit + lo < x0 - MINUS_MAX_GAP * space):
        return None  # no stroke, no figure right after it, or the figure tesseract read starts further right
    length = end - start
    body = slice(length // 4, length - length // 4)
    if np.ptp(tops[body]) > LEVEL_BODY or np.ptp(bottoms[body]) > LEVEL_BODY:
        return None  # not level along its middle: a slant (the foot of a "4" where its slant meets its bar)
    # its thickness is its thickest column's, but for a last column run into the digit: a round speck is as thick
    # as it is long
    extents = np.subtract(bottoms, tops) + 1
    thick = int(extents[:-1].max() if digit == end and len(extents) > 1 else extents.max())
    middle = float(np.median(np.add(tops, bottoms))) / 2
    if (MINUS_MIN_LENGTH * height <= length <= MINUS_MAX_LENGTH * height and length >= MINUS_MIN_ASPECT * thick
            and MINUS_MIDDLE[0] * height <= middle <= MINUS_MIDDLE[1] * height):
        return start + lo
    return None
