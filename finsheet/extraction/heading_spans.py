"""Which columns a heading spans: a heading centred between two columns or in the gap between two dated ones
("Group" over "2022 2021"), a date centred over a run of named columns ("2022" over "Without | With donor
restrictions | Total"), and the guards that keep a column's own heading its own (another heading nearer it, a
heading wrapped onto the line below). Used by headings.column_headings and its grouping of heading lines."""

from __future__ import annotations

import re

from finsheet.extraction.columns import Column
from finsheet.extraction.numbers import unit_word
from finsheet.extraction.periods import read_heading
from finsheet.model import Word

DATED = re.compile(r"(?:19|20)\d\d|\b\d{1,2}[/.]\d{1,2}[/.]\d\d")
"""A year or a numeric date: what a dated heading holds."""

PERIOD_WORDS = re.compile(r"\b(?:ended|ending|months|weeks|year|years|quarter|period|fiscal)\b", re.I)
"""Words of a heading over a period's columns ("Year ended", "Three months"): it spans them, whatever its shape."""

YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
"""A year standing alone, not within a longer number."""


def centred(mid: float, a: Column, b: Column) -> bool:
    """A heading standing (roughly) midway between two neighbouring columns spans both."""
    centre = (a.xc + b.xc) / 2
    off = abs(mid - centre)  # nearer the midpoint than either column's own centre, which a column's heading is
    return off <= 0.25 * abs(a.xc - b.xc) and off < min(abs(mid - a.xc), abs(mid - b.xc))


def headed_extents(columns: list[Column], phrases: list[list[Word]]) -> list[tuple[float, float] | None]:
    """Each column's reach across its figures and its own date: the lowest dated heading over it alone ("31
    December 2022" is often wider than the column's figures). A date higher up is the title block's ("As at 30 June
    2022", centred on the page over whichever column stands there). None for a column with no date of its own."""
    own: dict[int, list[Word]] = {}
    for phrase in phrases:
        over = [k for k, c in enumerate(columns) if overlap(phrase, c) > 0]
        if len(over) == 1 and DATED.search(" ".join(w.text for w in phrase)) \
                and (over[0] not in own or phrase[0].top > own[over[0]][0].top):
            own[over[0]] = phrase
    return [(min(c.x0, own[k][0].x0), max(c.x1, own[k][-1].x1)) if k in own else None
            for k, c in enumerate(columns)]


def in_gutter(mid: float, a: tuple[float, float] | None, b: tuple[float, float] | None) -> bool:
    """A heading centred in the gap between two neighbouring dated columns (their figures and dates, in either
    order) spans both ("Group" over two years, centred on their cells, right of the first year's figures): a column's
    own heading, aligned right or centred, stands over its own figures or date. Columns with no date (an equity
    statement's components) leave the gap to the other rules: "Common Stock" over "Shares | Amount" is no heading of
    the next component."""
    return a is not None and b is not None and min(a[1], b[1]) < mid < max(a[0], b[0])


def claimed(phrase: list[Word], column: Column, phrases: list[list[Word]], *, dated: bool = False) -> bool:
    """Whether another heading on the phrase's line (with `dated`, another dated one) stands nearer the column: the
    column's own ("Shares" beside "Amount"), which a neighbour's heading does not span."""
    def gap(p: list[Word]) -> float:
        return abs((p[0].x0 + p[-1].x1) / 2 - column.xc)

    tol = 0.4 * max(phrase[0].bottom - phrase[0].top, 4.0)
    return any(p is not phrase and abs(p[0].top - phrase[0].top) <= tol and gap(p) < gap(phrase)
               and (not dated or bool(DATED.search(" ".join(w.text for w in p)))) for p in phrases)


def wrapped(phrase: list[Word], phrases: list[list[Word]], spacing: float) -> bool:
    """Whether the heading goes on in the line below, centred where it is ("Accumulated Other / Comprehensive /
    Income"): one column's wrapped heading, not a heading over several columns."""
    mid = (phrase[0].x0 + phrase[-1].x1) / 2
    height = max(phrase[0].bottom - phrase[0].top, 4.0)
    # a date below ("2022", "30 June") is the column's period, not the heading's words going on
    return any(0 < p[0].top - phrase[0].top <= 1.8 * height and abs((p[0].x0 + p[-1].x1) / 2 - mid) < 0.25 * spacing
               and not _dated_words(" ".join(w.text for w in p)) for p in phrases)


def _dated_words(text: str) -> bool:
    return bool(DATED.search(text)) or read_heading(text).month is not None


def overlap(phrase: list[Word], column: Column) -> float:
    return min(phrase[-1].x1, column.x1) - max(phrase[0].x0, column.x0)


def year_run(phrase: list[Word], k: int, columns: list[Column], phrases: list[list[Word]],
              spacing: float) -> list[int]:
    """The columns a date standing over column k heads: k, or the run of columns it is centred over when its
    neighbours have no date of their own ("2022" centred over "Without Donor Restrictions | With Donor
    Restrictions | Total", beside "2021" over one total). Only neighbours headed below by words of their own
    (what part of the year they show) are the date's; one headed only by a unit or a currency sign ("£" over
    inner and outer columns), within another date's reach on the line, or with a date of its own below is not."""
    mid, top = (phrase[0].x0 + phrase[-1].x1) / 2, phrase[0].top
    tol = 0.4 * max(phrase[0].bottom - top, 4.0)
    dated = [p for p in phrases if p is not phrase and DATED.search(" ".join(w.text for w in p))]
    line = [p for p in dated if abs(p[0].top - top) <= tol]
    below = [p for p in dated if p[0].top > top + tol]

    def own_date(j: int) -> bool:
        return any(overlap(p, columns[j]) > 0 for p in below)

    def named(j: int) -> bool:  # headed below by words naming what it shows, not by a unit or currency sign
        return any(overlap(p, columns[j]) > 0 and any(re.match(r"[A-Za-z]{3}", w.text) and not unit_word(w.text)
                                                       for w in p) for p in phrases if p[0].top > top + tol)

    def free(j: int) -> bool:  # named, and within no other date's reach on the line (as a date's columns are found)
        xc = columns[j].xc
        return named(j) and not own_date(j) and not any(p[0].x0 - 0.25 * spacing <= xc <= p[-1].x1 + 0.25 * spacing
                                                        for p in line)

    def off(a: int, b: int) -> float:
        """How far the date stands from the run's middle: of its figures, or, for a run of one or three columns,
        of its cells (figures set right in cells `spacing` wide, the date centred on the cells). An even run's
        cells meet at a column's right edge, where a date set flush right over that one column also stands."""
        figures = abs(mid - (columns[a].xc + columns[b].xc) / 2)
        cells = abs(mid - (columns[a].x1 - spacing + columns[b].x1) / 2)
        return min(figures, cells) if (b - a) % 2 == 0 else figures

    if own_date(k):
        return [k]
    close = 0.12 * spacing  # as well centred: a run's middle and one column's centre coincide for an odd run
    best, best_off = [k], off(k, k)
    for a in range(k, -1, -1):
        if a != k and not free(a):
            break
        for b in range(k, len(columns)):
            if b != k and not free(b):
                break
            # the run the date is centred over; a longer one where it is as well centred over both
            # an even run's middle is between two columns: the date must stand nearer it than to either
            beside = (b - a) % 2 == 1 and off(a, b) >= min(abs(mid - columns[j].xc) for j in range(a, b + 1))
            if b > a and not beside and off(a, b) <= 0.25 * spacing and (
                    off(a, b) < best_off - close or (
                    off(a, b) <= best_off + close and b - a + 1 > len(best))):
                best, best_off = list(range(a, b + 1)), off(a, b)
    return best


def over_run(mid: float, run: list[Column]) -> bool:
    """Whether a heading centred at `mid` stands over the middle of a run of columns: within their reach and
    nearer the run's middle than to any one column's centre."""
    middle = (run[0].x0 + run[-1].x1) / 2
    return run[0].x0 <= mid <= run[-1].x1 and all(abs(mid - middle) <= abs(mid - c.xc) for c in run)
