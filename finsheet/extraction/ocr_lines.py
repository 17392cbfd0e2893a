"""A second look at the lines whose figures tesseract read unsure.

Tesseract reads a page as a whole, and a line's neighbours sway how it reads the line: a total's rule close over a
row of figures, or a row crowded between two others, comes out as "\"45.414  ~45,909  39,523" for "15,114  15,909
32,523", each figure at a confidence of 0.3 to 0.5 where clean print reads at 0.9 and over. Read again on its own,
cut out of the page with a little paper above and below, the same line reads "15,114  15,909  32,523" at 0.95.

So the lines holding a figure read unsure are cut out of the page image, stacked one under another with paper
between, and read in one call. A line's second reading replaces the figures of its first only when every figure
on it is read sure and it has as many figures as the first: otherwise the first reading stands, with its low
confidence, for the checks and the analyst to weigh. The label stays as first read.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from statistics import median

from finsheet.extraction.numbers import parse_figure
from finsheet.extraction.pdf import group_lines
from finsheet.model import LOW_CONFIDENCE, Word

UNSURE_FIGURE = 0.6
"""Tesseract's confidence under which a figure it read is in doubt: clean print reads at 0.9 and over, a figure it
could not quite make out at 0.3 to 0.6."""

SURE_FIGURE = LOW_CONFIDENCE
"""A second reading counts only where each of its figures is read at least this sure (what Review shows as sure)."""

STRIP_PAD = 0.35
"""Paper kept above and below a line's words, a share of the line's height: tesseract's boxes leave out some of
the ascenders and descenders, and a strip cut to the boxes reads commas as points."""


def reread_unsure_lines(image: Path, words: list[Word], points_per_pixel: float,
                        read: Callable[[Path], list[Word] | None]) -> list[Word]:
    """The words of a page image, the lines holding a figure read unsure replaced by their second reading where
    it is sure (see the module's note). `image` is the page as tesseract read it; `words` are in PDF points;
    `read` gives tesseract's words of an image in PDF points, or None when it fails (the first reading stands)."""
    unsure = [line for line in group_lines(words) if any(_is_unsure_figure(w) for w in line)]
    if not unsure:
        return words
    # PIL is imported once a line is found, as numpy and PIL are in `ocr.ocr_pages` once a page is drawn
    from PIL import Image

    with Image.open(image) as drawn:
        page = drawn.convert("L")
    pixels = 1 / points_per_pixel
    strips: list[tuple[int, int]] = []
    for line in unsure:
        top, bottom = min(w.top for w in line), max(w.bottom for w in line)
        pad = STRIP_PAD * (bottom - top)
        strips.append((max(0, int((top - pad) * pixels)), min(page.height, int((bottom + pad) * pixels) + 1)))
    gap = max(y1 - y0 for y0, y1 in strips)  # paper between strips: a line's height or more keeps them apart
    stacked = Image.new("L", (page.width, sum(y1 - y0 + gap for y0, y1 in strips) + gap), 255)
    placed: list[int] = []  # where each strip starts in the stacked image, in pixels
    y = gap
    for y0, y1 in strips:
        stacked.paste(page.crop((0, y0, page.width, y1)), (0, y))
        placed.append(y)
        y += y1 - y0 + gap
    path = image.with_name(image.stem + "-lines.png")
    stacked.save(path, compress_level=1)
    try:
        second = read(path)
    finally:
        path.unlink(missing_ok=True)
    if second is None:
        return words
    replaced: set[int] = set()
    kept: list[Word] = []
    for line, (y0, y1), start in zip(unsure, strips, placed, strict=True):
        shift = (y0 - start) * points_per_pixel  # from the stacked image back to the page
        again = [Word(w.text, w.x0, w.top + shift, w.x1, w.bottom + shift, w.conf) for w in second]
        again = [w for w in again if y0 * points_per_pixel <= w.yc <= y1 * points_per_pixel]
        # the strip may take in the feet of the line above or the tops of the one below, which tesseract reads as
        # marks on lines of their own: the line is the one whose middle lies nearest the first reading's
        nearest = min(group_lines(again), key=lambda ln: abs(_middle(ln) - _middle(line)), default=[])
        if _better(line, nearest):
            # only what holds digits is read again: the label was read sure, and stays as first read; the figures
            # are set on the first reading's line (its words' middle top and bottom), so that the rows are built
            # as before: a strip's reading may box a figure taller, into the line above or below
            top, bottom = median(w.top for w in line), median(w.bottom for w in line)
            replaced.update(id(w) for w in line if _has_digit(w))
            kept.extend(Word(w.text, w.x0, top, w.x1, bottom, w.conf) for w in nearest if _has_digit(w))
    if not replaced:
        return words
    return [w for w in words if id(w) not in replaced] + kept


def _middle(line: list[Word]) -> float:
    return (min(w.top for w in line) + max(w.bottom for w in line)) / 2


def _has_digit(word: Word) -> bool:
    return any(ch.isdigit() for ch in word.text)


def _is_unsure_figure(word: Word) -> bool:
    return word.conf < UNSURE_FIGURE and _has_digit(word)


def _better(first: list[Word], second: list[Word]) -> bool:
    """Whether a line's second reading replaces its first: each of its words with digits a figure read sure, and
    as many figures as the first reading had (a figure the second reading lost is no improvement). Scraps of a
    figure that read as no figure ("~~+1,060,073", "88,8") do not count."""
    figures = [w for w in second if _has_digit(w)]
    if not figures or any(w.conf < SURE_FIGURE or parse_figure(w.text) is None for w in figures):
        return False
    return len(figures) >= sum(1 for w in first if parse_figure(w.text) is not None)
