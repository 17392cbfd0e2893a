"""Column-heading words as OCR reads them, made readable before they are matched to columns: rules and shading
glued to a heading, years read with letters for digits or run together, boxes stretched along a rule, words
tesseract only guessed. Text-layer words pass unchanged."""

from __future__ import annotations

import re
from dataclasses import replace

from finsheet.extraction import numbers
from finsheet.extraction.numbers import unit_word
from finsheet.model import Word

# tesseract's own confidence below this: its reading of the word is a guess, more often wrong than right (a heading
# printed over a rule, in a shaded band, in a thin bold face)
_UNSURE = 0.4
# what stands for a heading word that could not be read: it may have been part of a date, so the column's date is
# not completed from other columns' (periods.UNREAD)
UNREAD = "?"
# letters tesseract reads for the digits of a year ("2O22", "2OZ1", "20l9"), mapped back; only in 4-character words
_YEAR_GLYPHS = str.maketrans({"O": "0", "o": "0", "D": "0", "Q": "0", "I": "1", "l": "1", "|": "1", "Z": "2",
                              "S": "5", "B": "8"})
_MONTH_WORD = re.compile(r"^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", re.I)
MONTH_NAME = re.compile(r"(?:jan|feb|mar|apr|may|june?|july?|aug|sept?|oct|nov|dec)\.?|(?:january|february|march|april"
                         r"|august|september|october|november|december)|j?une|j?uly", re.I)


# the months whose names are long enough that a letter or two misread still leaves one month, and no other word,
# that close: two edits for eight letters or more, one for seven (no English word of a heading lies that close)
_LONG_MONTHS = ("january", "february", "september", "october", "november", "december")
DAY_WORD = re.compile(r"(?:[1-9]|[12]\d|3[01]),?")
"""A date's day as a word of its own ("31,"), in a heading or a label."""
_YEAR_WORD = re.compile(r"(?:19|20)\d\d[,.]?")


def months_read(words: list[Word]) -> list[Word]:
    """OCR'd words in reading order, with a month's name misread by a letter or two ("Sepi.ember", "Jecember",
    "DECEMEER") read as that month where a date's day and year stand beside it on its line ("Sepi.ember 30 2023",
    "31 Jecember 2022"): there nothing but a month can stand, and a heading left without it dates no column.
    A word as close to two months ("Nocember") is left as read. Text-layer words (confidence 1) pass unchanged."""
    out = list(words)
    for i, w in enumerate(words):
        if w.conf >= 1.0 or not _in_date(words, i):
            continue
        month = _month_misread(w.text)
        if month is not None:
            out[i] = replace(w, text=month)
    return out


def _in_date(words: list[Word], i: int) -> bool:
    """Whether the i-th word stands where a date's month does on its line: before a day and a year ("30 2023"), or
    between them ("31 ... 2022")."""
    def matches(k: int, pattern: re.Pattern[str]) -> bool:
        if not 0 <= k < len(words):
            return False
        w, v = words[i], words[k]
        return abs(v.top - w.top) < 0.5 * max(w.bottom - w.top, 4.0) and bool(pattern.fullmatch(v.text))

    return (matches(i + 1, DAY_WORD) and matches(i + 2, _YEAR_WORD)) or (
        matches(i - 1, DAY_WORD) and matches(i + 1, _YEAR_WORD))


def _month_misread(text: str) -> str | None:
    """The month `text` is a misreading of, spelt in its case, or None (a month read right, no month, or two)."""
    core = text.rstrip(",.")
    letters = re.sub(r"[^a-z]", "", core.lower())
    if len(letters) < 6 or len(core) - len(letters) > 1 or MONTH_NAME.fullmatch(core):
        return None
    close = [m for m in _LONG_MONTHS if _edits(letters, m) <= (2 if len(m) >= 8 else 1)]
    if len(close) != 1:
        return None
    month = close[0].upper() if core.isupper() else close[0].capitalize()
    return month + text[len(core):]


def _edits(a: str, b: str) -> int:
    """Levenshtein distance: the letters to change, add or drop to turn a into b."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (ca != cb))
    return row[-1]


def ocr_heading_words(words: list[Word]) -> list[Word]:
    """Heading words as OCR gives them, made readable: a rule or shading under a heading is read as stray marks
    ("—~~", "_") and glued to the word over it ("2021—~~S~S™", "~2022~<«C") whose box then runs along the rule;
    two years printed close together come out as one word ("20232022"); words tesseract is unsure of are guesses.
    Text-layer words (confidence 1) pass unchanged."""
    out: list[Word] = []
    for w in _years_short_of_a_digit(words):
        if w.conf < 1.0 and _covers_others(w, words):
            continue
        if w.conf >= 1.0:
            out.append(w)
            continue
        if not re.search(r"[A-Za-z0-9&%£$€¥]", w.text):
            continue  # a rule or its shading read as marks ("—", "___", "~"): no heading
        # the apostrophe of "£'000" is read as a 7 or a degree sign ("£7000", "€°000"): the unit, not a figure
        text = f"{w.text[0]}'000" if numbers.is_unit_token(w.text) else w.text
        w = _narrowed(_year_read(_unruled(replace(w, text=text))))
        if m := re.fullmatch(r"((?:19|20)\d\d)((?:19|20)\d\d)", w.text):
            cut = (w.x0 + w.x1) / 2  # two years run together: two headings, each half the box
            out += [replace(w, text=m.group(1), x1=cut), replace(w, text=m.group(2), x0=cut)]
        elif w.conf < _UNSURE and not (_date_part(w.text) or unit_word(w.text) or _COLUMN_NAME.fullmatch(w.text)):
            # a guessed word that may have been a date's day or month leaves a mark; other guesses are dropped
            if re.fullmatch(r"\W*\w?\d\w?\W*", w.text) or _MONTH_WORD.match(w.text):
                out.append(replace(w, text=UNREAD))
        else:
            out.append(w)
    return out


def _years_short_of_a_digit(words: list[Word]) -> list[Word]:
    """A scanned heading's year with a digit lost ("Three months ended July 31 222" over a quarter's comparative
    column): three digits where a year stands, which one digit put back makes a year. Comparative columns print the
    years of the statement's other columns, or the year before, so the three digits are that year where just one
    such year can be made of them ("222": 2022 beside 2023); otherwise they stay as read (the column undated)."""
    years = {int(m.group()) for w in words if (m := re.search(r"(?<!\d)(?:19|20)\d\d(?!\d)", w.text))}
    likely = years | {y - 1 for y in years}
    out = []
    for w in words:
        if w.conf < 1.0 and re.fullmatch(r"\d{3},?", w.text) and w.text[:3] != "000" and _on_a_date_line(w, words):
            digits = w.text.rstrip(",")
            made = {int(y) for k in range(4) for d in "0123456789"
                    if re.fullmatch(r"(?:19|20)\d\d", y := digits[:k] + d + digits[k:])} & likely
            if len(made) == 1:
                w = replace(w, text=f"{made.pop()}{w.text[3:]}")
        out.append(w)
    return out


_DATE_WORD = re.compile(r"(?:19|20)\d\d,?|ended|ending|months?|weeks?|years?|as|at", re.I)


def _on_a_date_line(w: Word, words: list[Word]) -> bool:
    """Whether a word stands on a line of a date heading: another word on its line is a month, a year or a word of a
    period ("ended", "months"). A page number or a note's number in the title block stands on no such line."""
    height = max(w.bottom - w.top, 4.0)
    return any(v is not w and abs(v.top - w.top) < 0.5 * height
               and (_DATE_WORD.fullmatch(v.text) is not None or _MONTH_WORD.match(v.text) is not None) for v in words)


def _covers_others(w: Word, words: list[Word]) -> bool:
    """Whether an OCR'd word's box, far wider than its characters, holds other words read on its line just where
    its characters would stand (from the box's left): tesseract reading a boxed or ruled line twice ("20232022"
    boxed from the first column to the last, over the "2023" and "2022" it also reports). Where its characters
    stand is then unknown, so it heads no column, and the columns it would have dated stay undated rather than
    take a neighbour's year. A box run along a rule past its characters to a word further on ("2022," boxed to
    the end of the rule over "2021") is read as its characters (`_narrowed`); a box of a word's own width may
    overlap its neighbour's by a character ("December" over the "31" beside it)."""
    height = max(w.bottom - w.top, 4.0)
    chars = len(w.text) * _char_width(w)
    if w.x1 - w.x0 <= 2 * chars:
        return False
    return any(v is not w and re.search(r"[A-Za-z0-9]", v.text) and v.x1 - v.x0 < w.x1 - w.x0
               and w.x0 - 1 <= v.x0 < w.x0 + chars and v.x1 <= w.x1 + 1 and abs(v.top - w.top) < 0.5 * height
               for v in words)


# the marks a rule, an underline or a shaded band's edge is read as, glued to the word beside it ("—_Years", "31,_");
# a rule's end or a speck before a word is read as an opening quote ("“December")
_RULE_MARKS = "—–_~=|“”„\"`"


def _unruled(w: Word) -> Word:
    text = w.text.lstrip(_RULE_MARKS)
    x0 = min(w.x0 + (len(w.text) - len(text)) * _char_width(w), w.x1 - _char_width(w))
    text = text.rstrip(_RULE_MARKS)
    return replace(w, text=text, x0=x0) if text != w.text else w


# what names a column beside its date, as a whole or a part of the period ("Group | Company", "Total"): read under a
# rule, tesseract is unsure of such a word, and a misreading rarely spells one of them
_COLUMN_NAME = re.compile(r"(?:group|company|consolidated|parent|total|restated)[,.]?", re.I)


def _date_part(text: str) -> bool:
    """A year, a month's name or a day number: tesseract often reports a low confidence for such a word read right
    in a shaded band, and a misread one rarely reads as another valid one."""
    text = text.strip(",.")
    return bool(re.fullmatch(r"(?:19|20)\d\d", text) or MONTH_NAME.fullmatch(text)
                or (re.fullmatch(r"\d{1,2}", text) and 1 <= int(text) <= 31))


def _year_read(w: Word) -> Word:
    """A year with marks glued to it ("~2022~—<C", "2021—~~S") is the year, its box cut to the year's characters;
    a four-character year with letters for digits ("2O22") is the year."""
    if len(w.text) == 4 and sum(ch.isdigit() for ch in w.text) >= 2:
        year = w.text.translate(_YEAR_GLYPHS)
        if re.fullmatch(r"(?:19|20)\d\d", year):
            return replace(w, text=year)
    m = re.fullmatch(r"([^A-Za-z0-9]*)((?:19|20)\d\d,?)([^A-Za-z0-9].*)?", w.text)
    if m is None or not (m.group(1) or m.group(3)):
        return w
    cw = _char_width(w)
    x0 = min(w.x0 + len(m.group(1)) * cw, w.x1 - cw)
    return replace(w, text=m.group(2), x0=x0, x1=min(x0 + len(m.group(2)) * cw, w.x1))


def _char_width(w: Word) -> float:
    # a printed digit is about three quarters as wide as OCR's box of it is tall
    return 0.75 * max(w.bottom - w.top, 4.0)


def stretched(w: Word) -> bool:
    """An OCR'd word whose box is far wider than its characters: it took in a rule printed under or beside it."""
    return w.conf < 1.0 and w.x1 - w.x0 > 2 * len(w.text) * _char_width(w)


def _narrowed(w: Word) -> Word:
    """A date's word (a year, a day) whose box took in the rule printed beside it: its characters start at the
    box's left, so the box keeps their width from there. A word without a digit keeps its box: a heading whose box
    took in its rule is one centred over the columns that rule spans ("Group", "Six months ended" over their
    years), and the rule shows where the heading reaches."""
    return replace(w, x1=w.x0 + len(w.text) * _char_width(w)) if stretched(w) and re.search(r"\d", w.text) else w


def unglue(words: list[Word]) -> list[Word]:
    """Dates printed close together can come out as one word ("2022December"): a year followed by letters is two
    words, the split placed in proportion to the characters."""
    out: list[Word] = []
    for w in words:
        m = re.fullmatch(r"(.*(?:19|20)\d\d,?)([A-Za-z].*)", w.text)
        if m is None:
            out.append(w)
            continue
        cut = w.x0 + (w.x1 - w.x0) * len(m.group(1)) / len(w.text)
        out.append(replace(w, text=m.group(1), x1=cut))
        out.append(replace(w, text=m.group(2), x0=cut))
    return out
