"""The value columns of a statement page: found from where its figures stand, told apart by kind (values, notes,
%-change, a convenience translation), and the heading phrases standing over each."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from finsheet.extraction import numbers
from finsheet.extraction.pdf import group_lines
from finsheet.extraction.rows import NOTE_HEADER, Cell, Row
from finsheet.model import LOW_CONFIDENCE, Word


@dataclass(slots=True)
class Column:
    x0: float
    x1: float
    cells: list[tuple[int, Cell]] = field(default_factory=list)
    kind: str = "value"  # value | note | percent | translation

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2


def find_columns(rows: list[Row], known: Sequence[Column] = ()) -> list[Column]:
    """Value columns from the figures' x-extents, left to right. `known` are the columns the statement's page before
    found: a page that continues it keeps its columns, so a figure there is a column's even where only one line of
    the page fills it (a closing balance under a page of movements)."""
    # nil dashes are narrow and sit anywhere under a column, and a box OCR stretched over marks beside its figure
    # stands wider than its column: they are placed once the columns are known
    items = sorted(((i, c) for i, r in enumerate(rows) for c in r.cells
                    if not numbers.is_nil(c.figure.raw) and not c.figure.unreadable and not stretched(c)),
                   key=lambda ic: ic[1].x0)
    columns: list[Column] = []
    for i, cell in items:
        if columns and cell.x0 <= columns[-1].x1 - 0.5:
            col = columns[-1]
            col.x1 = max(col.x1, cell.x1)
            col.cells.append((i, cell))
        else:
            columns.append(Column(cell.x0, cell.x1, [(i, cell)]))
    columns = [part for col in columns for part in _split_crowded(col)]
    # figures that each continue their label's text at a word space, lined up by the labels' wrapping, are no
    # column of amounts: they stay the labels' words
    columns = [c for c in columns if not all(cell.inline for _, cell in c.cells)]
    if not columns:
        return []
    biggest = max(len(c.cells) for c in columns)
    fullest = max(columns, key=lambda c: len(c.cells))
    return [c for c in columns
            if (len(c.cells) + _nil_lines(c, rows) >= max(2, 0.12 * biggest) or biggest < 2 or lines_up(c, known))
            and not _dirt(c, biggest, right=c.x0 > fullest.x1)]


def _nil_lines(col: Column, rows: list[Row]) -> int:
    """The lines that print a nil dash under the column, where it holds no figure: a dash is an entry of the column
    (the line's amount is nil), so a component of equity that moves on two lines of twenty, dashes on the others,
    is a column, however few its figures, and one of small figures is no Notes column. Only a text layer's dashes
    count: OCR reads specks and rules as dashes."""
    figured = {i for i, _ in col.cells}
    return sum(1 for i, r in enumerate(rows) if i not in figured and any(
        numbers.is_nil(c.figure.raw) and c.conf >= 1.0 and c.x1 >= col.x0 - 2 and c.x0 <= col.x1 + 2
        for c in r.cells))


def lines_up(col: Column, known: Sequence[Column]) -> bool:
    """Whether a column stands where one of `known` stood: they overlap by most of the narrower's width."""
    return any(min(col.x1, k.x1) - max(col.x0, k.x0) > 0.5 * min(col.x1 - col.x0, k.x1 - k.x0) for k in known)


def stretched(cell: Cell) -> bool:
    """A figure OCR doubts whose box is wider than its characters could fill (no digit is wider than the line is
    tall): its box took in a rule or specks beside it ("9372.0" boxed from the Notes column to the figures)."""
    return cell.conf < UNSURE and cell.x1 - cell.x0 > len(cell.figure.raw) * (cell.bottom - cell.top)


SPARSE = 0.25
"""A value column holds a figure in most of a statement's rows: one holding fewer than a quarter of the figures its
fullest column holds is an inner column of details, or something other than a column of amounts."""


def _dirt(col: Column, biggest: int, *, right: bool) -> bool:
    """A sparse column of a scan made only of what OCR doubts, or (right of the amounts, where no Notes column
    stands) only of lone digits: specks in a dot leader, a fold or the page's edge that tesseract read as "0",
    "3" or "00.0000", lined up by chance. A text layer's figures are always kept."""
    if len(col.cells) >= SPARSE * biggest or any(c.conf >= 1.0 for _, c in col.cells):
        return False
    return all(c.conf < UNSURE for _, c in col.cells) or (
        right and all(re.fullmatch(r"\d", c.figure.raw) for _, c in col.cells))


UNSURE = 0.4
"""Tesseract's confidence under which its reading of a word is a guess, more often wrong than right."""


def _split_crowded(col: Column) -> list[Column]:
    """A column holding two figures of one row is really two columns: split it at its widest gap."""
    rows = Counter(i for i, _ in col.cells)
    if not rows or max(rows.values()) < 2 or len(col.cells) < 3:
        return [col]
    ends = sorted(c.x1 for _, c in col.cells)
    gaps = [(ends[k + 1] - ends[k], k) for k in range(len(ends) - 1)]
    _, k = max(gaps)
    cut = (ends[k] + ends[k + 1]) / 2
    left = Column(col.x0, cut, [(i, c) for i, c in col.cells if c.x1 <= cut])
    right = Column(cut, col.x1, [(i, c) for i, c in col.cells if c.x1 > cut])
    if not left.cells or not right.cells:
        return [col]
    for part in (left, right):
        part.x0 = min(c.x0 for _, c in part.cells)
        part.x1 = max(c.x1 for _, c in part.cells)
    return _split_crowded(left) + _split_crowded(right)


def classify_columns(columns: list[Column], rows: list[Row], header_words: list[Word]) -> None:
    """Mark the Notes column and percentage columns, which are not periods."""
    changes = _change_headings(header_words)
    _mark_translations(columns, header_words)
    for k, col in enumerate(columns):
        if col.kind != "value":
            continue
        figures = [c.figure for _, c in col.cells]
        if sum(f.percent for f in figures) >= 0.6 * len(figures):
            col.kind = "percent"
            continue
        if any(_heads(x0, x1, k, columns) for x0, x1 in changes):
            # a "% Change" / "Variance" column compares two periods, a "% of sales" column relates a line to
            # revenue: neither is a period
            col.kind = "percent"
            continue
        under_note = under_note_heading(col, header_words)
        refs = [_NOTE_NUMBER.fullmatch(c.figure.raw) is not None for _, c in col.cells]
        small_ints = all(refs)
        # a note's sections are numbered within it ("3.1", "12.4"): under a Notes heading, with the amounts to its
        # right (notes stand between the labels and the amounts), a column of such references is the Notes column;
        # so is one of references where OCR misread one or two, doubting them ("249" for "11, 12")
        amounts_right = k + 1 < len(columns)
        sections = amounts_right and all(_NOTE_SECTION.fullmatch(f.raw) for f in figures)
        misread = amounts_right and sum(refs) >= 2 and all(
            ref or c.conf < LOW_CONFIDENCE for ref, (_, c) in zip(refs, col.cells, strict=True))
        if under_note and (small_ints or sections or misread):
            col.kind = "note"
        elif small_ints and k == 0 and len(columns) >= 3 and _beside_bigger(col, rows) and _nil_lines(col, rows) < 2:
            # note numbers with no heading over them (a second statement on the page); a line with no note leaves
            # the Notes column blank, so small figures with nil dashes between them are amounts (a share capital of
            # "4" thousand on a statement of changes in equity's balance lines, "–" on its movements)
            col.kind = "note"


def under_note_heading(column: Column, words: list[Word]) -> bool:
    """Whether a "Note(s)" heading stands over the column."""
    return any(NOTE_HEADER.match(w.text.strip(":")) and w.x0 - 12 <= column.xc <= w.x1 + 12 for w in words)


def column_phrases(columns: list[Column], header_words: list[Word]) -> list[list[list[Word]]]:
    """The heading phrases standing over each column alone (words a word space apart, cut at wider gaps): a
    phrase wider than its column ("RMB in millions") is still that column's; one spanning several columns
    ("Year ended December 31") is none's own."""
    out: list[list[list[Word]]] = [[] for _ in columns]
    for line in group_lines(header_words):
        phrases: list[list[Word]] = [[line[0]]]
        for w in line[1:]:
            if w.x0 - phrases[-1][-1].x1 <= 0.8 * max(w.bottom - w.top, 4.0):
                phrases[-1].append(w)
            else:
                phrases.append([w])
        for phrase in phrases:
            x0, x1 = phrase[0].x0, phrase[-1].x1
            over = [k for k, col in enumerate(columns) if x0 <= col.x1 + 10 and x1 >= col.x0 - 10]
            # a heading stands over its column: a centred title or unit caption that only reaches into the first
            # column with its last words ("(in thousands of Canadian dollars)") is the table's, not the column's
            if len(over) == 1 and _overlap(phrase, columns[over[0]]) >= 0.5 * (x1 - x0):
                out[over[0]].append(phrase)
    return out


def _overlap(phrase: list[Word], col: Column) -> float:
    """How much of a phrase's width stands over a column (widened by 10 pt either side)."""
    return min(phrase[-1].x1, col.x1 + 10) - max(phrase[0].x0, col.x0 - 10)


def _mark_translations(columns: list[Column], header_words: list[Word]) -> None:
    """A convenience translation (US$ beside RMB or yen) is the last period again in another currency: the
    column whose heading names a currency unlike the other columns' common one is set aside, not read as a
    period of its own."""
    currencies: list[str | None] = []
    for phrases in column_phrases(columns, header_words):
        over = " ".join(w.text for phrase in phrases for w in phrase)
        currencies.append(numbers.find_currency(over) if over else None)
    named = [c for c in currencies if c]
    if len(set(named)) < 2:
        return
    common, count = Counter(named).most_common(1)[0]
    if count < 2 or count == len(named) - count:
        return  # no currency the statement is plainly in
    for col, currency in zip(columns, currencies, strict=True):
        if currency and currency != common:
            col.kind = "translation"


_NOTE_SECTION = re.compile(r"\d{1,2}\.\d{1,2}[a-z]?")
"""A reference to a section of a note ("3.1", "12.4"): no sign, no separator, a note's number and a section's."""
_NOTE_NUMBER = re.compile(r"\d{1,2}[a-z]?|\(?\d{1,2}[a-z]?\)")
"""A note's number ("9", "12b"), bracketed in some documents: "(9)" is note 9, not -9."""

_CHANGE_HEADING = re.compile(
    r"^(?:%|% ?change|change|% ?chg\.?|variance|var\.?|% ?var\.?"
    r"|(?:(?:%|percent(?:age)?) )?of (?:net )?(?:sales|revenues?|turnover|total(?: revenues?)?)|percent(?:age)?)$",
    re.I,
)
"""Headings of columns of ratios: a change between periods, or a line's share of revenue ("% of sales"; "of revenue"
where OCR lost the small "%": no period is headed "of revenue")."""


def _heads(x0: float, x1: float, k: int, columns: list[Column]) -> bool:
    """Whether a heading standing at x0..x1 heads column k: it stands over the column's centre, or (right-aligned
    over figures wider than itself, "%" over "100.0") over its figures, overlapping no other column more."""
    col = columns[k]
    if x0 - 4 <= col.xc <= x1 + 4:
        return True
    overlaps = [min(x1, c.x1) - max(x0, c.x0) for c in columns]
    return overlaps[k] > 0 and overlaps[k] == max(overlaps)


def _change_headings(header_words: list[Word]) -> list[tuple[float, float]]:
    """Where column headings such as "% Change", "Variance" or "% of sales" stand (x-ranges): short phrases on their
    own."""
    out = []
    for line in group_lines(header_words):
        phrase = [line[0]]
        for w in [*line[1:], None]:
            if w is not None and w.x0 - phrase[-1].x1 <= 0.8 * max(w.bottom - w.top, 4.0):  # a word space
                phrase.append(w)
                continue
            if _CHANGE_HEADING.match(" ".join(p.text for p in phrase)):
                out.append((phrase[0].x0, phrase[-1].x1))
            if w is not None:
                phrase = [w]
    return out


def _beside_bigger(col: Column, rows: list[Row]) -> bool:
    """Whether the rows this column's figures stand in carry much bigger figures in their other cells."""
    bigger = 0
    for i, cell in col.cells:
        others = [c for c in rows[i].cells if c is not cell]
        if any(abs(c.figure.value) >= 100 or "." in c.figure.raw for c in others):
            bigger += 1
    return bigger >= 0.5 * len(col.cells)


