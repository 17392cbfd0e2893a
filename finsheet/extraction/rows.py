"""Rows of a statement page: each visual line split into a label and the run of figures at its right end (the
figures assembled from their printed pieces by `figure_pieces`, the columns they stand in are `columns.py`'s), and
what OCR reads off rules and specks kept out of both."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from finsheet.extraction import numbers
from finsheet.extraction.detect import Section
from finsheet.extraction.figure_pieces import figure_tokens
from finsheet.extraction.numbers import Figure, parse_figure
from finsheet.extraction.ocr_headings import DAY_WORD, MONTH_NAME
from finsheet.extraction.pdf import group_lines, superscript
from finsheet.model import LOW_CONFIDENCE, Box, Page, Word

NOTE_HEADER = re.compile(r"^notes?$|^note\(s\)$|^ref\.?$", re.I)
NOTE_TOKEN = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})?[a-z]?|[A-H]\d{1,2}(?:\([a-z]\))?|[ivx]{1,4})(?:,|$)", re.I)
END_OF_TABLE = re.compile(
    r"^(?:see (?:the )?accompanying|the accompanying notes|the notes on pages"
    r"|see (?:the )?notes to (?:the )?(?:consolidated |combined )?financial statements"
    r"|the (?:consolidated )?(?:statement|balance).{0,80}should be read|approved by the board"
    r"|the financial statements (?:on pages|were approved)"
    r"|the notes (?:on pages \d+ to \d+ )?form (?:an integral )?part of)",
    re.I,
)

# --------------------------------------------------------------------------- rows


@dataclass(slots=True)
class Cell:
    """A figure printed in a row: its value, the text as printed, and where."""

    figure: Figure
    x0: float
    x1: float
    top: float
    bottom: float
    conf: float = 1.0
    inline: bool = False
    """Printed at a word space after the label's last word ("... par value; 200,000"): text of the label unless it
    stands in a column of figures."""

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def box(self) -> Box:
        return (round(self.x0, 1), round(self.top, 1), round(self.x1, 1), round(self.bottom, 1))


@dataclass(slots=True)
class Row:
    page: int
    words: list[Word]
    label_words: list[Word] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)
    note: str | None = None
    symbols: list[str] = field(default_factory=list)
    """Currency symbols printed beside the figures."""
    values: dict[int, Cell] = field(default_factory=dict)
    """Cells by id() of their Column, once columns are known."""

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def label(self) -> str:
        return clean_label(" ".join(w.text for w in self.label_words))

    @property
    def label_x0(self) -> float:
        return self.label_words[0].x0 if self.label_words else self.words[0].x0

    @property
    def box(self) -> Box:
        return (round(min(w.x0 for w in self.words), 1), round(self.top, 1),
                round(max(w.x1 for w in self.words), 1), round(self.bottom, 1))


@lru_cache(maxsize=4096)  # a row's label is asked for many times while its statement is built
def clean_label(text: str) -> str:
    text = re.sub(r"\s*\.{2,}[\s.]*", " ", text)  # dot leaders
    text = re.sub(r"(?:\s*\.){3,}\s*", " ", text)  # spaced dot leaders (". . . ."): no word has three lone dots
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+([,;:)])", r"\1", text)
    text = re.sub(r"([(])\s+", r"\1", text)
    text = re.sub(r"\s*[$£€]$", "", text)
    text = re.sub(r"^[|!;:,.'`\u2018\u2019\u201c]+\s*", "", text)  # OCR specks before a label
    text = re.sub(r"\s+(?:\(?[a-z]\)|\(\d\)|\*+)$", "", text)  # a footnote marker: "b)", "(a)", "(1)", "*"
    return re.sub(r"\s*[;|:,`']+$", "", text).strip()


_MONTH_WORD = re.compile(r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?", re.I)


def _year_after_month(before: list[Word], group: list[Word]) -> bool:
    return (len(group) == 1 and bool(re.fullmatch(r"(?:19|20)\d\d", group[0].text))
            and bool(_MONTH_WORD.fullmatch(before[-1].text)))


_YEAR = re.compile(r"(?:19|20)\d\d")


def _past_month_day_year(tokens: list[tuple[Figure | None, list[Word]]], split: int) -> int:
    """Where the label ends when it closes on a US date ("Balance at December 31, 2022", "Balances at June 3, 2022"):
    the day and the year a word space after it are the label's date, not figures. Only after label words, and only
    at a word space: a heading's years stand apart, in their columns ("Years ended December 31,   2022   2021")."""
    def single(k: int) -> Word | None:
        return tokens[k][1][0] if 0 <= k < len(tokens) and len(tokens[k][1]) == 1 else None

    # a word space is the widest gap between the label's own words (a monospaced font's is wide), or 0.6 em
    words = [w for _, group in tokens[:split] for w in group]
    space = max([b.x0 - a.x1 for a, b in zip(words, words[1:], strict=False)], default=0.0)

    def spaced(a: Word, b: Word) -> bool:
        return b.x0 - a.x1 <= max(0.6 * max(a.bottom - a.top, 4.0), 1.2 * space)

    day_at = split - 1 if split > 0 and tokens[split - 1][0] is None else split  # the day read as text, or a figure
    month, day, year = single(day_at - 1), single(day_at), single(day_at + 1)
    if month is None or day is None or year is None or day_at + 1 < split or day_at < 2:
        return split
    dated = _MONTH_WORD.fullmatch(month.text) and DAY_WORD.fullmatch(day.text) and _YEAR.fullmatch(year.text)
    if not dated:
        return split
    if not spaced(month, day) or not spaced(day, year):
        return split
    return day_at + 2


_DAY_YEAR = re.compile(r"(?:[1-9]|[12]\d|3[01]), ?(?:19|20)\d\d")


def finishes_date(above: list[Word], text: str) -> bool:
    """Whether `text`, opening a line, finishes the date the line above ends on, wrapped there: the year after
    "Balance at January 1,", or the day and year (glued or not) after "Balance at December"."""
    if len(above) >= 2 and MONTH_NAME.fullmatch(above[-2].text) and DAY_WORD.fullmatch(above[-1].text):
        return bool(_YEAR.fullmatch(text))
    return bool(above) and bool(MONTH_NAME.fullmatch(above[-1].text)) and bool(_DAY_YEAR.fullmatch(text))


def _past_wrapped_date(tokens: list[tuple[Figure | None, list[Word]]], split: int, above: list[Word]) -> int:
    """Where the label ends when its date wrapped ("Balance at January 1," over "2021  8,596,189  $ 85,962 ...",
    "Balance at December" over "31, 2022  12,613,978 ..."): the year, or the day and year, opening the line finish
    the date above, and the amounts follow. A wrapped label's line starts under the line above, at its margin or
    a hanging indent, where a heading's years stand over their columns; and a heading's line under "December 31,"
    holds years only (a footnote mark glued to one: "20211")."""
    if split != 0 or not above:
        return split
    first = tokens[0][1][0]
    indent = first.x0 - above[0].x0
    if not -2.0 <= indent <= 2.0 * max(first.bottom - first.top, 4.0):
        return split
    for n in (1, 2):
        text = " ".join(w.text for _, group in tokens[:n] for w in group)
        rest = [group for fig, group in tokens[n:] if fig is not None]
        if finishes_date(above, text) and any(len(g) > 1 or not _YEAR_MARKED.fullmatch(g[0].text) for g in rest):
            return n
    return split


_YEAR_MARKED = re.compile(r"(?:19|20)\d\d[1-9]?")


_CLOSING_REFERENCE = re.compile(r"\d{1,2}[a-z]?\)")


def _past_closing_reference(tokens: list[tuple[Figure | None, list[Word]]], split: int, *, ocr: bool) -> int:
    """Where the label ends when its first "figure" closes a parenthesis the label opened ("Inventories (Note 9)",
    or "(Note" / "12)" wrapped onto the next line): a small number with a closing parenthesis and no opening one is
    the end of a reference, not an amount (a negative amount prints both parentheses). On a scan, where OCR can
    lose an amount's "(", only after a parenthesis the label opened on the same line."""
    if split >= len(tokens) or tokens[split][0] is None or len(tokens[split][1]) != 1:
        return split
    if not _CLOSING_REFERENCE.fullmatch(tokens[split][1][0].text):
        return split
    label = " ".join(w.text for _, group in tokens[:split] for w in group)
    opened = label.count("(") > label.count(")")
    return split + 1 if opened or (split == 0 and not ocr) else split


_LEADER_END = re.compile(r"(?:[.…_·]\s?){2,}$|^[.…_·\s-]+$")


def _inline_figure(tokens: list[tuple[Figure | None, list[Word]]], split: int) -> bool:
    """Whether the first figure after the label stands at a word space after its last word, as a number inside
    running text does ("Common stock, $0.01 par value; 200,000" wrapped there): a table sets its figures apart
    from the label by a gap or a dot leader. The word space is the widest gap between the line's label words (a
    monospaced font's is wide), at least half an em."""
    if split == 0 or split >= len(tokens) or tokens[split][0] is None:
        return False
    words = [w for _, group in tokens[:split] for w in group]
    last = words[-1]
    if last.text in numbers.CURRENCY_SYMBOLS or _LEADER_END.search(last.text):
        return False  # a currency sign or a dot leader (apart or run into the label's word) leads to a figure
    height = max(last.bottom - last.top, 4.0)
    space = max([b.x0 - a.x1 for a, b in zip(words, words[1:], strict=False)] + [0.5 * height])
    return tokens[split][1][0].x0 - last.x1 <= 1.2 * space


def _is_currency(group: list[Word]) -> bool:
    return len(group) == 1 and group[0].text in numbers.CURRENCY_SYMBOLS


def build_rows(page: Page, section: Section, decimal_comma: bool) -> list[Row]:
    """The section's rows on one page: label words on the left, the run of figures at the right end."""
    top = section.top if page.number == section.pages[0] else 0.0
    bottom = section.bottom.get(page.number, page.height)
    x_lo, x_hi = section.x_range or (0.0, page.width)
    words = [w for w in page.words if top - 1 <= w.top < bottom - 1 and x_lo <= w.xc <= x_hi]
    # a page that groups its amounts' digits ("1,239,018") prints every amount so: a long run of bare digits on it
    # ("6005142") is a company number, a postcode or a reference, not an amount. Groups a figure space apart that
    # OCR read as words of their own ("328" "361") are an amount whose separator it lost
    grouped = sum(1 for w in words if re.fullmatch(r"\(?\d{1,3}(?:,\d{3})+\)?", w.text)) >= 3
    rows: list[Row] = []
    above: list[Word] = []
    for line in group_lines(words):
        line_above, above = above, line
        text = " ".join(w.text for w in line)
        if page.source == "ocr":
            if _specks(line):
                continue
            line = [w for k, w in enumerate(line) if (k == 0 or not _garbled(w)) and not _rule_marks(w)]
            if not line:
                continue
        if rows and END_OF_TABLE.match(text):
            break
        tokens = figure_tokens(line if page.source == "ocr" else without_footnote_marks(line), decimal_comma)
        if grouped:
            tokens = [(None, g) if f is not None and len(g) == 1 and re.fullmatch(r"\d{6,}", f.raw) else (f, g)
                      for f, g in tokens]
        if page.source == "ocr":
            tokens = _misread_before_run(_unreadable_figures(_half_bracketed(tokens)))
        split = len(tokens)
        while split > 0 and (tokens[split - 1][0] is not None or _is_currency(tokens[split - 1][1])):
            split -= 1
        # "At 31 October 2016 ...": a year right after a month name is part of the label, not a figure
        while split < len(tokens) and split > 0 and _year_after_month(tokens[split - 1][1], tokens[split][1]):
            split += 1
        split = _past_month_day_year(tokens, split)
        split = _past_wrapped_date(tokens, split, line_above)
        split = _past_closing_reference(tokens, split, ocr=page.source == "ocr")
        if _sentence(tokens, split):
            split = len(tokens)
        if page.source == "ocr" and 0 < split < len(tokens) and all(
            len(g) == 1 and _garbled(g[0]) for _, g in tokens[:split]
        ):
            # a total printed with no label, where OCR read the table's rule or a speck as a scrap ("To", "rT"):
            # the row has no label, and is named after the block it closes
            tokens, split = tokens[split:], 0
        row = Row(page=page.number, words=line)
        for _, group in tokens[:split]:
            row.label_words.extend(group)
        inline = _inline_figure(tokens, split)
        for k, (fig, group) in enumerate(tokens[split:]):
            if fig is None:
                row.symbols.append(group[0].text)
                continue  # a currency symbol standing at the left of its column
            row.cells.append(Cell(fig, group[0].x0, group[-1].x1, min(g.top for g in group),
                                  max(g.bottom for g in group), min(g.conf for g in group), inline=inline and k == 0))
        if row.label_words and row.label_words[-1].text in numbers.CURRENCY_SYMBOLS:
            row.symbols.append(row.label_words.pop().text)
        if len(row.cells) == 1 and re.fullmatch(r"-?\d{1,3}-?", row.cells[0].figure.raw) and (
            not row.label_words or re.fullmatch(r"(?i:page)|[A-Z]{1,2}", row.label)
        ):
            continue  # a page number ("12", "Page 6", "F - 9" in a 10-K's financial section)
        rows.append(row)
    return rows


# a footnote mark: a digit or two, an asterisk, a dagger or a section sign, bare or bracketed
_MARK = re.compile(r"\(?(?:[1-9]\d?|\*{1,3}|[\u2020\u2021\u00a7]{1,2})\)?,?")


def without_footnote_marks(words: list[Word]) -> list[Word]:
    """A line's words without the footnote marks set as superscripts after its words ("Diluted net income per
    share ¹", "... of $1,100²"): a mark stands against a word (within an em of it), in type well under that word's
    size, its foot well above the word's baseline; it refers to a footnote under the table, and is neither a figure
    of the line nor part of its name. Only for a text layer, whose boxes span the font's full height: OCR's boxes
    are tight round the ink, so a digit beside a word with a descender ("Group 2") looks raised and small there."""
    out: list[Word] = []
    for w in words:
        before = out[-1] if out else None
        size = before.bottom - before.top if before is not None else 0.0
        if before is not None and _MARK.fullmatch(w.text) and w.x0 - before.x1 <= size \
                and superscript(size, (w.top, w.bottom), before.bottom):
            continue
        out.append(w)
    return out


SENTENCE_WORDS = 10
"""Words before a figure that make a line a sentence when the figure follows at word spacing: a table sets its
figures apart from the label by a gap, and a label that long is wrapped before it reaches them."""


def _sentence(tokens: list[tuple[Figure | None, list[Word]]], split: int) -> bool:
    """Whether a line is running text whose last word happens to be a number ("... 29 in the United Kingdom,
    27"): no gap in it is wider than a word space, where a table row sets its figures apart from its label (a
    year inside a label, "628,443 shares in 2021   (20,053)", is followed by that gap). A sentence of narrative
    under a table is never a line item with a value."""
    if split < SENTENCE_WORDS or split == len(tokens):
        return False
    words = [w for _, group in tokens for w in group]
    height = max(max(w.bottom - w.top for w in words), 4.0)
    return all(b.x0 - a.x1 <= 0.6 * height for a, b in zip(words, words[1:], strict=False))


_OPEN_ONLY = re.compile(r"\(\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?")
"""An amount grouped in thousands after an opening bracket that is never closed ("(37,849"): no label's word."""


def _half_bracketed(tokens: list[tuple[Figure | None, list[Word]]]) -> list[tuple[Figure | None, list[Word]]]:
    """On a scan, an amount grouped in thousands with an opening bracket and no closing one ("(37,849") is a figure
    with one bracket of its two: the closing one lost, or a speck or rule read as the opening one. It is read as
    the negative its bracket says, as one that kept only its closing bracket is ("1,234)"), and like that one it is
    shown as doubtful (`doubt.doubt_half_brackets`), for the statement's footings to settle its sign
    (`footing.read_by_footing`: the same digits with a bracket lost or gained). Left out, it became part of the
    label ("GROSS PROFIT (37,849") and the row lost its figure."""
    out = list(tokens)
    for k, (fig, group) in enumerate(out):
        if fig is None and len(group) == 1 and _OPEN_ONLY.fullmatch(group[0].text):
            value = parse_figure(group[0].text[1:])
            if value is not None:
                out[k] = (Figure(-value.value, group[0].text), group)
    return out


def _unreadable_figures(tokens: list[tuple[Figure | None, list[Word]]]) -> list[tuple[Figure | None, list[Word]]]:
    """On a scan, a word with digits among misread letters that stands after a figure in the line's run of
    figures ("2,900  Bg17") is that row's next figure, unreadable: the row keeps its other figures and does not
    end there, instead of becoming a line with no figures at all. So is a scrap of letters OCR doubts there
    ("1,727  pT yb" for "1,727  1,772" over a rule): no label goes on past its row's figures."""
    out = list(tokens)
    for k in range(len(out) - 1, 0, -1):
        fig, group = out[k]
        if fig is not None or len(group) != 1:
            continue
        if not any(f is not None and not f.unreadable for f, _ in out[:k]):
            break
        if all(f is not None or _is_currency(g) for f, g in out[k + 1 :]) and (
            (bad := numbers.unreadable_figure(group[0].text) or _letters_for_figure(group[0])) is not None
        ):
            out[k] = (bad, group)
        else:
            break
    return out


MISREAD = 0.6
"""OCR confidence under which a scrap of letters standing where a figure would is the figure misread: a word OCR
read right it is surer of (common words of labels read at 0.9 and over)."""


def _letters_for_figure(w: Word) -> Figure | None:
    """A scrap of up to three letters OCR doubts, as an unreadable figure (a rule or blur made the digits read as
    letters): a statement's words after its figures are units ("p", "%") read with confidence."""
    if w.conf < MISREAD and 1 <= len(w.text) <= 3 and w.text.isalpha():
        return Figure(0.0, w.text, unreadable=True)
    return None


# a word of digits and separators alone, as OCR reads a figure whose separators it lost or misplaced ("25,2614",
# "647451548"), a bracket or minus blurred into a mark before it
_DIGITS_ALONE = re.compile(r"[(\-~“”\"'‘’§&]?\d[\d,.]*\d\)?")
_POINT_AS_COMMA = re.compile(r"\d,\d{3},\d{1,2}\)?$")
_MARKED_AMOUNT = re.compile(r"[~“”\"'‘’§&]\(?\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?\)?")


def _misread_before_run(tokens: list[tuple[Figure | None, list[Word]]]) -> list[tuple[Figure | None, list[Word]]]:
    """On a scan, words of digits that stand right before a row's run of figures and do not read as figures
    ("25,2614" for "25,261.4"; "647451548" for "6,474,515.48", too long for an amount without separators) are the
    row's first figures, unreadable: left in the label, they made a line the statement does not print and lost
    the row's figures. Only digits and separators (a label's words hold letters), and never a date."""
    out = list(tokens)
    start = len(out)
    while start > 0 and out[start - 1][0] is not None:
        start -= 1
    if not any(f is not None and not f.unreadable for f, _ in out[start:]):
        return out
    for k in range(start - 1, 0, -1):
        fig, group = out[k]
        text = group[0].text
        # a comma beside four digits or more ("25,2614"), a decimal point read as a comma after a group of thousands
        # ("15,732,2"), or six digits with none: never notes cited ("3,4", "12,13") nor a date's numbers ("1.1.2022")
        misplaced = "," in text and (re.search(r"\d{4}", text) is not None or _POINT_AS_COMMA.search(text) is not None)
        # or an amount grouped in thousands behind a blurred mark ("§5,471": a digit, "$" or "(" which, no text says)
        if fig is not None or len(group) != 1 or not _DIGITS_ALONE.fullmatch(text) \
                or not (misplaced or re.search(r"\d{6}", text) or _MARKED_AMOUNT.fullmatch(text)):
            break
        out[k] = (Figure(0.0, text, unreadable=True), group)
    return out


def _specks(line: list[Word]) -> bool:
    """A scanned line that holds no word and no figure ("i  i", "." under a column), or only what OCR itself
    doubts: dirt on the page, or a double rule read as marks and a scrap ("—_—==  —————  nd"). It must neither end
    the table nor split a wrapped label. A line of currency signs ("$  $" over the columns) is the statement's units
    line, not dirt: it says the figures are whole units; so is a short unit read with confidence ("£m", "€m": a
    sign and one letter), which states their multiplier."""
    if all(w.text.strip("()") in numbers.CURRENCY_SYMBOLS for w in line):
        return False
    if all(w.conf < GARBLED for w in line) and not any(re.search(r"\d", w.text) for w in line):
        return True
    if len(line) == 1 and re.fullmatch(r"[a-z]{1,2}", line[0].text) and line[0].conf < LOW_CONFIDENCE:
        # one or two small letters alone, doubted ("en" beside a rule): no line of a statement, nor a label's last
        # line, which would be a connector ("of", "in") the label cannot end on
        return True
    return not any((sum(ch.isalnum() for ch in w.text) >= 2 and w.conf >= GARBLED) or any(ch.isdigit() for ch in w.text)
                   or (w.conf >= GARBLED and numbers.find_scale(w.text) is not None) for w in line)


_RULE_MARK = re.compile(r"[-_=~\u2013\u2014\u2015\u2212]")


def _rule_marks(w: Word) -> bool:
    """A scanned word of three rule marks or more, with at most one speck among them ("—————", "—_o——"): a rule
    printed over or under a figure, read as marks. A nil is one dash; a rule beside a total's figure, left in the
    line, became its label ("—_o—— 8,261,861 —————") and took the figure with it."""
    marks = len(_RULE_MARK.findall(w.text))
    return marks >= 3 and marks >= len(w.text) - 1 and not re.search(r"\d", w.text)


GARBLED = 0.3
"""OCR confidence under which a short scrap of letters is dirt OCR tried to read, not a word of the statement."""


def _garbled(w: Word) -> bool:
    """A short scrap of letters OCR itself doubts ("eno}" after a figure, "oe" before one), a long one of marks, or a
    lone bracket it doubts (a speck read as ")" past the last column): noise that would break a row's run of figures
    or end its label with junk. Digits, signs and currency marks are kept, and so is a bracket OCR is sure of
    ("( 25,776)")."""
    if w.conf < GARBLED and w.text in ("(", ")"):
        return True
    if w.conf < GARBLED and len(w.text) >= 5 and not re.search(r"\d", w.text) \
            and sum(ch.isalpha() for ch in w.text) < len(w.text) / 2:
        # a long scrap of marks with a few letters among them ("«—Ssi(‘(‘i«‘("): a rule under a total read into
        # marks. A figure's bracket or minus stands beside its digits, and a nil is a dash or two, never five marks
        return True
    return w.conf < GARBLED and len(w.text) <= 4 and not re.search(r"[\d$£€()\-\u2013\u2014]", w.text)
