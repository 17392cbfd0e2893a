"""Pages of running text told apart from pages of tables by their image, before OCR.

Finding a scan's statements means reading its pages, and tesseract takes one to two and a half seconds over a page
of running text (the directors' and auditor's reports, the accounting policies) against half a second over a page of
tables: on the eight real scans we hold, a third of the pages and nearly half the time reading them. A statement is
a table: its rows set their figures apart from their labels, and from each other, by a wide gap, and its column
headings set the years apart. Running text is set with word spaces only. A page with many lines of which hardly any
holds a wide gap holds no statement, and the search for statements does not need its words; its text is read only if
the statements found need what prose says (their unit, which dollar, `pipeline`).

Whatever cannot be measured counts as table: a page with few lines (a cover, a contents page: cheap to read, and
what names the company), lines that run into each other, print set in columns, specks in the margins. Only a page that
is plainly running text is passed over.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from finsheet.extraction.ocr_image import long_runs, threshold

PROSE_MIN_LINES = 12
"""The fewest lines of print on a page passed over as running text: a page with fewer is quick to read, and a cover or
a title page (a few lines, what names the company) is always read."""

TABLE_ROWS_MAX = 2
"""The most lines with a wide gap a page of running text holds (a running header set apart from the page number, a
signature beside its date). The smallest statement prints more: a heading row of years and two rows of figures."""

TABLE_GAP_INCH = 0.4
"""A gap this wide inside a line is a table's, between a label and its figures or between two figures (a statement's
columns stand an inch or so apart, its figures half an inch wide); word spaces, justified, stay under a fifth of
an inch."""

LINE_INCH = (0.05, 0.4)
"""The height of a band of rows holding a line of print: 4 to 29 points. Lower is a rule or specks; taller, lines run
together (tight leading), a picture or print in columns, none of them measured."""

HANGING_INCH = 0.2
"""The widest piece of print that may hang before a line's text without making it a table's row: a paragraph's number
("1.", "(a)") or a bullet. A statement's label is wider, and its row has figures beyond it anyway."""

BORDER = 0.3
"""A column of the page that is ink down this share of its height is a border, the scanner's edge, an upright rule or
a coloured margin: no print, left out (with it a page is one tall band)."""

SOLID_INCH = 1.5
"""A row of pixels inked this far without a break is a rule or a shaded band (a shaded total, a coloured tab): print
never is (`ocr_image.RULE_MIN_INCH`). It is left out, or a shaded row is one piece and its gaps are lost."""

SPECK_PIXELS = 10
"""A piece of a line with fewer ink pixels than this is a speck (dust, a stray full stop), not a table's figure: a
digit or a nil dash at 150 dpi inks more."""

_ROW_INK = 3
"""The ink pixels a row of the page must hold to be part of a line (fewer: a speck, a descender's tip)."""


def running_text(image: Image.Image, dpi: float) -> bool:
    """Whether a page drawn at `dpi` (straightened, its rules and leaders painted out: `ocr_image.prepare_page`) is
    plainly running text: PROSE_MIN_LINES lines of print or more, and no more than TABLE_ROWS_MAX of them with a gap
    of TABLE_GAP_INCH between pieces of print (`_table_row`)."""
    grey = np.asarray(image.convert("L"))
    ink = grey < threshold(grey)
    ink[:, ink.mean(axis=0) > BORDER] = False
    ink[long_runs(ink, round(SOLID_INCH * dpi)).any(axis=1)] = False
    filled = ink.sum(axis=1) >= _ROW_INK
    edges = np.flatnonzero(np.diff(np.concatenate(([0], filled.astype(np.int8), [0]))))
    low, high = (round(inch * dpi) for inch in LINE_INCH)
    lines = gapped = 0
    for start, end in zip(edges[::2], edges[1::2], strict=True):
        if end - start < low:
            continue  # a rule, specks
        # a band too tall for one line of print is no line of running text, but a table's rows run together may
        # still show their gaps
        lines += end - start <= high
        if _table_row(ink[start:end], dpi):
            gapped += 1
            if gapped > TABLE_ROWS_MAX:
                return False
    return lines >= PROSE_MIN_LINES


def _table_row(band: np.ndarray, dpi: float) -> bool:
    """Whether a band of rows holding a line of print sets two pieces of print TABLE_GAP_INCH apart, not counting
    specks nor a paragraph's number or bullet hanging before its text."""
    column_ink = band.sum(axis=0)
    columns = np.flatnonzero(column_ink)
    if columns.size < 2:
        return False
    breaks = np.flatnonzero(np.diff(columns) > TABLE_GAP_INCH * dpi)
    if not breaks.size:
        return False
    bounds = np.split(columns, breaks + 1)
    pieces = [piece for piece in bounds if column_ink[piece].sum() >= SPECK_PIXELS]
    if pieces and pieces[0][-1] - pieces[0][0] < HANGING_INCH * dpi:
        pieces = pieces[1:]
    return len(pieces) >= 2
