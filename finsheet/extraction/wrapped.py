"""Labels wrapped over several printed lines, joined into one: a line that cannot end a label (it stops on a
connector, a comma, an open bracket) runs on into the next, and a line that cannot begin one (it opens in lower case,
with a note reference, an aside in brackets or a count) ends the label above it. Where a page sets the later lines of
its labels at a hanging indent, a line there carries on the label above even when it opens with a capital."""

from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import median

from finsheet.extraction.label_kinds import MAJOR_HEADING, SECTION, TOTAL, is_generic_share_row, unit_of
from finsheet.extraction.numbers import names_units
from finsheet.extraction.rows import Row, finishes_date

# A label line ending on a connector word or on punctuation that joins (an ampersand, an opening bracket, a dash)
# runs on into the next line. "net" runs on ("Unrealised gains net" / "of tax"), but after a comma it closes a label
# ("Intangible assets, net"), even one printing no figures because its amounts are blank nils (a line below that opens
# in lower case, "of tax", still continues it). A period's "ended" or "ending" waits for its date ("Changes during the
# year ended" / "December 31, 2020").
_BALANCE_WORD = re.compile(r"balances?", re.I)
_AT_DATE = re.compile(r"(?:as\s+(?:of|at)|at|on)\b", re.I)
_CONNECTOR_END = re.compile(
    r"(?:\b(?:and|or|of|for|to|in|from|the|on|at|by|with|before|after|attributable|less|a|within|than|due|ended|ending)"
    r"|(?<!,\s)\bnet|[,&(\-–])$",
    re.I,
)


# Words a label cannot end on ("amounts falling due" / "within one year"); unlike ", net" or "net", which end
# complete labels ("Property, plant and equipment, net").
_RUNS_ON = re.compile(r"\b(?:and|or|of|for|to|in|from|the|on|at|by|with|before|after|within|than|due)$", re.I)

# A note reference alone ("(Note 16)", "(notes 3 and 4)", or "16)" where "(Note" ended the line above): the tail
# of the label above, pushed onto a line of its own; no line item is named by a note number
_NOTE_REFERENCE = re.compile(r"^\(?(?:notes?\s*)?\d+[A-Za-z]?(?:\.\d+)?(?:\s*(?:,|and|&)\s*\d+[A-Za-z]?(?:\.\d+)?)*\)$",
                             re.I)


def join_wrapped(rows: list[Row]) -> list[Row]:
    """Join labels wrapped over several lines: lines with no figures whose label runs on into the line below (which
    may hold the figures), and lines with no figures that end the label of the line above, which holds them."""
    margins = _Margins(_label_column_right(rows), _hanging_indents(rows), _line_pitch(rows))
    out: list[Row] = []
    for k, row in enumerate(rows):
        prev = out[-1] if out else None
        nxt = rows[k + 1] if k + 1 < len(rows) else None
        if prev is None or not prev.label_words or not row.label_words:
            out.append(row)
            continue
        upper_open = _ends_on_connector(prev)  # the line above cannot end a label
        lower_open = _continues_label(row) or bool(MID_LABEL.match(row.label))  # this one cannot begin one
        if not _close(prev, row, runs_on=upper_open or lower_open, both_open=upper_open and lower_open,
                      pitch=margins.pitch):
            out.append(row)
        elif not prev.values and _runs_on_into(prev, row, margins):
            row.label_words = prev.label_words + row.label_words
            row.words = prev.words + row.words
            row.note = row.note or prev.note  # a reference printed on the label's first line is the item's
            out[-1] = row
        elif prev.values and not row.values and _ends_label_above(prev, row, nxt, margins):
            prev.label_words = prev.label_words + row.label_words
            prev.words = prev.words + row.words
        else:
            out.append(row)
    return out


@dataclass(frozen=True)
class _Margins:
    """Where a page's labels stand: the label column's right edge, the indents at which only the later lines of
    wrapped labels begin, and the pitch at which its lines are set."""

    right: float
    hanging: tuple[float, ...]
    pitch: float


def _line_pitch(rows: list[Row]) -> float:
    """The distance from one line's top to the next's at which the page sets its lines: most lines follow the one
    above at that pitch, and a blank line between two items doubles it. 0 where the page has too few lines to say."""
    steps = [b.top - a.top for a, b in zip(rows, rows[1:], strict=False) if b.top > a.top]
    return median(steps) if len(steps) >= 3 else 0.0


_SAME_X = 1.5
"""Lines set at one indent begin within this many points of each other (letters' side bearings differ)."""


def _hanging_indents(rows: list[Row]) -> tuple[float, ...]:
    """Where a page sets the later lines of its wrapped labels (a hanging indent): the x at which a line that surely
    carries on the label above (it opens in lower case) begins, right of the label's first line or under a line at
    that indent. An indent at which labels begin (a line after one with figures, opening with a capital) is a level
    of items: no indent near it is taken for a hanging one, since a level one point off would be read as both."""
    later_lines = [lower.label_x0 for upper, lower in zip(rows, rows[1:], strict=False)
                   if upper.label_words and lower.label_words and lower.label[:1].islower()
                   and lower.label_x0 > upper.label_x0 - _SAME_X and _close(upper, lower, runs_on=True)]
    label_starts = [lower.label_x0 for upper, lower in zip(rows, rows[1:], strict=False)
                    if upper.values and lower.label_words and lower.label[:1].isupper()]
    return tuple(x for x in later_lines if not any(abs(x - start) <= 2 * _SAME_X for start in label_starts))


def _hangs_under(first: Row, second: Row, margins: _Margins) -> bool:
    """Whether `second`, though it opens with a capital ("Class A shares", "Stock for services rendered": a name
    carried over from `first`), carries on `first`'s label: it begins right of `first`, at the page's hanging
    indent, where only the later lines of wrapped labels begin. A heading ends its line (a colon, a part of the
    statement: "Cash flows from investing activities") and no heading carries on into the line below."""
    return (second.label_x0 > first.label_x0 + _SAME_X
            and any(abs(second.label_x0 - x) <= _SAME_X for x in margins.hanging)
            and not _is_heading(first) and not _is_heading(second)
            and not MAJOR_HEADING.match(first.label) and not SECTION.match(first.label))


def _label_column_right(rows: list[Row]) -> float:
    """The furthest right a label's text reaches on the page: the label column's right edge is no further left. Lines
    that reach under the figures are no labels (a running footer, a centred note)."""
    figures_left = min((cell.x0 for r in rows for cell in r.values.values()), default=float("inf"))
    return max((right for r in rows if r.label_words and (right := _text_right(r)) < figures_left), default=0.0)


def _close(first: Row, second: Row, *, runs_on: bool = False, both_open: bool = False, pitch: float = 0.0) -> bool:
    """Lines of one label are set at the statement's line spacing: no wider gap than most of a line's height. When
    the upper line cannot end a label (it ends on a connector or comma) or the lower cannot begin one (it opens in
    lower case, or with a bracket or figure before a word in lower case: "(loss)"), up to a whole line's height:
    OCR's boxes are tight round the ink, so its gaps between lines are wider than a text layer's, while a blank line
    between two items is wider still. When both hold ("Total liabilities and" / "shareholders' equity"), neither
    line is a label alone, and a statement that sets every line, wrapped or not, at a loose pitch (OCR's tight
    boxes then a line's height and more apart) is still read as one label: up to 1.6 line heights, short of a blank
    line's gap between two items (two pitches less a line's height).

    Lines set at the page's own pitch (`_line_pitch`) are next to each other whatever their boxes: OCR's box of a
    line in capitals has no descenders, only the capitals' height, so the gap under it is wider by a quarter of a
    line ("CASH AND CASH EQUIVALENTS AT END" / "OF PERIOD") than under a line in lower case. A quarter of a pitch
    more allows for OCR's boxes moving with the ink; a blank line doubles the pitch."""
    limit = 1.6 if both_open else 1.0 if runs_on else 0.8
    return (second.top - first.bottom < limit * max(first.bottom - first.top, 6)
            or 0 < second.top - first.top <= 1.25 * pitch)


def _printed(row: Row) -> str:
    """A line's label as printed, with the punctuation it ends on (which the label itself leaves out)."""
    return re.sub(r"(?:\s*\.){2,}\s*$", "", " ".join(w.text for w in row.label_words)).rstrip()


def _is_heading(row: Row) -> bool:
    """A line ending in a colon introduces the lines below it: it is a heading, never the start of a wrapped label."""
    return _printed(row).endswith(":")


def _ends_on_connector(row: Row) -> bool:
    """A label line ending on a connector word, or on a comma or semicolon between its clauses ("Common stock, $0.01
    par value;" / "200,000 shares authorized"), or inside a bracket it opened ("Research and development (Note" /
    "6)"), is not complete: it runs on into the next line."""
    return bool(_CONNECTOR_END.search(row.label) or _printed(row).endswith((",", ";")) or _leaves_open(row))


def _leaves_open(row: Row) -> bool:
    """Whether a line's label stops mid-clause: it opens a bracket it does not close, or ends on a semicolon (which
    parts the clauses of one label: "Common stock, $0.01 par value;" / "200,000 shares authorized")."""
    printed = _printed(row)
    return printed.count("(") > printed.count(")") or printed.endswith(";")


def _continues_label(row: Row) -> bool:
    """A line that cannot begin a label: it opens in lower case ("net", "and equipment"), it is only a note
    reference ("(Note 16)") or an aside in brackets ("(Net of deferred taxes of $2,342 in 2022)"), or it opens
    with a count ("150,000 authorized", "110,881,363 (December 31, 2021: ...)")."""
    label = row.label
    return label[:1].islower() or bool(_NOTE_REFERENCE.match(label)) or _aside(label) or _opens_on_count(label)


_COUNT_FIRST = re.compile(r"\d{1,3}(?:,\d{3})+\s+[a-z(]")
"""A count grouped in thousands, then a word in lower case or a bracket ("150,000 authorized", "110,041 and 109,954
issued", "110,881,363 (December 31, 2021: 110,618,049)")."""


def _opens_on_count(label: str) -> bool:
    """Whether a line opens with a count of shares or units: no line item is named by a number of things, so the
    line states the count that the label above it names ("Common stock; ... issued and outstanding shares:" /
    "110,881,363 (December 31, 2021: ...)"). An amount carries its currency sign ("$300,000 revolving facility"), a
    rate its per cent ("6.5% notes"), a year no separator ("2030 notes")."""
    return _COUNT_FIRST.match(label) is not None


def _aside(label: str) -> bool:
    """Whether a line is one bracketed aside of three words or more, closed at its end ("(Net of deferred taxes of
    $2,342 in 2022 and $669 in 2021)", "(see Note 12)"): a qualification of the label above it, never a line item of
    its own. A units line ("(In thousands)") or "(Unaudited)" is no aside."""
    if not (label.startswith("(") and label.endswith(")")) or label.find(")") != len(label) - 1:
        return False
    inner = label[1:-1]
    return (len(inner.split()) >= 3 and unit_of(label) is None and not names_units(inner)
            and "unaudited" not in inner.lower())


def _runs_on_into(first: Row, second: Row, margins: _Margins) -> bool:
    """Whether the label of `first`, a line with no figures, runs on into `second`'s line."""
    if _opens_on_count(second.label):  # a colon before a count introduces it ("... shares:" / "110,881,363")
        return True
    if _is_heading(first):
        return False
    right = margins.right
    upper, lower = first.label, second.label
    # a balance is always a balance at a date: "BALANCE" alone heads nothing, it runs on into its "AS OF" (however
    # many lines the date then takes: "AS OF" / "DECEMBER" / "31, 2020")
    balance = _BALANCE_WORD.fullmatch(upper) is not None and _AT_DATE.match(lower) is not None
    if not second.values:  # a heading wrapped over two lines: "CREDITORS - amounts falling due after" / "more than"
        return bool(_ends_on_connector(first) or _continues_label(second) or balance
                    or _hangs_under(first, second, margins) or _capitals_run_on(first, second, margins.right))
    if _NOTE_REFERENCE.match(lower) or _aside(lower):
        return True
    if MAJOR_HEADING.match(upper):
        return False
    capitals = upper.isupper() and lower.isupper() and len(upper.split()) >= 2
    # a total always prints figures: a "Total ..." line without them runs on into the indented line that holds them
    # ("Total comprehensive income attributable to Medallion" / "Financial Corp.")
    total = (upper.lower().startswith("total ") and second.label_x0 > first.label_x0 + 2
             and unit_of(upper) is None and not is_generic_share_row(lower))
    # a date is never parted between two lines ("Balance at December" / "31, 2022")
    return bool(_ends_on_connector(first) or lower[:1].islower() or capitals or total or balance
                or finishes_date(first.label_words, lower)
                or _opens_mid_label(first, second, right) or _result_runs_on(first, second, right)
                or _hangs_under(first, second, margins))


def _capitals_run_on(first: Row, second: Row, right: float) -> bool:
    """Whether a heading set in capitals runs on into the line of capitals below it ("SUPPLEMENTAL DISCLOSURES OF
    NON-CASH INVESTING AND FINANCING" / "INFORMATION"): its line was full, the next word not fitting before the
    label column's right edge. Two headings in capitals, one under the other ("ASSETS" / "CURRENT ASSETS"), each
    end well short of that edge; a part of the statement ("LIABILITIES AND EQUITY") heads the lines below it."""
    upper, lower = first.label, second.label
    return (upper.isupper() and lower.isupper() and len(upper.split()) >= 3
            and not MAJOR_HEADING.match(upper) and not SECTION.match(upper) and not SECTION.match(lower)
            and not MAJOR_HEADING.match(lower) and _broken_before(first, second, right))


def _ends_label_above(first: Row, second: Row, after: Row | None, margins: _Margins) -> bool:
    """Whether `second`, a line with no figures, ends the label of `first`, the line above that holds the figures
    ("Creditors: amounts falling due  (14,342)" / "within one year"; "Property and equipment,  118,899" / "net")."""
    right = margins.right
    if _boxed_apart(first, second):
        return True
    if abs(second.label_x0 - first.label_x0) >= 30:
        return False
    if after is not None and after.values and after.label_words and _close(second, after, pitch=margins.pitch) \
            and (after.label[:1].islower() or _opens_mid_label(second, after, right)):
        return False  # the line below holds figures and opens mid-label: this line begins that label
    # a label starts with a capital: a line opening in lower case continues the label above ("net", "(loss)"), as
    # does a bare note reference, or any line after one that stopped mid-clause
    if _continues_label(second) or _opens_mid_label(first, second, right) or _leaves_open(first):
        return True
    if _is_heading(second):
        return False  # a line opening with a capital and ending in a colon heads the lines below ("Adjustments for:")
    # a label that ends on a connector cannot be complete: the line below ends it, though that line, in capitals
    # like the next ("WITHIN ONE YEAR" / "NET CURRENT ASSETS"), could as well begin the next label
    if _RUNS_ON.search(first.label):
        return True
    if after is not None and after.values and after.label_words and _close(second, after, pitch=margins.pitch) \
            and _runs_on_into(second, after, margins):
        return False  # the first line of the next line's label ("Common stock, $0.01 par value;" / "200,000 ...")
    return _result_runs_on(first, second, right)


def _boxed_apart(first: Row, second: Row) -> bool:
    """`second` is the last word or words of `first`'s label, on its printed line, that OCR boxed taller (down into
    the line below: "Proceeds from sale of shares in" / "Adyen"), so they were grouped on a line of their own: they
    start where the label stops, a space after its last word, and their box reaches up into its line."""
    end = first.label_words[-1].x1
    space = max(2.0, 0.5 * (first.bottom - first.top))
    return second.top < first.bottom - 1 and end <= second.label_x0 <= end + 2 * space


def _result_runs_on(result: Row, below: Row, right: float) -> bool:
    """Whether `below` carries on the name of a result or total on `result`'s line ("Net income attributable to
    Vantage" / "Analytics"): a result always prints figures, never heads lines of its own, and its name runs on
    indented under it (a hanging indent) where its line was full."""
    return (bool(TOTAL.match(result.label)) and below.label_x0 > result.label_x0 + 2
            and unit_of(result.label) is None and not is_generic_share_row(below.label) and not _is_heading(below)
            and not MAJOR_HEADING.match(below.label) and not SECTION.match(below.label)
            and _broken_before(result, below, right))


MID_LABEL = re.compile(r"[(\d][^A-Za-z]*[a-z]")
"""A line opening with a figure or a bracket, then a word in lower case ("(loss)", "52,345 and 51,987 shares")."""


def _opens_mid_label(first: Row, second: Row, right: float) -> bool:
    """Whether `second` opens with the middle of a label (a figure or a bracket, then a word in lower case:
    "52,345 and 51,987 shares issued", "(loss)", "(expense), net") that `first`'s line was too full to hold. Labels
    do open with figures and brackets ("6.5% notes due 2030", "(Increase) decrease in ..."); a line broke before
    its last word only where that word would not fit before the label column's right edge."""
    return (bool(MID_LABEL.match(second.label)) and _broken_before(first, second, right)
            and not MAJOR_HEADING.match(first.label) and not SECTION.match(first.label))


def _broken_before(first: Row, second: Row, right: float) -> bool:
    """Whether `first`'s line was full: `second`'s first word, after a space, would have run past the right edge
    of the widest label on the page (the label column's right edge is no further left). A space is never wider
    than the font's average character."""
    if second.label_x0 < first.label_x0 - 2:
        return False  # a wrapped label's later lines never start left of its first
    word = second.label_words[0]
    first_word = word.text.split()[0] if word.text.split() else word.text
    width = (word.x1 - word.x0) * len(first_word) / max(len(word.text), 1)
    space = (word.x1 - word.x0) / max(len(word.text), 1)
    return _text_right(first) + space + width > right


def _text_right(row: Row) -> float:
    """Where a line's label text ends: its last word that holds a letter or digit, less any dot leaders."""
    for word in reversed(row.label_words):
        core = re.sub(r"(?:\s*\.){2,}\s*$", "", word.text)
        if re.search(r"[^\W_]", core):
            return word.x0 + (word.x1 - word.x0) * len(core) / max(len(word.text), 1)
    return row.label_words[-1].x1
