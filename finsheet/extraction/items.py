"""Line items from a page's rows: labels joined across wrapped lines, indentation levels, section paths from
heading rows, totals (named when unlabeled), per-share and share-count rows."""

from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import median

from finsheet.extraction.columns import Column
from finsheet.extraction.numbers import names_units
from finsheet.extraction.rows import Row, finishes_date
from finsheet.extraction.titles import normalise
from finsheet.model import Box, LineItem, Period, Unit

_TOTAL = re.compile(
    r"^(?:total\b|net (?:cash|increase|decrease|change|income|loss|earnings|profit|assets|liabilities|revenue"
    r"|current assets|current liabilities|\(decrease\)|\(increase\)|\(loss\)|income \(loss\))"
    r"|gross (?:profit|margin|loss)|operating (?:income|profit|loss|result)"
    r"|(?:profit|income|loss|earnings|result)s? (?:\(loss\) )?(?:before|after|for the)"
    r"|ebitda?\b|(?:cash and cash equivalents|cash),? (?:at )?(?:the )?end|shareholders?'?s?'? funds|total equity"
    r"|(?:profit|loss) attributable|net (?:income|loss) attributable|comprehensive income for"
    # the result of operations ("Income (loss) from operations", "Loss from continuing operations"): gross profit
    # less operating expenses, or the result before discontinued operations. Discontinued operations' result is
    # one line of the next sum, and a share of the result "attributable to" a holder is not the result
    r"|(?:\(?(?:income|loss|profit|earnings)\)?\s*(?:/\s*)?)+from (?:continuing )?operations(?!.*\battributable\b))",
    re.I,
)
_PER_SHARE = re.compile(
    r"per (?:(?:common|ordinary|basic|diluted|preferred|preference|redeemable|class [a-z0-9]) ){0,3}(?:share|unit|ads)"
    r"|earnings per|loss per|\beps\b|\(pence\)|\bpence\b"
    r"|\(cents\)|dividends? (?:declared )?per",
    re.I,
)
_SHARES = re.compile(
    r"^(?:weighted[- ]average|average number|number of (?:ordinary |common )?shares|shares used|shares outstanding"
    r"|(?:basic|diluted) (?:weighted|shares|number))|weighted[- ]average (?:number of )?(?:common |ordinary )?shares"
    r"|shares used in|common shares outstanding:?$"
    # a count of one class of shares: "Preferred shares outstanding", "Class A shares issued and outstanding"
    r"|^(?:(?:preferred|preference|ordinary|common|redeemable|voting|class [a-z0-9])\s+)+shares\s+"
    r"(?:issued\s+(?:and\s+)?)?outstanding\b",
    re.I,
)
MAJOR_HEADING = re.compile(
    r"^(?:assets|liabilities|equity|liabilities and (?:stockholders'?|shareholders'?|members'?)? ?(?:equity|deficit)"
    r"|(?:stockholders'?|shareholders'?) equity|capitali[sz]ation and liabilities|equity and liabilities"
    r"|liabilities and (?:net assets|capital|equity)|revenues?|expenses|operating activities|investing activities"
    r"|financing activities|cash flows? from .*activities)\s*:?$",
    re.I,
)
# A line naming a part of a balance sheet is a heading however much of the label column it fills: what follows it
# is its first item ("Non-current liabilities" / "5.25% bonds")
_SECTION = re.compile(
    r"^(?:(?:non-?current|current|fixed|long-term|other) (?:assets|liabilities)|capital and reserves"
    r"|(?:(?:share|stock)(?:holders|owners)'?s?'?|members'?) (?:equity|funds|deficit))\s*:?$",
    re.I,
)
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

# --------------------------------------------------------------------------- items


def rename_keys(items: list[LineItem], renamed: dict[str, str]) -> None:
    """Carry renamed period keys to every line's values, printed texts and boxes."""
    if renamed:
        for item in items:
            item.values = {renamed.get(k, k): v for k, v in item.values.items()}
            item.raw = {renamed.get(k, k): v for k, v in item.raw.items()}
            item.boxes = {renamed.get(k, k): v for k, v in item.boxes.items()}


def line_items(rows: list[Row], value_cols: list[Column], periods: list[Period],
               ocr_confidence: dict[tuple[int, str], float] | None = None) -> list[LineItem]:
    """Line items of one page's rows; for a scanned page, `ocr_confidence` is given OCR's confidence in each figure,
    by the item's id and the period key."""
    position = {id(col): k for k, col in enumerate(value_cols)}
    rows = _join_wrapped(rows)
    label_x = [r.label_x0 for r in rows if r.label_words and r.values]
    levels = _indent_levels(label_x)
    deepest = max(label_x, default=0.0)
    items: list[LineItem] = []
    for row in rows:
        values: dict[str, float | None] = {}
        raw: dict[str, str] = {}
        boxes: dict[str, Box] = {}
        read: dict[str, float] = {}
        for col_id, cell in row.values.items():
            p = position.get(col_id)
            if p is None:
                continue
            key = periods[p].key
            values[key] = None if cell.figure.unreadable else cell.figure.value
            raw[key] = cell.figure.raw
            boxes[key] = cell.box
            read[key] = cell.conf
        label = row.label
        if not values and not label:
            continue
        if not values and (re.fullmatch(r"[\d\s,.%$£€()/-]*", label) or len(label) > 160):
            continue
        # on a scan, a line's own confidence is OCR's in its label; its figures' (in `ocr_confidence`) are judged
        # by the statement's arithmetic once it is parsed (`footing.doubt_unconfirmed`), and a currency sign's says
        # nothing of the figure beside it
        conf = min([w.conf for w in (row.words if ocr_confidence is None else row.label_words)] + [1.0])
        unread = [k for k, v in values.items() if v is None and k in raw]
        if unread:  # a figure OCR could not read is shown as missing, never guessed
            conf = min(conf, 0.5)
            row.note = (row.note + "; " if row.note else "") + "unreadable figure: " + ", ".join(raw[k] for k in unread)
        # a centred heading ("ASSETS") stands further right than any line item: it is a top-level heading
        level = 0 if not values and row.label_x0 > deepest + 5 else _level(levels, row.label_x0)
        items.append(LineItem(
            label=label, level=level, page=row.page, box=row.box,
            confidence=round(conf, 2), values=values, raw=raw, boxes=boxes, note=row.note,
        ))
        if ocr_confidence is not None:
            ocr_confidence.update({(id(items[-1]), key): c for key, c in read.items()})
    return [it for it in _trim(items)]


def _trim(items: list[LineItem]) -> list[LineItem]:
    """Drop the trailing lines with no figures (footnotes under the table)."""
    while items and not items[-1].values:
        items.pop()
    return items


def _join_wrapped(rows: list[Row]) -> list[Row]:
    """Join labels wrapped over several lines: lines with no figures whose label runs on into the line below (which
    may hold the figures), and lines with no figures that end the label of the line above, which holds them."""
    margins = _Margins(_label_column_right(rows), _hanging_indents(rows))
    out: list[Row] = []
    for k, row in enumerate(rows):
        prev = out[-1] if out else None
        nxt = rows[k + 1] if k + 1 < len(rows) else None
        if prev is None or not prev.label_words or not row.label_words:
            out.append(row)
            continue
        upper_open = _ends_on_connector(prev)  # the line above cannot end a label
        lower_open = _continues_label(row) or bool(_MID_LABEL.match(row.label))  # this one cannot begin one
        if not _close(prev, row, runs_on=upper_open or lower_open, both_open=upper_open and lower_open):
            out.append(row)
        elif not prev.values and _runs_on_into(prev, row, margins):
            row.label_words = prev.label_words + row.label_words
            row.words = prev.words + row.words
            out[-1] = row
        elif prev.values and not row.values and _ends_label_above(prev, row, nxt, margins):
            prev.label_words = prev.label_words + row.label_words
            prev.words = prev.words + row.words
        else:
            out.append(row)
    return out


@dataclass(frozen=True)
class _Margins:
    """Where a page's labels stand: the label column's right edge, and the indents at which only the later lines of
    wrapped labels begin."""

    right: float
    hanging: tuple[float, ...]


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
            and not MAJOR_HEADING.match(first.label) and not _SECTION.match(first.label))


def _label_column_right(rows: list[Row]) -> float:
    """The furthest right a label's text reaches on the page: the label column's right edge is no further left. Lines
    that reach under the figures are no labels (a running footer, a centred note)."""
    figures_left = min((cell.x0 for r in rows for cell in r.values.values()), default=float("inf"))
    return max((right for r in rows if r.label_words and (right := _text_right(r)) < figures_left), default=0.0)


def _close(first: Row, second: Row, *, runs_on: bool = False, both_open: bool = False) -> bool:
    """Lines of one label are set at the statement's line spacing: no wider gap than most of a line's height. When
    the upper line cannot end a label (it ends on a connector or comma) or the lower cannot begin one (it opens in
    lower case, or with a bracket or figure before a word in lower case: "(loss)"), up to a whole line's height:
    OCR's boxes are tight round the ink, so its gaps between lines are wider than a text layer's, while a blank line
    between two items is wider still. When both hold ("Total liabilities and" / "shareholders' equity"), neither
    line is a label alone, and a statement that sets every line, wrapped or not, at a loose pitch (OCR's tight
    boxes then a line's height and more apart) is still read as one label: up to 1.6 line heights, short of a blank
    line's gap between two items (two pitches less a line's height)."""
    limit = 1.6 if both_open else 1.0 if runs_on else 0.8
    return second.top - first.bottom < limit * max(first.bottom - first.top, 6)


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
    return (len(inner.split()) >= 3 and _unit_of(label) is None and not names_units(inner)
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
             and _unit_of(upper) is None and not _is_generic_share_row(lower))
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
            and not MAJOR_HEADING.match(upper) and not _SECTION.match(upper) and not _SECTION.match(lower)
            and not MAJOR_HEADING.match(lower) and _broken_before(first, second, right))


def _ends_label_above(first: Row, second: Row, after: Row | None, margins: _Margins) -> bool:
    """Whether `second`, a line with no figures, ends the label of `first`, the line above that holds the figures
    ("Creditors: amounts falling due  (14,342)" / "within one year"; "Property and equipment,  118,899" / "net")."""
    right = margins.right
    if _boxed_apart(first, second):
        return True
    if abs(second.label_x0 - first.label_x0) >= 30:
        return False
    if after is not None and after.values and after.label_words and _close(second, after) \
            and (after.label[:1].islower() or _opens_mid_label(second, after, right)):
        return False  # the line below holds figures and opens mid-label: this line begins that label
    # a label starts with a capital: a line opening in lower case continues the label above ("net", "(loss)"), as
    # does a bare note reference, or any line after one that stopped mid-clause
    if _continues_label(second) or _opens_mid_label(first, second, right) or _leaves_open(first):
        return True
    if after is not None and after.values and after.label_words and _close(second, after) \
            and _runs_on_into(second, after, margins):
        return False  # the first line of the next line's label ("Common stock, $0.01 par value;" / "200,000 ...")
    # a label that ends on a connector cannot be complete
    return bool(_RUNS_ON.search(first.label)) or _result_runs_on(first, second, right)


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
    return (bool(_TOTAL.match(result.label)) and below.label_x0 > result.label_x0 + 2
            and _unit_of(result.label) is None and not _is_generic_share_row(below.label) and not _is_heading(below)
            and not MAJOR_HEADING.match(below.label) and not _SECTION.match(below.label)
            and _broken_before(result, below, right))


_MID_LABEL = re.compile(r"[(\d][^A-Za-z]*[a-z]")
"""A line opening with a figure or a bracket, then a word in lower case ("(loss)", "52,345 and 51,987 shares")."""


def _opens_mid_label(first: Row, second: Row, right: float) -> bool:
    """Whether `second` opens with the middle of a label (a figure or a bracket, then a word in lower case:
    "52,345 and 51,987 shares issued", "(loss)", "(expense), net") that `first`'s line was too full to hold. Labels
    do open with figures and brackets ("6.5% notes due 2030", "(Increase) decrease in ..."); a line broke before
    its last word only where that word would not fit before the label column's right edge."""
    return (bool(_MID_LABEL.match(second.label)) and _broken_before(first, second, right)
            and not MAJOR_HEADING.match(first.label) and not _SECTION.match(first.label))


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


def _indent_levels(xs: list[float]) -> dict[int, int]:
    """Indentation level of each label x position (rounded), from the steps between distinct positions."""
    distinct = sorted({round(x) for x in xs})
    if not distinct:
        return {}
    clusters: list[list[int]] = [[distinct[0]]]
    for x in distinct[1:]:
        if x - clusters[-1][-1] <= 2:
            clusters[-1].append(x)
        else:
            clusters.append([x])
    starts = [c[0] for c in clusters]
    steps = [b - a for a, b in zip(starts, starts[1:], strict=False) if b - a >= 3]
    smallest = max(min(steps), 4) if steps else 10
    unit = float(median([s for s in steps if s < 3 * smallest])) if steps else float(smallest)
    base = starts[0]
    return {x: min(int(round((c[0] - base) / unit)), 6) for c in clusters for x in c}


def _level(levels: dict[int, int], x: float) -> int:
    if not levels:
        return 0
    nearest = min(levels, key=lambda k: abs(k - x))
    return levels[nearest]


def resolve_sections(items: list[LineItem]) -> None:
    """Section paths from heading rows (lines with no figures), totals, units; unlabeled totals named."""
    stack: list[tuple[float, str, bool]] = []  # (level, heading, major)
    unit_stack: Unit | None = None
    for item in items:
        label = item.label
        if not item.values:
            major = bool(MAJOR_HEADING.match(label))
            level = item.level - (0.5 if major else 0.0)
            while stack and stack[-1][0] >= level and not (stack[-1][2] and not major and stack[-1][0] < level + 0.5):
                stack.pop()
            stack.append((level, _heading_name(label), major))
            unit_stack = _unit_of(label)
            item.section = [s[1] for s in stack[:-1]]
            continue
        item.section = [s[1] for s in stack]
        unit = _unit_of(label) or (unit_stack if _shares_heading_unit(item, unit_stack) else None)
        if unit is None and any(f"{v}".endswith("p") for v in item.raw.values()):
            unit = "per_share"
        item.unit = unit
        if not label:
            item.is_total = True
            leaf = stack[-1][1] if stack else ""
            # the block's heading names what the total adds up, or the total itself ("Total comprehensive income is
            # attributable to:"), never "Total total ..."; a line of a label's details with no figures of its own
            # ("150,000 authorized as of ...": it opens mid-label) heads no block, and the total is left unnamed
            detail = leaf[:1].islower() or bool(_MID_LABEL.match(leaf))
            item.label = "Total" if not leaf or detail else leaf if re.match(r"total\b", leaf, re.I) \
                else f"Total {_in_running_text(leaf)}"
            item.note = (item.note + "; " if item.note else "") + "no label printed"
            if stack and not stack[-1][2]:
                stack.pop()  # an unlabeled total closes the block it adds up
            continue
        else:
            item.is_total = bool(_TOTAL.match(label)) or (label.isupper() and len(label) > 3 and bool(
                re.match(r"(?:net|total|gross|operating|income|profit|loss)\b", label, re.I)))
        if item.is_total and stack:
            name = normalise(re.sub(r"^total\s+", "", label, flags=re.I))
            for depth in range(len(stack) - 1, -1, -1):
                if normalise(stack[depth][1]) == name:
                    del stack[depth:]
                    break
        if unit_stack and not _shares_heading_unit(item, unit_stack) and not _unit_of(label):
            unit_stack = None
    _unname_partial_totals(items)


def _unname_partial_totals(items: list[LineItem]) -> None:
    """A block's total is printed once. An unlabelled total named after its block, where the statement prints that
    total under its own label further down, adds up only part of the block (the equity components before treasury
    stock, above "Total shareholders' equity"): what it is, no line says, so it is left "Total"."""
    printed_later: set[str] = set()  # the names of the totals printed with their labels, from the bottom up
    for item in reversed(items):
        unlabelled = "no label printed" in (item.note or "")
        if not unlabelled:
            printed_later.add(normalise(item.label))
        elif item.is_total and item.label != "Total" and normalise(item.label) in printed_later:
            item.label = "Total"


def _in_running_text(heading: str) -> str:
    """A heading as words inside a name ("Current Assets" -> "current assets", "EXPENSES (note 7)" -> "expenses (note
    7)"): a heading set mostly in capitals, or in capitalised words, is lower-cased; a short word in capitals among
    words in lower case ("IFRS", "US") is an acronym and stays."""
    letters = [ch for ch in heading if ch.isalpha()]
    if letters and sum(ch.isupper() for ch in letters) >= 0.7 * len(letters):
        return heading.lower()
    return " ".join(w.lower() if w[:1].isupper() and (w[1:] == w[1:].lower() or len(w) > 4) else w
                    for w in heading.split())


def _heading_name(label: str) -> str:
    text = label.rstrip(":").strip()
    return text[:1].upper() + text[1:].lower() if text.isupper() else text


# A per-share phrase that prices the instrument the line is about ("Preferred stock, $0.01 par value per share",
# "Cash dividends declared ($0.88 per share)", "par value of 1p each"): the line's own figures are money.
_PRICED_PER_SHARE = re.compile(
    r"(?:(?:[$£€¥]|\b(?:us|usd|gbp|eur|rmb|hk)\$?)\s?\d[\d,.]*|\b\d[\d,.]*\s?(?:cents?|pence|p)\b)"
    r"(?:\s+(?:par|stated|nominal)(?:\s+value)?|\s+liquidation\s+(?:preference|value))?"
    r"\s+(?:per|a|each)\s+(?:(?:common|ordinary|preferred|preference)\s+)?(?:share|unit)s?\b"
    r"|\b(?:par|stated|nominal) value(?:\s+of\s+\S+)?\s+per\s+(?:\w+\s+)?share\b"
    r"|\bliquidation (?:preference|value)(?:\s+of\s+\S+)?\s+per\s+(?:\w+\s+)?share\b",
    re.I,
)

# A balance sheet's capital stock line describes its shares (authorised, par value) beside an amount of money.
_CAPITAL_STOCK = re.compile(r"\b(?:par|stated|nominal) value\b|\bauthori[sz]ed\b", re.I)


def _unit_of(label: str) -> Unit | None:
    """The unit a label gives its figures. A count of shares is shares even when the label names the per-share
    figure it serves ("Shares used to compute basic net income per share"); a per-share phrase that prices the
    line's instrument leaves the line in money, and so does a capital stock line that describes its shares
    ("Common stock, no par value; 1,000 shares authorized; 400 common shares outstanding")."""
    if _PRICED_PER_SHARE.search(label) or _CAPITAL_STOCK.search(label):
        return None
    if _SHARES.search(label):
        return "shares"
    if _PER_SHARE.search(label):
        return "per_share"
    return None


# OCR reads the end of a rule or a speck before a label as a mark ('"Basic', "'Diluted") and may lose a short label's
# last letters against a ruled grid's upright rule ("Basi", "Dilut"): a share row's label is read past both
_GENERIC_SHARE_ROW = re.compile(
    r"[\"'`\u2018\u2019\u201c\u201d~_|]?(?:basic|diluted|basic and diluted|basi|dilut|dilute)(?: \(.*\))?:?", re.I)


def _is_generic_share_row(label: str) -> bool:
    return bool(_GENERIC_SHARE_ROW.fullmatch(label.strip()))


# Under a per-share heading ("Income per share - basic:", "Earnings per share"), the result is split into its
# parts by operations: "Continuing operations", "Income from discontinued operations" (or just "Continuing") are
# per-share figures there.
_OPERATIONS_PART = re.compile(
    r"(?:(?:net )?(?:income|earnings|profit|loss)(?: \(loss\))?\s+(?:from|on)\s+)?"
    r"(?:continuing|discontinued)(?: operations)?(?: \(.*\))?:?",
    re.I,
)


# A line naming the result or a part of it, however qualified ("Income from continuing operations attributable to
# the parent", "Discontinued operations, net of tax", "Net income attributable to the parent")
_RESULT_NAMED = re.compile(r"\b(?:income|earnings|profit|loss|operations)\b", re.I)
# A per-share amount prints cents: two decimals ("1.31", "$(0.09)"), where money in a statement of thousands or
# millions prints none or one
_CENTS = re.compile(r"[^\d]*\d+\.\d{2}\)?")
# What OCR leaves of cents whose point it lost ("131" for "1.31", "1234" for "12.34"): three or four digits with no
# separator. A text layer never prints a per-share amount so, and money under the heading prints its own grouping.
CENTS_POINT_LOST = re.compile(r"[^\d]*\d{3,4}\)?")


def _shares_heading_unit(item: LineItem, unit: Unit | None) -> bool:
    """Whether a line takes the unit of the heading above it: "Basic" and "Diluted" under a share count's or a
    per-share heading; under a per-share heading, the result's parts by operations, and any line naming the result
    whose every figure prints cents."""
    label = item.label.strip()
    if _is_generic_share_row(label):
        return True
    if unit != "per_share":
        return False
    if _OPERATIONS_PART.fullmatch(label):
        return True
    # a nil says nothing of a line's precision; a scan's lost point is read as cents where the line's other figures
    # print cents
    raws = [raw.strip() for key, raw in item.raw.items() if item.values.get(key)]
    return any(_CENTS.fullmatch(r) for r in raws) and bool(_RESULT_NAMED.search(label)) and all(
        _CENTS.fullmatch(r) or CENTS_POINT_LOST.fullmatch(r) for r in raws)


def mark_structural_totals(items: list[LineItem]) -> None:
    """A line whose figures equal the sum of the lines just above it (since the last heading or total) is a
    subtotal even when its label does not say so ("Equity attributable to owners of the parent")."""
    block: list[LineItem] = []
    for item in items:
        if not item.values or item.unit is not None:
            block = [] if not item.values else block
            continue
        keys = [k for k, v in item.values.items() if v is not None]
        if not item.is_total and len(block) >= 2 and keys and (len(keys) >= 2 or len(block) >= 3):
            sums = [sum(it.values.get(k) or 0.0 for it in block) for k in keys]
            if all(abs(s - (item.values[k] or 0.0)) <= 0.5 * len(block) * _unit(item) + 1e-9
                   for s, k in zip(sums, keys, strict=True)) and any(item.values[k] for k in keys):
                item.is_total = True
        block = [item] if item.is_total else [*block, item]


def _unit(item: LineItem) -> float:
    decimals = max((len(m.group(1)) for raw in item.raw.values() if (m := re.search(r"\.(\d{1,2})\)?$", raw))),
                   default=0)
    return 10.0 ** -decimals
