"""The headings of narrow named columns, each set on its own column.

A statement of changes in equity names a column per component ("Shares | Amount | Paid-In Capital | Treasury Stock
| Retained Earnings | ...") in columns a word or two apart. Each column's name is stacked over its figures a word a
line, centred on the column or set flush right with it, and the words of neighbouring columns that share a line stand
as close as the words of one heading ("Treasury Retained Comprehensive Noncontrolling", "Shares Amount"): read as
one phrase, they head every column they cross. A heading spanning columns ("Common Stock" over "Shares | Amount") is
centred on its span, and its words fall where they fall: it is not aligned with the columns' own headings.

`split_own_headings` cuts such a line into the columns' own headings; `stacked_column` tells the one column a short
heading is stacked on when its reach also takes in a neighbour ("Share-based" over "payment / reserve").
"""

from __future__ import annotations

from finsheet.extraction.columns import Column
from finsheet.extraction.heading_spans import DATED, PERIOD_WORDS, overlap
from finsheet.extraction.numbers import names_units
from finsheet.extraction.periods import read_heading
from finsheet.model import Word

Phrase = list[Word]

ALIGNED_SHARE = 0.12
"""How far a heading may stand from what it is stacked on (the column's heading on the line below; on the lowest
line, the one above or the column's figures), as a share of the columns' pitch, and still be set on it: a column's
heading is centred on the column, or set flush right with it, line by line, to the point. A spanning heading's word
falling within this of a column's alignment by chance is what the other conditions guard against (every word of the
line over one column alone, adjacent columns, no date, no line of its own heading centred under it)."""


def _text(phrase: Phrase) -> str:
    return " ".join(w.text for w in phrase)


def _dateless(phrase: Phrase) -> bool:
    """A heading naming no date or period: a component's name ("Retained Earnings"), not a column's period."""
    text = _text(phrase)
    if DATED.search(text) or PERIOD_WORDS.search(text):
        return False
    info = read_heading(text)
    return info.month is None and info.year is None and info.months is None


def _over(phrase: Phrase, columns: list[Column]) -> list[int]:
    """The columns whose figures the phrase stands over."""
    return [k for k, c in enumerate(columns) if overlap(phrase, c) > 0]


def _aligned(a: tuple[float, float], b: tuple[float, float], tol: float) -> bool:
    """Centred on each other, or flush right."""
    return abs((a[0] + a[1]) / 2 - (b[0] + b[1]) / 2) <= tol or abs(a[1] - b[1]) <= tol


def _same_line(a: Phrase, b: Phrase) -> bool:
    return abs(a[0].top - b[0].top) <= 0.4 * max(a[0].bottom - a[0].top, 4.0)


STACKED_LINES = 2.5
"""The farthest apart, in line heights, two lines of one column's heading stand: a heading is stacked a line under
another, at the leading. A units line or a heading spanning columns stands apart, above the stacks."""


def _own_words(phrase: Phrase, k: int, columns: list[Column]) -> Phrase:
    """The words of a phrase that stand over column k alone and nearest its centre: the column's own, in a line read
    as one phrase with its neighbours'."""
    return [w for w in phrase if _nearest(w, columns) == k and _over([w], columns) == [k]]


def _nearest(word: Word, columns: list[Column]) -> int:
    return min(range(len(columns)), key=lambda k: abs(columns[k].xc - (word.x0 + word.x1) / 2))


def _stacked_on(piece: Phrase, k: int, columns: list[Column], phrases: list[Phrase]) -> list[tuple[float, float]]:
    """What a heading over column k may be set on: the column's own dateless heading on the line just below it; on
    the lowest line of headings, the column's heading on the line just above it and the column's figures. Nothing
    when the heading nearest below it names a date ("Parent Company" over "2022 | 2021" is a heading of its span,
    whatever its words' places) or stands apart from it, or when a date stands above it: the column is a period's.
    A units line ("(In millions)") is no column's heading to be set on."""
    top, height = piece[0].top, max(piece[0].bottom - piece[0].top, 4.0)

    def extent(p: Phrase) -> tuple[float, float]:
        return p[0].x0, p[-1].x1

    stack = [p for p in phrases if p is not piece and not _same_line(p, piece) and overlap(p, columns[k]) > 0]
    below = [p for p in stack if p[0].top > top]
    if below:
        nearest = min(below, key=lambda p: p[0].top)
        own = _own_words(nearest, k, columns)
        if not _dateless(nearest) or names_units(_text(nearest)) or nearest[0].top - top > STACKED_LINES * height \
                or not own:
            return []
        return [extent(own)]
    if any(p[0].top < top and not _dateless(p) for p in stack):
        return []  # a column dated above: a period's, whose headings the periods' rules place
    above = [p for p in stack if top - STACKED_LINES * height <= p[0].top < top and not names_units(_text(p))]
    own = _own_words(max(above, key=lambda p: p[0].top), k, columns) if above else []
    return [*([extent(own)] if own else []), (columns[k].x0, columns[k].x1)]


def _spanning_stack(phrase: Phrase, columns: list[Column], others: list[Phrase], tol: float) -> bool:
    """Whether the line under the phrase holds a phrase over the same columns centred with it: the lines of one
    heading centred over its span ("$0.01 Par Value / Common Stock" over "Shares | Amount"), whose words, lines of
    like width on one axis, may fall on the columns' axes too. The lowest line of headings is the columns' own."""
    span, height = _over(phrase, columns), max(phrase[0].bottom - phrase[0].top, 4.0)
    middle = (phrase[0].x0 + phrase[-1].x1) / 2
    return any(0 < p[0].top - phrase[0].top <= STACKED_LINES * height and not _same_line(p, phrase)
               and _over(p, columns) == span and abs((p[0].x0 + p[-1].x1) / 2 - middle) <= tol for p in others)


def _own_pieces(phrase: Phrase, columns: list[Column], phrases: list[Phrase], pitch: float) -> list[Phrase]:
    """The phrase cut into the own headings of adjacent columns it is made of, or the phrase whole."""
    if len(phrase) < 2 or not _dateless(phrase) or names_units(_text(phrase)):
        return [phrase]
    pieces: list[tuple[int, Phrase]] = []
    for word in phrase:
        k = _nearest(word, columns)
        if pieces and pieces[-1][0] == k:
            pieces[-1][1].append(word)
        else:
            pieces.append((k, [word]))
    if len(pieces) < 2 or any(b[0] != a[0] + 1 for a, b in zip(pieces, pieces[1:], strict=False)):
        return [phrase]
    others = [p for p in phrases if p is not phrase]
    if _spanning_stack(phrase, columns, others, ALIGNED_SHARE * pitch):
        return [phrase]
    for k, piece in pieces:
        if _over(piece, columns) != [k]:
            return [phrase]  # a word over no column or over two: no column's own heading
        if not any(_aligned((piece[0].x0, piece[-1].x1), on, ALIGNED_SHARE * pitch)
                   for on in _stacked_on(piece, k, columns, others)):
            return [phrase]
    return [piece for _, piece in pieces]


def split_own_headings(phrases: list[Phrase], columns: list[Column], pitch: float) -> list[Phrase]:
    """The header phrases with each line of several columns' own headings, read as one phrase, cut into those
    headings."""
    if len(columns) < 2:
        return phrases
    return [piece for phrase in phrases for piece in _own_pieces(phrase, columns, phrases, pitch)]


def stacked_column(phrase: Phrase, columns: list[Column], phrases: list[Phrase], pitch: float) -> int | None:
    """The column a dateless heading over one column's figures alone is stacked on (aligned with the column's own
    heading on the line below, or on the lowest line with the one above or the figures), though its reach takes in
    a neighbour's centre ("Share-based" flush right over "payment") or falls short of its own (a short "Loss" centred
    under "Comprehensive", left of narrow figures). None otherwise."""
    over = _over(phrase, columns)
    if len(over) != 1 or not _dateless(phrase) or names_units(_text(phrase)):
        return None
    others = [p for p in phrases if p is not phrase]
    if any(_aligned((phrase[0].x0, phrase[-1].x1), on, ALIGNED_SHARE * pitch)
           for on in _stacked_on(phrase, over[0], columns, others)):
        return over[0]
    return None
