"""A statement's figures placed in its columns: which column each figure of a row stands in, the Notes column's
references taken out of the label, and a line of column headings printed again mid-table dropped."""

from __future__ import annotations

import re

from finsheet.extraction import numbers
from finsheet.extraction.columns import Column, stretched
from finsheet.extraction.heading_spans import YEAR
from finsheet.extraction.numbers import unit_word
from finsheet.extraction.rows import GARBLED, NOTE_HEADER, NOTE_TOKEN, Cell, Row
from finsheet.model import LOW_CONFIDENCE, Word


def note_range(header_words: list[Word], columns: list[Column]) -> tuple[float, float] | None:
    """Where the Notes column stands: under its heading, or where the note-number figures are."""
    notes = [c for c in columns if c.kind == "note"]
    if notes:
        return notes[0].x0 - 15, notes[0].x1 + 15
    heads = [w for w in header_words if NOTE_HEADER.match(w.text.strip(":"))]
    if heads:
        return heads[0].x0 - 15, heads[0].x1 + 15
    return None


def note_line(row: Row, notes: tuple[float, float] | None) -> bool:
    """A line of nothing but the Notes column's reference: a wrapped label's note, set between the label's lines
    ("PROFIT ON ORDINARY ACTIVITIES BEFORE" / "11" / "TAXATION  27  (3,453)"), which OCR reads as a line of its own;
    or a speck there that OCR doubts, a reference misread ("HW" for "11"). No figures, and no word that a label or
    another table's headings would print: those start at the labels' margin or stand over the figure columns."""
    if notes is None or row.values or not row.words:
        return False
    lo, hi = notes
    # a doubted scrap of three characters at most: the width of a reference, not of a word of a heading
    return all(lo <= w.xc <= hi and (NOTE_TOKEN.match(w.text) is not None
                                     or (w.conf < LOW_CONFIDENCE and len(w.text) <= 3)) for w in row.words)


def lift_note_lines(rows: list[Row], notes: tuple[float, float] | None) -> list[Row]:
    """The rows without the lines holding only a note reference (`note_line`): each reference goes to the next line
    with figures, the wrapped label's last line, which names the item; a misread one is dropped."""
    out: list[Row] = []
    for k, row in enumerate(rows):
        if not note_line(row, notes):
            out.append(row)
            continue
        refs = [w.text for w in row.words if NOTE_TOKEN.match(w.text)]
        below = next((r for r in rows[k + 1:k + 3] if r.values), None)
        if refs and below is not None and below.note is None:
            below.note = " ".join(refs)
    return out


def column_of(cell: Cell, columns: list[Column]) -> int | None:
    """The column a figure stands in: the one it overlaps, else (a nil dash, a hanging parenthesis) the one whose
    right edge is nearest to its own. A box OCR stretched over marks beside its figure is placed by its right end
    first: figures are set flush right, and its middle may stand over another column."""
    if not columns:
        return None
    if stretched(cell) and (k := _by_right_edge(cell, columns, 8.0)) is not None:
        return k
    k = next((k for k, c in enumerate(columns) if c.x0 - 2 <= cell.xc <= c.x1 + 2), None)
    if k is not None:
        return k
    return _by_right_edge(cell, columns, 25.0 if numbers.is_nil(cell.figure.raw) else 8.0)


def _by_right_edge(cell: Cell, columns: list[Column], reach: float) -> int | None:
    """The column whose right edge is nearest to the figure's, if within `reach` points of it."""
    k = min(range(len(columns)), key=lambda k: abs(columns[k].x1 - cell.x1))
    return k if abs(columns[k].x1 - cell.x1) <= reach else None


def attach(rows: list[Row], columns: list[Column], note_range: tuple[float, float] | None) -> None:
    """Each row's cells by column index; a note-column figure becomes the row's note; stray figures that sit in
    no column go back to the label."""
    for row in rows:
        if _repeated_headings(row, columns):
            row.cells, row.label_words = [], []
            continue
        kept: list[Cell] = []
        note_cell: Cell | None = None
        for cell in row.cells:
            k = column_of(cell, columns)
            if k is None:
                # a nil ("-", "$ —") in a column of nothing but nils, which no column was found for, is no word of
                # the label; nor is a speck OCR read as a digit and itself doubted, standing in no column
                left_of_columns = cell.x1 < (columns[0].x0 if columns else 0)
                if not row.values and not numbers.is_nil(cell.figure.raw) and left_of_columns \
                        and cell.conf >= GARBLED:
                    row.label_words.append(Word(cell.figure.raw, cell.x0, cell.top, cell.x1, cell.bottom))
                continue
            if columns[k].kind == "note":
                # references cited together ("10, 11") that OCR split over two note columns are one note's
                row.note = cell.figure.raw if row.note is None else f"{row.note}, {cell.figure.raw}"
                note_cell = cell
            elif columns[k].kind == "value":
                row.values.setdefault(id(columns[k]), cell)
            kept.append(cell)
        row.cells = kept
        if note_range is not None:
            _pull_note_words(row, note_range, note_cell)


def _repeated_headings(row: Row, columns: list[Column]) -> bool:
    """A line of consecutive years ("2021  2020  2019", "Note  2021  2020", "Fiscal 2022  Fiscal 2021  Fiscal 2020")
    standing over several value columns, with no word but heading words: the columns' headings printed again (a
    second statement's, below the first on one page), not a line of amounts: a row's amounts are not consecutive
    years in column order."""
    if not row.cells or not all(YEAR.fullmatch(c.figure.raw) for c in row.cells):
        return False
    if not all(YEAR.fullmatch(w.text.strip(",")) or _HEADING_WORD.fullmatch(w.text) or unit_word(w.text)
               for w in row.label_words):
        return False
    years = [int(t) for t in (*(w.text.strip(",") for w in row.label_words), *(c.figure.raw for c in row.cells))
             if YEAR.fullmatch(t)]
    if len(years) < 2 or years[1] - years[0] not in (1, -1):
        return False
    step = years[1] - years[0]
    placed = [column_of(c, columns) for c in row.cells]
    return all(b - a == step for a, b in zip(years, years[1:], strict=False)) and all(
        k is not None and columns[k].kind == "value" for k in placed) and len(set(placed)) == len(placed)


# Words of a column heading around its year ("Fiscal 2022", "Note", "Year ended", "Restated").
_HEADING_WORD = re.compile(r"(?:fiscal|fy|years?|ended|ending|notes?|note\(s\)|restated|unaudited|audited)[,:]?", re.I)


def _pull_note_words(row: Row, note_range: tuple[float, float], note_cell: Cell | None = None) -> None:
    """Alphanumeric note references ("B2", "C5,C7", "7, 8, 26") printed in the Notes column leave the label."""
    if len(row.label_words) < 2:
        return
    lo, hi = note_range
    words = row.label_words
    refs: dict[int, str] = {}
    for k, w in enumerate(words):
        ref = _note_ref(w.text)
        if k and lo <= w.xc <= hi and ref is not None:
            refs[k] = ref
    # a list of references ("11, 12", "3, 4, 5") is wider than the column's heading: a reference closed by a comma
    # just before one in the column (at a word space, as a list is set) belongs to the same list
    right: Word | Cell | None = words[min(refs)] if refs else note_cell
    k = min(refs) if refs else len(words)
    while right is not None and k - 1 >= 1 and (ref := _note_ref(words[k - 1].text)) is not None \
            and words[k - 1].text.endswith(",") and right.x0 - words[k - 1].x1 <= max(right.bottom - right.top, 4.0):
        k -= 1
        refs[k], right = ref, words[k]
    if not refs:
        return
    for k, w in enumerate(words):
        if k in refs and w.text != refs[k]:
            row.symbols.append(w.text[len(refs[k]):])
    row.label_words = [w for k, w in enumerate(words) if k not in refs]
    listed = " ".join(refs[k] for k in sorted(refs))
    row.note = listed if row.note is None else f"{listed} {row.note}"


def _note_ref(text: str) -> str | None:
    """The note reference a word prints ("B2", "7,", "3.1"), or None: the column's currency sign may run into the
    reference before it when a text layer sets no space between them ("12$")."""
    bare = text[:-1] if len(text) > 1 and text[-1] in numbers.CURRENCY_SYMBOLS else text
    return bare if NOTE_TOKEN.match(bare) else None
