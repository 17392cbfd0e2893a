"""Nil dashes that tesseract dropped or misread, found on the page image.

A statement prints a dash ("—", "–", "-") where a line has nothing in a period. Tesseract reads most of them, but
it drops a lone dash in a column as noise, or reads it as a letter or a digit ("7", "a", "od"): the line then loses
its nil in that period, or gains a figure the statement does not print. On the page a dash is unmistakable: a
short, thin, level stroke with only paper round it. Standing at the middle height of a line's words, right of its
label, apart from any word, in a column of figures, it is a nil.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from finsheet.extraction.ocr_image import threshold
from finsheet.extraction.ocr_leaders import integral
from finsheet.model import Word

DASH_MIN_INCH = 0.03
"""The shortest dash: a hyphen at 7 pt (a third of an em). A speck is a third of that and round
(`ocr_image.SPECK_MAX_INCH`)."""

DASH_MAX_INCH = 0.3
"""The longest dash a statement prints for a nil: a two-em rule at 10 pt is 0.28 in. A rule under a column's
figures may be as short, but it stands between lines, not at a line's middle height (`_mid_line`)."""

DASH_MAX_THICK_INCH = 0.025
"""The thickest dash: a heavy stroke of 1.5 pt, blurred by a scan. A letter's stem is as thick, but as tall as the
letter."""

DASH_MIN_ASPECT = 2.5
"""How many times longer than thick a dash is at least: a full stop, a bullet or a blot is about round."""

DASH_CLEAR_X_INCH = 0.03
"""The paper either side of a dash: a hyphen inside a word touches its letters within a side bearing (under 1 pt);
a nil stands a column's gap from anything else."""

DASH_CLEAR_Y_INCH = 0.04
"""The paper above and below a dash: it sits at the middle of its line, an x-height and the leading away from the
lines above and below (about 0.07 in at 10 pt)."""

DASH_CONF = 0.9
"""The confidence of a dash found by its shape: the stroke is certain, and in a column of figures it can only be a
nil; not 1.0, which stands for a text layer's words."""

MID_LINE = (0.25, 0.75)
"""Where a dash's middle stands within the box of a word on its line, from its top: a dash or hyphen sits at about
a quarter of an em above the baseline, 0.5-0.65 of a word's height whether or not the word has descenders. An
underline, or the rule under a row, stands at or below the baseline (0.85 and beyond)."""

WORD_SPACE = 0.6
"""A line's word space, as a share of its tallest word's height, where the line has no two words of letters to
measure it by: a third of an em between words of a proportional face is about 0.3-0.45 of a tight OCR box."""

IN_TEXT = 1.5
"""A word no further from a dash than this many of its line's word spaces makes the dash part of its text
("authorized – 165.0 million", "Income per share – basic"): such a dash is set a word space from its words. A nil
stands a column's gap from the next column's figure or currency sign (four word spaces and more)."""

_DASH_TEXT = re.compile(r"^[-\u2013\u2014\u2212]+$")
_FIGURE = re.compile(r"^[^A-Za-z]*\d[^A-Za-z]*$")
_LETTER = re.compile(r"[A-Za-z]")


@dataclass(frozen=True, slots=True)
class _Dash:
    """A dash on the image: its box in pixels (x1, bottom exclusive) and the ink it holds."""

    x0: int
    top: int
    x1: int
    bottom: int
    ink: int


class _InkCounts:
    """How many ink pixels a box of the image holds: a word's box counted directly, the small boxes round the many
    strokes looked at from a summed-area table (`ocr_leaders.integral`, exact for boxes under 2**16 pixels; the
    largest here is the clear paper round the longest dash, a few thousand)."""

    def __init__(self, ink: np.ndarray) -> None:
        self.ink = ink
        self.height, self.width = ink.shape
        self.table = integral(ink)

    def __call__(self, x0: int, top: int, x1: int, bottom: int) -> int:
        """Ink pixels in columns x0..x1-1 and rows top..bottom-1 (clipped to the image)."""
        return int(self.ink[max(0, top) : max(0, bottom), max(0, x0) : max(0, x1)].sum())

    def many(self, x0: np.ndarray, top: np.ndarray, x1: np.ndarray, bottom: np.ndarray) -> np.ndarray:
        """Ink pixels in many small boxes at once (arrays of their edges, clipped to the image)."""
        x0, x1 = np.clip(x0, 0, self.width), np.clip(x1, 0, self.width)
        top, bottom = np.clip(top, 0, self.height), np.clip(bottom, 0, self.height)
        t = self.table
        return (t[bottom, x1] - t[top, x1] - t[bottom, x0] + t[top, x0]).astype(np.int32)


def _level_runs(ink: np.ndarray, shortest: int, longest: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows, starts and ends (exclusive) of every run of ink along a row `shortest` to `longest` pixels long."""
    edges = np.diff(np.pad(ink, ((0, 0), (1, 1))).view(np.int8), axis=1)
    rows, cols = np.nonzero(edges)  # in row order: each run's start (1) then its end (-1)
    starts, ends = cols[0::2], cols[1::2]
    lengths = ends - starts
    keep = (lengths >= shortest) & (lengths <= longest)
    return rows[0::2][keep], starts[keep], ends[keep]


def find_dashes(ink: np.ndarray, dpi: float, counts: _InkCounts | None = None) -> list[_Dash]:
    """The dashes of a page's ink (`ink`, a bool image at `dpi`): short, thin, level strokes with clear paper round
    them."""
    counts = counts or _InkCounts(ink)
    shortest, longest = max(3, round(DASH_MIN_INCH * dpi)), round(DASH_MAX_INCH * dpi)
    thickest = max(2, round(DASH_MAX_THICK_INCH * dpi))
    clear_x, clear_y = max(2, round(DASH_CLEAR_X_INCH * dpi)), max(2, round(DASH_CLEAR_Y_INCH * dpi))
    rows, x0, x1 = _level_runs(ink, shortest, longest)
    length = x1 - x0
    # the stroke's rows: those above and below the run that are mostly ink over its length (a stroke taller than
    # the thickest dash is no dash, so no further than that is looked)
    top, bottom = rows.copy(), rows + 1
    up = down = np.ones(len(rows), dtype=bool)
    for _ in range(thickest + 1):
        up = up & (top > 0) & (2 * counts.many(x0, top - 1, x1, top) >= length)
        top = np.where(up, top - 1, top)
        down = down & (bottom < counts.height) & (2 * counts.many(x0, bottom, x1, bottom + 1) >= length)
        bottom = np.where(down, bottom + 1, bottom)
    thick = bottom - top
    # its own ink, with the grey fringe a scan leaves round a stroke, is all the ink near it
    own = counts.many(x0 - 2, top - 1, x1 + 2, bottom + 1)
    around = counts.many(x0 - clear_x, top - clear_y, x1 + clear_x, bottom + clear_y)
    kept = (thick <= thickest) & (length >= DASH_MIN_ASPECT * thick) & (around - own <= 2)
    found: dict[tuple[int, int], _Dash] = {}
    for stroke in zip(*(a[kept].tolist() for a in (x0, top, x1, bottom, own)), strict=True):
        found.setdefault((stroke[1], stroke[0]), _Dash(*stroke))
    # each row of a stroke finds it again: one dash per stroke
    dashes: list[_Dash] = []
    for dash in sorted(found.values(), key=lambda d: -(d.x1 - d.x0)):
        if not any(_touch(dash, d) for d in dashes):
            dashes.append(dash)
    return dashes


def _touch(a: _Dash, b: _Dash) -> bool:
    return a.x0 <= b.x1 and b.x0 <= a.x1 and a.top <= b.bottom and b.top <= a.bottom


def mend_nil_dashes(words: list[Word], image: np.ndarray, points_per_pixel: float) -> list[Word]:
    """The page's OCR words with the nil dashes tesseract dropped put back, and a word that is nothing but a dash
    on the image ("7", "a" read for a "—") read as the dash. `image` is the grey page tesseract read."""
    figures = [w for w in words if _FIGURE.match(w.text)]
    if not figures:
        return words  # no column of figures, no nil
    # the work is done where a nil could stand: across the columns of figures (a nil spans a figure's place widened
    # by its own length, `_in_column`, with its clear paper round it), within the ink's bounds
    dpi = 72 / points_per_pixel
    margin = (2 * DASH_MAX_INCH + DASH_CLEAR_X_INCH) * 72
    left = max(0, int((min(w.x0 for w in figures) - margin) / points_per_pixel))
    right = min(image.shape[1], int((max(w.x1 for w in figures) + margin) / points_per_pixel) + 1)
    ink = image[:, left:right] < threshold(image)
    ink_rows, ink_cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if not ink_rows.size:
        return words
    top0, left0 = int(ink_rows[0]), left + int(ink_cols[0])
    ink = ink[top0 : ink_rows[-1] + 1, ink_cols[0] : ink_cols[-1] + 1]
    counts = _InkCounts(ink)
    dashes = find_dashes(ink, dpi, counts)
    if not dashes:
        return words

    def box(d: _Dash) -> tuple[float, float, float, float]:
        return ((d.x0 + left0) * points_per_pixel, (d.top + top0) * points_per_pixel,
                (d.x1 + left0) * points_per_pixel, (d.bottom + top0) * points_per_pixel)

    def pixels(w: Word) -> tuple[int, int, int, int]:
        return (round(w.x0 / points_per_pixel) - left0, round(w.top / points_per_pixel) - top0,
                round(w.x1 / points_per_pixel) + 1 - left0, round(w.bottom / points_per_pixel) + 1 - top0)

    out = list(words)
    free: list[tuple[float, float, float, float]] = []
    for dash in dashes:
        x0, top, x1, bottom = box(dash)
        over = [i for i, w in enumerate(out) if w.x0 <= x1 + 1 and x0 - 1 <= w.x1 and w.top <= bottom + 1
                and top - 1 <= w.bottom]
        if not over:
            free.append((x0, top, x1, bottom))
            continue
        if len(over) != 1 or _DASH_TEXT.match(out[over[0]].text):
            continue
        # a word whose box holds no ink but this dash's is the dash, whatever tesseract made of it (a word reaching
        # out of the part of the page searched, `pixels` rounding its edge a pixel out, may hold more ink out
        # there: it is left as read)
        w_x0, w_top, w_x1, w_bottom = pixels(out[over[0]])
        if 0 <= w_x0 and w_x1 <= counts.width + 1 and counts(w_x0, w_top, w_x1, w_bottom) - dash.ink <= 2:
            out[over[0]] = Word("\u2014", x0, top, x1, bottom, DASH_CONF)
    for x0, top, x1, bottom in free:
        if _mid_line(out, x0, top, bottom) and not _in_text(out, x0, top, x1, bottom) and _in_column(
            out, free, x0, top, x1, bottom
        ):
            out.append(Word("\u2014", x0, top, x1, bottom, DASH_CONF))
    return out


def _mid_line(words: list[Word], x0: float, top: float, bottom: float) -> bool:
    """Whether the stroke stands at the middle height of a word to its left on its line (its label's), as a dash
    does, not at the baseline or between lines, as an underline or a rule does."""
    middle = (top + bottom) / 2
    low, high = MID_LINE
    return any(w.x1 < x0 and w.top + low * (w.bottom - w.top) <= middle <= w.top + high * (w.bottom - w.top)
               for w in words)


def _in_text(words: list[Word], x0: float, top: float, x1: float, bottom: float) -> bool:
    """Whether the stroke is a dash inside a run of text: a word starts a word space after it, or a word of
    letters ends a word space before it. The word space is the line's own, measured between its words of letters
    (a typewriter face's is twice a proportional face's, relative to its height)."""
    middle = (top + bottom) / 2
    line = sorted((w for w in words if w.top <= middle <= w.bottom), key=lambda w: w.x0)
    if not line:
        return False
    near = IN_TEXT * word_space(line)
    return any(0 <= w.x0 - x1 <= near or (_LETTER.search(w.text) and 0 <= x0 - w.x1 <= near) for w in line)


def word_space(line: list[Word]) -> float:
    """The word space of a line (its words left to right), in points: the median gap between its words of letters,
    or a share of its tallest word's height where it has no two (`WORD_SPACE`)."""
    gaps = sorted(b.x0 - a.x1 for a, b in zip(line, line[1:], strict=False)
                  if _LETTER.search(a.text) and _LETTER.search(b.text) and b.x0 > a.x1)
    return gaps[len(gaps) // 2] if gaps else WORD_SPACE * max(w.bottom - w.top for w in line)


def _in_column(words: list[Word], strokes: list[tuple[float, float, float, float]], x0: float, top: float,
               x1: float, bottom: float) -> bool:
    """Whether the stroke stands in a column of figures: figures on other lines, or other nils, span its place
    (widened by its own length: a column's figures align right, and a dash may be centred), one at least a
    figure."""
    reach = x1 - x0

    def beside(a0: float, a1: float, a_top: float, a_bottom: float) -> bool:
        return a0 <= x1 + reach and x0 - reach <= a1 and (a_bottom < top or a_top > bottom)

    figures = [w for w in words if _FIGURE.match(w.text) and beside(w.x0, w.x1, w.top, w.bottom)]
    nils = [w for w in words if _DASH_TEXT.match(w.text) and beside(w.x0, w.x1, w.top, w.bottom)]
    others = [s for s in strokes if beside(s[0], s[2], s[1], s[3])]
    return bool(figures) and len(figures) + len(nils) + len(others) >= 2
