"""Dot leaders found on a page image, to be painted out before OCR.

Tesseract reads a leader (". . . . ." from a label to its figures) as letters and digits ("1...eee teens", "0.0",
"6.2") on a line of its own just under the label: the label gains noise words, and the row's figures sit on a line
apart from it. A leader is a row of small dots, each alone on its baseline, with only paper between them. A full
stop ends a word (a letter stands just before it), a decimal point and a thousands point stand between digits, an
ellipsis is three dots: none makes a run of four separate dots with only paper between.
"""

from __future__ import annotations

import numpy as np

DOT_MAX_INCH = 0.03
"""The widest and tallest a leader's dot is: a full stop or a middle dot up to about 12 pt (a stop is about a tenth
of an em). A comma, a hyphen or any letter at body size is larger in one direction."""

DOT_CLEAR_INCH = 0.03
"""The paper a leader's dot has above and below it: a dot on the baseline has nothing over it up to the x-height
and nothing under it down to the next line's capitals. The dot of an i or a j, a colon's dots and a decimal point
under a superscript have a stroke within it."""

BOLD_DOT_MAX_INCH = 0.04
"""The widest and tallest a bold leader's dot is, as a worn scan shows it: blur and a coarse scan spread a bold stop
of 11 or 12 pt to about 0.035 in. At that size a small face's letters are dots too, so a leader of such dots is one
whose dots stand at least their own width apart (`_leader_pixels`): leaders space their dots 2 to 6 pt apart, while
the letters of a word stand a side bearing (well under their width) apart."""

LEADER_GAP_INCH = 0.18
"""The widest gap between two dots of one leader: leaders space their dots 2 to 6 pt apart, and a typewriter face's
". . ." a full em (12 pt at 10 pt)."""

LEADER_MIN_DOTS = 4
"""The fewest dots of a leader painted out: an ellipsis has three. Shorter leaders (after a label that nearly reaches
its figures) tesseract reads as "..", which the row reader drops."""


def find_leaders(ink: np.ndarray, dpi: float) -> np.ndarray | None:
    """The pixels of `ink` (a page's ink at `dpi`) that belong to dot leaders, or None when there are none."""
    # the work is done within the ink's bounds (a page's margins are a third of it)
    ink_rows, ink_cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if not ink_rows.size:
        return None
    top, bottom, left, right = ink_rows[0], ink_rows[-1] + 1, ink_cols[0], ink_cols[-1] + 1
    found = _leaders(ink[top:bottom, left:right], dpi)
    if found is None:
        return None
    out = np.zeros_like(ink)
    out[top:bottom, left:right] = found
    return out


def _leaders(ink: np.ndarray, dpi: float) -> np.ndarray | None:
    clear, gap = max(2, round(DOT_CLEAR_INCH * dpi)), max(1, round(LEADER_GAP_INCH * dpi))
    found = _leader_pixels(ink, max(2, round(DOT_MAX_INCH * dpi)), clear, gap, min_gap=0)
    bold = max(3, round(BOLD_DOT_MAX_INCH * dpi))
    bold_found = _leader_pixels(ink, bold, clear, gap, min_gap=bold)
    if found is None or bold_found is None:
        return found if bold_found is None else bold_found
    return found | bold_found


def _leader_pixels(ink: np.ndarray, size: int, clear: int, gap: int, *, min_gap: int) -> np.ndarray | None:
    """The pixels of leaders whose dots are at most `size` pixels wide and tall, with `clear` rows of paper above and
    below, and from `min_gap` to `gap` pixels of paper between one dot and the next."""
    dots = _dots(ink, size=size, clear=clear)
    # the rows within a dot's height of a dot
    rows = np.flatnonzero(np.convolve(dots.any(axis=1), np.ones(2 * size + 1), mode="same") > 0)
    if not rows.size:
        return None
    # the rest looks at the rows near a dot only (a page's text rows are mostly far from any)
    near = dots[rows]
    # along each row, the dots' pixels joined across gaps of paper. The gaps must be paper a dot's height above
    # and below too, for a dot's lowest pixel row lies under the digits' and letters' feet ("1.234.567" joined
    # along it); rows apart in the page are apart here too (`_spread_near_rows` does not reach across a jump in `rows`)
    other = _spread_near_rows(ink[rows] & ~near, rows, size)
    joined = _between_dots(near, other, gap, min_gap)
    runs = _leader_runs(joined, near)
    # a round dot's top and bottom rows hold only a pixel or two: the run through its middle claims all of it
    leaders = near & _spread_near_rows(runs, rows, size)
    if not leaders.any():
        return None
    found = np.zeros_like(ink)
    found[rows] = leaders
    return found


def _spread_near_rows(mask: np.ndarray, rows: np.ndarray, by: int) -> np.ndarray:
    """`mask` (the page's `rows`, in order) with each pixel spread `by` page rows up and down."""
    out = mask.copy()
    for d in range(1, by + 1):
        up = rows[d:] - rows[:-d] <= by  # rows d apart here that are at most `by` apart on the page
        out[d:] |= mask[:-d] & up[:, None]
        out[:-d] |= mask[d:] & up[:, None]
    return out


def grown(mask: np.ndarray) -> np.ndarray:
    """`mask` with the pixels beside it (above, below, left, right) added."""
    out = mask.copy()
    out[1:] |= mask[:-1]
    out[:-1] |= mask[1:]
    out[:, 1:] |= mask[:, :-1]
    out[:, :-1] |= mask[:, 1:]
    return out


def _leader_runs(joined: np.ndarray, dots: np.ndarray) -> np.ndarray:
    """The runs of `joined` along each row that take in at least LEADER_MIN_DOTS dots."""
    starts = joined & ~np.pad(joined, ((0, 0), (1, 0)))[:, :-1]  # where each run begins
    run_id = np.where(joined, np.cumsum(starts.ravel(), dtype=np.int32).reshape(joined.shape), 0)
    dot_starts = dots & ~np.pad(dots, ((0, 0), (1, 0)))[:, :-1]  # each dot's first pixel along the row
    counts = np.bincount(run_id[dot_starts], minlength=int(run_id.max()) + 1)
    counts[0] = 0
    return counts[run_id] >= LEADER_MIN_DOTS


def _between_dots(dots: np.ndarray, other: np.ndarray, gap: int, min_gap: int) -> np.ndarray:
    """`dots` with the paper between two of them along a row filled in, where they stand at most `gap` pixels
    (and at least `min_gap`) apart with no `other` ink between."""
    width = dots.shape[1]
    at = np.arange(width, dtype=np.int32)
    before = _nearest_ink(dots, other)  # at each pixel, the nearest ink at or before it
    after = _nearest_ink(dots[:, ::-1], other[:, ::-1])[:, ::-1]  # and at or after it (counted from the right)
    from_before, to_after = at - (before >> 1), (width - 1 - (after >> 1)) - at
    dot_before = (before & 1 == 1) & (from_before <= gap)
    dot_after = (after & 1 == 1) & (to_after <= gap)
    wide_enough = from_before + to_after - 1 >= min_gap  # the paper between the two dots
    return dots | (dot_before & dot_after & wide_enough)


def _nearest_ink(dots: np.ndarray, other: np.ndarray) -> np.ndarray:
    """For each pixel, the nearest ink at or before it along its row, coded 2 * x, plus 1 for a dot (-1: none).
    A running maximum of the coded ink gives it in one pass."""
    at = np.arange(dots.shape[1], dtype=np.int32)
    code = np.where(dots, 2 * at + 1, np.where(other, 2 * at, -1))
    return np.maximum.accumulate(code, axis=1)


def integral(mask: np.ndarray) -> np.ndarray:
    """The summed-area table of `mask`: [y, x] holds how many of its pixels lie above and left of (y, x). The sums
    wrap round at 2**16, which leaves every box's count exact below that (a box here holds a few hundred pixels at
    most), at half the memory traffic of 32-bit sums."""
    table = np.zeros((mask.shape[0] + 1, mask.shape[1] + 1), dtype=np.uint16)
    np.cumsum(mask, axis=1, dtype=np.uint16, out=table[1:, 1:])
    # then down the rows, adding a whole row at a time: numpy's cumsum down the first axis takes several times as
    # long (a page's table in 0.04 s instead of 0.14 s)
    for row in range(2, table.shape[0]):
        np.add(table[row], table[row - 1], out=table[row])
    return table


def _box_sums(table: np.ndarray, tall: int, wide: int) -> np.ndarray:
    """For each (y, x), how many pixels lie in the `tall` × `wide` box whose top-left corner is there."""
    return table[tall:, wide:] - table[:-tall, wide:] - table[tall:, :-wide] + table[:-tall, :-wide]


def _spread_right_down(mask: np.ndarray, size: int) -> np.ndarray:
    """`mask` with each pixel spread over the `size` × `size` box whose top-left corner it is."""
    out = mask.copy()
    for d in range(1, size):
        out[:, d:] |= mask[:, :-d]
    across = out.copy()
    for d in range(1, size):
        out[d:] |= across[:-d]
    return out


def _dots(ink: np.ndarray, size: int, clear: int) -> np.ndarray:
    """The pixels of `ink` that form dots: blobs at most `size` pixels wide and tall, with a column of paper either
    side and `clear` rows of paper above and below."""
    height, width = ink.shape
    pad = clear + 1
    padded = np.zeros((height + 2 * pad, width + 2 * pad), dtype=bool)
    padded[pad : pad + height, pad : pad + width] = ink
    table = integral(padded)
    # box corners are taken in the padded frame: the inner box at (y, x) is framed by the outer box at
    # (y - clear, x - 1)
    outer = _box_sums(table, size + 2 * clear, size + 2)
    inner = _box_sums(table, size, size)
    rows, cols = outer.shape
    inner_framed = inner[clear : clear + rows, 1 : 1 + cols]
    found = (inner_framed > 0) & (outer == inner_framed)  # the frame round the inner box is paper
    # each found box's ink is a dot
    corners = np.zeros_like(padded)
    corners[clear : clear + rows, 1 : 1 + cols] = found
    return (_spread_right_down(corners, size) & padded)[pad : pad + height, pad : pad + width]
