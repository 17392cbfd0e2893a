"""Page images prepared for OCR: ruled lines and dot leaders taken out.

Statements rule their tables: a line under the last figure before a total, a double line under the total, dotted
rules between rows, boxes round the column headings. Tesseract reads a rule that touches or nearly touches a row
as part of it, so the row comes out as noise ("Opporettinng CON, ccoccasssecsoss…") or its figures gain and lose
characters ("5712." for 572, "|" for 1). A rule is a long, thin run of ink; text never is. Taking every such run
out of the image before OCR leaves the words as printed.

Solid rules are mostly left in: tesseract takes them out itself. Not on a page that rules its table as a grid, as
many UK accounts box every figure: there the upright rules read as characters of the figures beside them, and the
whole grid is taken out.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from finsheet.extraction.ocr_leaders import find_leaders, grown, integral

RULE_MIN_INCH = 1.5
"""The shortest run of ink taken for a rule: longer than any word a statement prints (a long word in capitals at
body size is about an inch), as long as a rule across a table's label or columns; the short rules under single
figures are left to tesseract, which reads past them."""

DOT_GAP_INCH = 0.03
"""Gaps a dotted or dashed rule leaves between its dots or dashes (up to about 2 pt): bridged, so that it reads as
one run. Some spaces of a line of text are bridged too, but a line of text is no rule: it is taller than a rule
(`_thin`) and has ink just above and below it nearly all along (`_isolated`). Wider gaps bridged more of a real
scan's specks and strokes into runs, and it read worse."""

SOLID_RULE_MIN_INCH = 0.3
"""The shortest solid rule taken out on a second reading: the rule under a single column's heading or figure (a
column is half an inch or more), longer than any dash a statement prints for nil (an em dash is 0.17 in at 12 pt).
Tesseract can read a heading row boxed between such rules as marks ("es" for "2022 2021 2020"), depending on the
rest of the page; with the rules gone it reads the words."""

SPECK_MAX_INCH = 0.01
"""The widest speck taken out: dust and toner a scanner or photocopier leaves on the paper, a pixel or two at
300 dpi. A full stop or a comma is as small in a small face, but never stands clear of other ink
(`SPECK_CLEAR_INCH`)."""

SPECK_MIN_DPI = 200
"""Specks are taken out of a page read at this resolution or finer (OCR reads at 300 dpi): coarser, a small face's
colon or full stop is a pixel or two, as small as dust, and stands as far from its letters."""

SPECK_CLEAR_INCH = 0.03
"""The clear paper all round a speck: a figure's point or comma stands a side bearing (under 1 pt) from its digits,
a dot leader's dots stand closer still to each other; a speck in the paper between words and columns stands alone.
Tesseract reads specks as marks ("'", ".", "-") that break the words and figures beside them."""

RULE_MAX_THICK_INCH = 0.02
"""The thickest rule: a hairline to a heavy 1.5 pt line; a line of text is several times taller."""

OVERLAID_RULE_MAX_THICK_INCH = 0.035
"""The thickest band a total's rule and a grid's rule across make where one is printed over the other, a point or
so apart: up to twice a single rule (a pixel row more at 150 dpi than the thickest rule). It is taken only where
it runs on into the grid's rule (`_running_on`): a black tab's slivers between the white letters printed on it are
as thin, and stand alone."""


def _window_sums(mask: np.ndarray, length: int) -> np.ndarray:
    """For each x, how many of the `length` pixels from x on along the row are ink (rows are axis 1)."""
    csum = np.zeros((mask.shape[0], mask.shape[1] + 1), dtype=np.int16)
    np.cumsum(mask, axis=1, dtype=np.int16, out=csum[:, 1:])
    return csum[:, length:] - csum[:, :-length]


def long_runs(mask: np.ndarray, length: int) -> np.ndarray:
    """Where `mask` (2-D bool) holds along each row for at least `length` pixels in a row: a morphological
    opening with a horizontal line. Found as runs (where each starts and ends, the rows laid end to end with a
    pixel of paper between them), which takes half the time of summing windows along every row."""
    height, width = mask.shape
    if length > width:
        return np.zeros_like(mask)
    padded = np.zeros((height, width + 1), dtype=bool)
    padded[:, :width] = mask
    flat = padded.ravel()
    edges = np.flatnonzero(flat[1:] != flat[:-1]) + 1
    if flat[0]:
        edges = np.r_[0, edges]
    starts, ends = edges[::2], edges[1::2]  # every run ends on the paper after its row
    long = ends - starts >= length
    marks = np.zeros(flat.size + 1, dtype=np.int8)
    marks[starts[long]] = 1
    marks[ends[long]] = -1
    return np.cumsum(marks[:-1], dtype=np.int8).astype(bool).reshape(height, width + 1)[:, :width]


def _bridge(mask: np.ndarray, gap: int) -> np.ndarray:
    """The mask with gaps of up to `gap` pixels along each row filled in (a closing with a horizontal line)."""
    height, width = mask.shape
    padded = np.zeros((height, width + 2 * gap), dtype=bool)
    padded[:, gap : gap + width] = mask
    sums = _window_sums(padded, gap + 1)  # sums[:, x] covers padded x .. x + gap
    before = sums[:, :width] > 0  # ink within gap pixels to the left (original x - gap .. x)
    after = sums[:, gap : gap + width] > 0  # ink within gap pixels to the right (original x .. x + gap)
    return mask | (before & after)


def threshold(grey: np.ndarray) -> int:
    """Otsu's threshold of a grey image: the split that best separates ink from paper."""
    hist = np.bincount(grey.ravel(), minlength=256).astype(np.float64)
    total = hist.sum()
    weight = np.cumsum(hist)
    mean = np.cumsum(hist * np.arange(256))
    between = (mean[-1] * weight - mean * total) ** 2 / np.maximum(weight * (total - weight), 1.0)
    return int(np.argmax(between))


def prepare_page(image: Image.Image, dpi: float, *, solid_rules: bool = False) -> Image.Image:
    """The grey page as tesseract should read it: dotted and dashed rules across the rows and dot leaders painted
    out as paper; with `solid_rules`, the solid rules too (a second reading of a page whose column headings were
    not read, `pipeline`)."""
    return _paint(image, dpi, rules=True, leaders=True, solid_rules=solid_rules, specks=dpi >= SPECK_MIN_DPI)


def remove_rules(image: Image.Image, dpi: float) -> Image.Image:
    """The grey page with its dotted and dashed rules across the rows painted out as paper."""
    return _paint(image, dpi, rules=True, leaders=False)


def remove_leaders(image: Image.Image, dpi: float) -> Image.Image:
    """The grey page with its dot leaders painted out as paper (`ocr_leaders`)."""
    return _paint(image, dpi, rules=False, leaders=True)


def _paint(image: Image.Image, dpi: float, *, rules: bool, leaders: bool, solid_rules: bool = False,
           specks: bool = False) -> Image.Image:
    grey = np.asarray(image.convert("L"))
    cut = threshold(grey)
    ink = grey < cut
    dust = ink & _specks(grey < (cut + 255) // 2, dpi) if specks else None
    if dust is not None and dust.any():
        grey = np.where(dust, np.uint8(255), grey)
        ink &= ~dust
    # rules and leaders are found at about 150 dpi (a pixel there is ink where any of the ones it covers is): a
    # hairline and a full stop still show, and the work is a quarter
    factor = max(1, int(dpi // 150))
    coarse = _coarse(ink, factor)
    at = dpi / factor
    paint = np.zeros_like(ink)
    ruled, uprights = _find_rules(coarse, at, solid=solid_rules) if rules else (None, None)
    # a grid's rules go with the pixel either side of them, dark or not: the edge a scanned rule leaves beside it
    # reads as a stroke ("1", "|") once the rule is gone
    grid = uprights is not None
    if ruled is not None:
        full = _full(ruled, factor, ink.shape)
        # and the grey fringe a rendered or scanned rule leaves on the pixel rows beside it
        fringe = full.copy()
        fringe[1:] |= full[:-1]
        fringe[:-1] |= full[1:]
        paint |= full | (fringe if grid else fringe & ~ink)
        coarse = coarse & ~ruled
    if uprights is not None:
        full = _full(uprights, factor, ink.shape)
        fringe = full.copy()  # on the pixel columns beside an upright rule
        fringe[:, 1:] |= full[:, :-1]
        fringe[:, :-1] |= full[:, 1:]
        paint |= fringe
        coarse = coarse & ~uprights
    dots = find_leaders(coarse, at) if leaders else None
    if dots is not None:
        full = _full(dots, factor, ink.shape)
        # and the grey fringe round them (two pixels: a scan drawn up from a lower resolution is blurred)
        paint |= full | (grown(grown(full)) & ~ink)
    if ruled is None and uprights is None and dots is None:
        return Image.fromarray(grey, mode="L")  # most pages: nothing (more) to take out
    return Image.fromarray(np.where(paint, np.uint8(255), grey), mode="L")


def _centred_sums(table: np.ndarray, pad: int, shape: tuple[int, ...], side: int) -> np.ndarray:
    """For each pixel of a mask of `shape`, how many of its pixels lie in the `side` x `side` square centred on it
    (`side` odd), from the summed-area table of the mask padded by `pad` all round (`integral`)."""
    height, width = shape[0], shape[1]
    near, far = pad - side // 2, pad + side // 2 + 1
    return (table[far : far + height, far : far + width] - table[near : near + height, far : far + width]
            - table[far : far + height, near : near + width] + table[near : near + height, near : near + width])


def _specks(ink: np.ndarray, dpi: float) -> np.ndarray:
    """The ink of specks: blobs no wider than `SPECK_MAX_INCH` with clear paper `SPECK_CLEAR_INCH` all round. A
    pixel is a speck's when the square round it that would hold the whole speck holds all the ink of a square the
    clearance wider. `ink` is taken faint (grey as well as black): a small glyph printed grey or blurred, a nil's
    dash on a shaded row, shows only a pixel or two of black, but its grey shows its true size."""
    reach = max(1, round(SPECK_MAX_INCH * dpi / 2))
    small = 2 * reach + 1
    large = small + 2 * max(1, round(SPECK_CLEAR_INCH * dpi))
    pad = large // 2 + 1
    table = integral(np.pad(ink, pad))  # one table for both squares
    near = _centred_sums(table, pad, ink.shape, small)
    return ink & (near == _centred_sums(table, pad, ink.shape, large)) & (near <= (reach + 1) ** 2)


def _coarse(ink: np.ndarray, factor: int) -> np.ndarray:
    """`ink` at 1/`factor` of its resolution: a pixel is ink where any of the ones it covers is."""
    if factor == 1:
        return ink
    height, width = ink.shape[0] // factor, ink.shape[1] // factor
    out = np.zeros((height, width), dtype=bool)
    for dy in range(factor):
        for dx in range(factor):
            out |= ink[dy : height * factor : factor, dx : width * factor : factor]
    return out


def _full(found: np.ndarray, factor: int, shape: tuple[int, ...]) -> np.ndarray:
    """A coarse mask drawn back at full resolution (`shape`)."""
    full = np.zeros(shape, dtype=bool)
    full[: found.shape[0] * factor, : found.shape[1] * factor] = found.repeat(factor, axis=0).repeat(factor, axis=1)
    return full


def _find_rules(coarse: np.ndarray, at: float, *, solid: bool = False) -> tuple[np.ndarray | None, np.ndarray | None]:
    """The rules of `coarse` (a page's ink at `at` dpi), or None for each kind the page has none of: the rules
    across the rows (dotted and dashed ones across a table; with `solid`, or on a page ruled as a grid, the solid
    ones from a column's width up too), and the upright rules of a page ruled as a grid."""
    thick = max(2, round(RULE_MAX_THICK_INCH * at))
    dotted = _across_rows(coarse, max(8, round(RULE_MIN_INCH * at)), thick,
                          gap=max(1, round(DOT_GAP_INCH * at)), dotted=True)
    # a table ruled as a grid loses all its rules, upright and across, on every reading: tesseract reads an upright
    # rule beside a figure as a character of it ("| 132,404 |", "a3)" for "(13)") and a row boxed in rules as
    # marks; with the grid gone the page reads as a plain table
    grid = _grid_rules(coarse, at, thick)
    solid_found, uprights = grid if grid is not None else (None, None)
    if grid is None and solid:
        solid_found = _across_rows(coarse, max(8, round(SOLID_RULE_MIN_INCH * at)), thick, gap=0, dotted=False)
    if dotted is None:
        return solid_found, uprights
    return (dotted if solid_found is None else dotted | solid_found), uprights


def _across_rows(coarse: np.ndarray, length: int, thick: int, *, gap: int, dotted: bool) -> np.ndarray | None:
    """The thin, isolated runs of ink at least `length` pixels long across the rows (gaps of up to `gap` pixels
    bridged), kept when `dotted` is as asked, or None."""
    runs = long_runs(_bridge(coarse, gap) if gap else coarse, length)
    if not runs.any():
        return None  # most pages: nothing as long as a rule
    # the rest of the work looks at the rows that hold a run and the rows beside them only (`_bands`)
    rows = _bands(np.flatnonzero(runs.any(axis=1)), margin=2, height=coarse.shape[0])
    ink_rows = np.vstack([coarse, np.zeros((1, coarse.shape[1]), dtype=bool)])[rows]
    run_rows = np.vstack([runs, np.zeros((1, runs.shape[1]), dtype=bool)])[rows]
    # across the rows only: a rule under a row is read into it, while the dotted rules between columns keep
    # tesseract's columns apart (taking them out of real scans merged rows and lost labels)
    found = _isolated(ink_rows, _thin(run_rows, thick), length)
    if dotted:
        found = _dotted(ink_rows, found, length)
    else:
        # a solid rule is taken out whole or not at all: a stub left where it nears the text reads as a dash
        found = _whole(run_rows, found)
    if not found.any():
        return None
    real = rows < coarse.shape[0]
    rules = np.zeros_like(coarse)
    rules[rows[real]] = found[real]
    return rules


def _bands(rows: np.ndarray, margin: int, height: int) -> np.ndarray:
    """The row indexes `rows` with `margin` rows either side, in order, with index `height` (a blank row the caller
    appends) between bands that do not touch: the bands stacked read as the page does there, and no band's edge
    borders another's."""
    wanted = np.zeros(height, dtype=bool)
    for d in range(-margin, margin + 1):
        wanted[np.clip(rows + d, 0, height - 1)] = True
    kept = np.flatnonzero(wanted)
    starts = np.flatnonzero(np.diff(kept) > 1) + 1  # where a new band begins
    return np.insert(kept, starts, height)


ISOLATION = 0.25
"""The largest share of a rule's length that may touch ink just above or below it. A rule stands clear of the
text (a descender may touch it here and there); a stretch of a text line that looks like a run (the tops of a
word's capitals, the bars of its small letters) has letter strokes above and below nearly all along."""


SOLID = 0.85
"""The share of a run's length that is ink above which it is a solid line. Tesseract finds and takes out solid
lines itself, and mostly reads the rows between them better with the lines there (on a page of shaded rows it read
nothing once the rules under the figures were gone); dotted and dashed rules it reads as letters
("ccoccasssecsoss"), so only those are painted out on a first reading."""


def _dotted(ink: np.ndarray, found: np.ndarray, length: int) -> np.ndarray:
    """The runs of `found` that are dotted or dashed: broken by gaps along a good share of their length."""
    return found & (_local(ink & found, length) < SOLID * _local(found, length))


WHOLE = 0.9
"""The share of a solid run that must be thin and clear of the text for the run to be taken out: a rule that
touches its figures, or thickens into a box or a bar, stays as printed."""


def _whole(runs: np.ndarray, kept: np.ndarray) -> np.ndarray:
    """The runs of `runs` (row by row) of which at least WHOLE is `kept`, each taken whole."""
    out = np.zeros_like(runs)
    edges = np.diff(np.pad(runs, ((0, 0), (1, 1))).astype(np.int8), axis=1)
    starts, ends = np.argwhere(edges == 1), np.argwhere(edges == -1)  # both in row order, paired
    sums = np.pad(np.cumsum(kept, axis=1, dtype=np.int32), ((0, 0), (1, 0)))
    for (row, start), (_, end) in zip(starts, ends, strict=True):
        if sums[row, end] - sums[row, start] >= WHOLE * (end - start):
            out[row, start:end] = True
    return out


GRID_RULE_MIN_INCH = 1.0
"""The shortest upright rule counted as a grid's: taller than any character, as tall as a few rows of a table."""


GRID_CELL_RULE_MIN_INCH = 0.4
"""The shortest upright rule taken out of a page ruled as a grid: the rules between the columns of a short table,
or under a heading that spans columns, are shorter than the grid's longest, but taller than two lines of text."""

RULE_PIECE_INCH = 0.15
"""A scanned rule leans a pixel every so often; between the steps it runs straight for longer than this. The
strokes of a line of text beside it are shorter (a capital at body size is a tenth of an inch tall), and stay."""


def _grid_rules(coarse: np.ndarray, at: float, thick: int) -> tuple[np.ndarray, np.ndarray] | None:
    """The rules across and the upright rules of a page that rules a table as a grid, or None."""
    # most pages rule no grid: that is seen at a quarter of the resolution, where a page without an upright run an
    # inch long in two places costs a sixteenth of the work
    rough = _coarse(coarse, 4)
    gap = max(1, round(DOT_GAP_INCH * at / 4))
    runs = _leaning_runs(np.ascontiguousarray(rough.T), max(8, round(GRID_RULE_MIN_INCH * at / 4)), thick, gap=gap)
    if not _in_two_places(runs):
        return None
    return _grid_at(coarse, at, thick)


def _grid_at(coarse: np.ndarray, at: float, thick: int) -> tuple[np.ndarray, np.ndarray] | None:
    """The rules across and the upright rules of `coarse` (a page's ink at `at` dpi) when it is ruled as a grid
    (thin upright rules an inch tall or more in two places or more), else None."""
    piece = max(4, round(RULE_PIECE_INCH * at))
    # no gap is bridged across: the feet of a line of figures would join up into a run
    length, straight = max(8, round(SOLID_RULE_MIN_INCH * at)), long_runs(coarse, piece)
    across = _leaning_runs(coarse, length, thick, gap=0, straight=straight)
    overlaid = _leaning_runs(coarse, length, max(thick, round(OVERLAID_RULE_MAX_THICK_INCH * at)), gap=0,
                             straight=straight)
    across |= _running_on(overlaid & ~across, across, thick)
    # upright rules are looked for with the rules across gone: a rule under each row would chain the stems of
    # the labels' first letters, one above the other, into an upright run; the gaps the rules across leave in the
    # upright ones are bridged, as are the breaks of a scanned rule
    columns = np.ascontiguousarray(coarse.T)
    rest, straight = columns & ~np.ascontiguousarray(across.T), long_runs(columns, piece)
    gap = max(1, round(DOT_GAP_INCH * at))
    uprights = _leaning_runs(rest, max(8, round(GRID_RULE_MIN_INCH * at)), thick, gap=gap, straight=straight)
    if not _in_two_places(uprights):
        return None
    # and the grid's shorter upright rules
    uprights = _leaning_runs(rest, max(8, round(GRID_CELL_RULE_MIN_INCH * at)), thick, gap=gap, straight=straight)
    return across, np.ascontiguousarray(uprights.T)


def _running_on(pieces: np.ndarray, rules: np.ndarray, reach: int) -> np.ndarray:
    """The runs of `pieces` (row by row) that touch a pixel of `rules` along their row, or come within `reach` rows
    of one: the band a total's rule makes over a grid's rule ends where the grid's rule runs on alone."""
    near = rules.copy()
    near[:, 1:] |= rules[:, :-1]
    near[:, :-1] |= rules[:, 1:]
    for _ in range(reach):  # and up and down the band
        near[1:] |= near[:-1].copy()
        near[:-1] |= near[1:].copy()
    # each run of `pieces` numbered, a column of paper after each row keeping runs of two rows apart
    padded = np.zeros((pieces.shape[0], pieces.shape[1] + 1), dtype=bool)
    padded[:, :-1] = pieces
    flat = padded.ravel()
    starts = flat & ~np.r_[False, flat[:-1]]
    number = np.cumsum(starts) * flat
    touching = np.unique(number[flat & np.pad(near, ((0, 0), (0, 1))).ravel()])
    kept = np.isin(number, touching[touching > 0])
    return kept.reshape(padded.shape)[:, :-1]


def _in_two_places(uprights: np.ndarray) -> bool:
    """Whether the upright rules (the mask transposed: a row per pixel column) stand in two places or more, apart
    from each other: a grid's, not the two edges of one rule."""
    edges = np.flatnonzero(np.diff(np.r_[0, uprights.any(axis=1).astype(np.int8), 0]))
    return len(edges) >= 4  # a start and an end for each place


def _leaning_runs(mask: np.ndarray, length: int, thick: int, *, gap: int,
                  straight: np.ndarray | None = None) -> np.ndarray:
    """The ink of the thin runs of `mask` at least `length` pixels long across the rows, found as a scanned rule
    prints: leaning a pixel or two over its length (so it is looked for a pixel wider on either side), with gaps of
    up to `gap` pixels bridged, and, when given, made of the `straight` pieces of ink (a rule's between the steps of
    its lean, not the strokes of the letters beside it)."""
    wide = mask.copy()
    wide[1:] |= mask[:-1]
    wide[:-1] |= mask[1:]
    runs = long_runs(_bridge(wide, gap) if gap else wide, length)
    # thin (a pixel wider on either side): a bar, a photo or a black tab at the page's edge is no rule
    found = _thin(runs, thick + 2) & mask
    return found if straight is None else found & straight


def _local(mask: np.ndarray, window: int) -> np.ndarray:
    """How many pixels of `mask` lie within `window` pixels along the row, centred on each pixel."""
    pad = window // 2
    padded = np.zeros((mask.shape[0], mask.shape[1] + 2 * pad + 1), dtype=bool)
    padded[:, pad : pad + mask.shape[1]] = mask
    return _window_sums(padded, window)[:, : mask.shape[1]]


def _isolated(ink: np.ndarray, found: np.ndarray, length: int) -> np.ndarray:
    """The runs of `found` that stand clear of other ink above and below them along most of their length."""
    other = ink & ~found
    touching = np.zeros_like(found)
    touching[1:] |= found[1:] & other[:-1]  # ink just above
    touching[:-1] |= found[:-1] & other[1:]  # ink just below
    # a band's own rows: a pixel of a two-row rule touches through the row beside it
    touched = touching.copy()
    touched[1:] |= touching[:-1] & found[1:]
    touched[:-1] |= touching[1:] & found[:-1]
    share = _local(touched, length) / np.maximum(_local(found, length), 1)
    return found & (share <= ISOLATION)


def _thin(found: np.ndarray, thick: int) -> np.ndarray:
    """Keep only runs at most `thick` pixels tall: a solid block (a shaded box, a photo, a bar of a chart) is no
    rule, and painting it out would take the text printed on it."""
    tall = long_runs(np.ascontiguousarray(found.T), thick + 1).T
    return found & ~tall

