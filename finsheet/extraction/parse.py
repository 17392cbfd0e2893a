"""Line items, periods, scale and currency of one statement section.

For each page of a section:

1. rows: the section's words grouped into visual lines; figures assembled from their pieces ("(", "1,234", ")";
   "947 398"; "–", "1,234"); each row split into a label (left) and the run of figures at its right end;
2. columns: figures clustered by their x-extent; a "Note(s)" column, percentage columns and stray numbers
   (page folios) set aside; columns that never share a row and sit under one heading merged (inner/outer columns);
3. periods: the words above the first row of figures, assigned to the columns they stand over;
4. items: labels joined across wrapped lines, indentation levels, section paths from heading rows, totals,
   per-share and share-count rows, and every value with its raw text and box.
"""

from __future__ import annotations

import re

from finsheet.extraction import numbers
from finsheet.extraction.columns import Column, classify_columns, column_phrases, find_columns, lines_up
from finsheet.extraction.detect import Section
from finsheet.extraction.doubt import doubt_half_brackets, doubt_lone_signs
from finsheet.extraction.footing import doubt_unconfirmed, read_by_footing
from finsheet.extraction.headings import (
    column_headings,
    heading_row,
    headings_start,
    in_columns,
    merge_disjoint,
    scale_words,
    table_end,
)
from finsheet.extraction.items import line_items, mark_structural_totals, rename_keys, resolve_sections
from finsheet.extraction.numbers import cents_scale, currency_heading, figures_currency, find_currency, stated_scale
from finsheet.extraction.pdf import group_lines
from finsheet.extraction.periods import read_heading, resolve, same_columns
from finsheet.extraction.placing import attach, lift_note_lines, note_range
from finsheet.extraction.points import regroup_points, restore_points
from finsheet.extraction.rows import Row, build_rows
from finsheet.model import Box, LineItem, Page, Period, Statement, StatementType, Word

T = StatementType

# --------------------------------------------------------------------------- the section


def parse_section(
    section: Section, pages: dict[int, Page], *, dollar: str = "USD", above: Statement | None = None
) -> Statement | None:
    """The statement in a section, or None when it holds no rows of figures.

    `above` is the statement printed just above on the same page: a second statement with no column headings of
    its own (a statement of comprehensive income under the income statement) reads its columns from it.
    """
    all_items: list[LineItem] = []
    ocr_confidence: dict[tuple[int, str], float] = {}  # OCR's confidence in a scanned figure, by id(item) and key
    periods: list[Period] = []
    heading_text: list[str] = [section.title]
    symbols: set[str] = set()
    printed: list[str] = []  # the value columns' figures as printed, signs and all
    columns_before: list[Column] = []  # found on the statement's previous page, which this page continues
    placed_before: list[tuple[Column, Period]] = []  # that page's value columns and their periods
    for number in section.pages:
        page = pages.get(number)
        if page is None:
            continue
        decimal_comma = numbers.uses_decimal_comma([w.text for w in page.words])
        rows = [r for r in build_rows(page, section, decimal_comma) if not _running_line(r)]
        candidates = [k for k, r in enumerate(rows) if r.cells and not heading_row(r)]
        if not candidates:
            continue
        columns = find_columns([rows[k] for k in candidates])
        first_data = next((k for k in candidates if rows[k].label_words and in_columns(rows[k], columns)), None)
        if first_data is None:
            continue
        first_data = headings_start(rows, first_data, columns)
        header_rows = rows[:first_data]
        header_words = [w for r in header_rows for w in r.words]
        body = rows[first_data:]
        body = body[: table_end(body, columns, note_range(header_words, []))]
        value_rows = [r for r in body if not heading_row(r)]
        columns = find_columns(value_rows, columns_before)  # cells refer to rows by their index in value_rows
        classify_columns(columns, value_rows, header_words)
        # the scale and currency are read from the headings, except a convenience translation's own ("US$ thousands"
        # beside "RMB in millions"): that column is set aside, and so is its unit
        foreign = {id(w) for col, phrases in zip(columns, column_phrases(columns, header_words), strict=True)
                   if col.kind == "translation" for phrase in phrases for w in phrase}
        heading_text.extend(" ".join(w.text for w in r.words if id(w) not in foreign) for r in header_rows)
        notes = note_range(header_words, columns)
        attach(body, columns, notes)
        body = lift_note_lines(body, notes)
        value_cols = [c for c in columns if c.kind == "value"]
        columns_before = columns
        if not value_cols:
            continue
        infos, context = column_headings(value_cols, header_words, header_rows, section.title)
        # a page continuing the statement with no column headings of its own: each column is the period of the page
        # before's column it stands under (its neighbours that never share a line are not one column's parts here)
        lined = _under_columns_before(value_cols, placed_before) if not any(i.label for i in infos) else None
        if lined is not None:
            page_periods = lined
        else:
            value_cols, infos = merge_disjoint(value_cols, infos, value_rows)
            page_periods = resolve(infos, context, flow=section.type != T.BALANCE)
            if any(p.end is None for p in page_periods):
                page_periods = _dated_by_header(section, pages, page_periods, value_cols, header_words, header_rows)
            unnamed = all(p.end is None and not re.search(r"\d{4}", p.label) for p in page_periods)
            if unnamed and above is not None and number in above.pages and len(above.periods) == len(page_periods):
                page_periods = [p.model_copy() for p in above.periods]
                heading_text.append(f"{above.currency or ''} {scale_words(above.scale or 1)}")
            if not periods:
                periods = page_periods
            elif len(page_periods) == len(periods) and any(p.end is None for p in page_periods):
                page_periods = periods  # a continuation page with no usable headings: same columns as before
            elif (again := same_columns(periods, page_periods)) is not None:
                rename_keys(all_items, {p.key: q.key for p, q in zip(periods, again, strict=True) if p.key != q.key})
                periods[:] = page_periods = again
            else:
                known = {p.key for p in periods}
                periods.extend(p for p in page_periods if p.key not in known)
        placed_before = list(zip(value_cols, page_periods, strict=True))
        all_items.extend(line_items(body, value_cols, page_periods, ocr_confidence if page.source == "ocr" else None))
        symbols.update(sym for r in body for sym in r.symbols)
        printed.extend(cell.figure.raw for r in body for cell in r.values.values())
    all_items = [it for it in all_items if not _page_footer(it) and not _note_references(it)]
    with_values = [it for it in all_items if it.values]
    if not periods or len(with_values) < 3:
        return None
    if sum(_words(it.label) >= 12 for it in with_values) > 0.4 * len(with_values):
        return None  # sentences with amounts in them: narrative, not a table
    if section.type == T.BALANCE and not _itemises_assets(all_items):
        return None  # a summary of a balance sheet (a parent entity's note, selected data), not the statement
    resolve_sections(all_items)
    regroup_points(all_items)
    scanned = {n for n in section.pages if n in pages and pages[n].source == "ocr"}
    restore_points(all_items, scanned)
    doubt_lone_signs(all_items, scanned)
    doubt_half_brackets(all_items, scanned)
    mark_structural_totals(all_items)
    text = "\n".join(heading_text)
    statement = Statement(
        type=section.type,
        title=section.title or section.type.display_name,
        pages=section.pages,
        confidence=round(section.confidence, 2),
        # None: neither the headings nor the figures state a unit (the pipeline decides from the document)
        scale=stated_scale(text) or cents_scale([r for it in all_items if it.unit is None for r in it.raw.values()]),
        currency=find_currency(text, dollar=dollar) or find_currency(" ".join(sorted(symbols)), dollar=dollar)
        or figures_currency(printed, dollar=dollar, scanned=bool(scanned)),
        periods=periods,
        items=all_items,
        entity=section.entity,
    )
    statement._currency_headed = statement.scale is None and currency_heading(text)
    scanned_figures = {(row, key): ocr_confidence[(id(it), key)] for row, it in enumerate(statement.items)
                       for key in it.values if (id(it), key) in ocr_confidence}
    read_by_footing(statement, scanned_figures)
    doubt_unconfirmed(statement, scanned_figures)
    return statement


# A line that states the period the statements cover ("Financial statements for the year ended 31 January 2016"),
# printed as the page's running header above the statement's title.
# A running footer names the document ("McDonald's Corporation 2022 Annual Report", "Form 10-K") beside the page's
# number; read below a statement's last line, it is no line of the statement.
_DOCUMENT_NAME = re.compile(
    r"\b(?:annual report|annual financial report|(?:interim|half[- ]year(?:ly)?) (?:financial )?report"
    r"|form 10-[kq]|form 20-f|form 40-f|quarterly report)\b", re.I
)


def _running_line(row: Row) -> bool:
    """A running header or footer: a line naming the document ("Meridian Corp. Annual Report 2019") whose only
    figure is its year or a page number. Page furniture, wherever it stands: where its year falls under a column
    it is no row of that column, and no heading of it either."""
    return _names_the_document(row.label, [c.figure.raw for c in row.cells])


def _page_footer(item: LineItem) -> bool:
    """A line whose only figure is a page number (one to three digits as printed: the printed number seldom is the
    PDF's page index, and a scan's copy renumbers its pages) or the document's year ("Annual Report 2022 35", its
    page number left in no column), beside a label naming the document: a page footer."""
    return _names_the_document(item.label, [raw for key, raw in item.raw.items() if item.values.get(key) is not None])


def _names_the_document(label: str, figures: list[str]) -> bool:
    """A label naming the document beside one figure, its year or a page number."""
    return len(figures) == 1 and bool(re.fullmatch(r"\d{1,3}|(?:19|20)\d\d", figures[0].strip())) and bool(
        _DOCUMENT_NAME.search(label))


# A line labelled "Note(s)" under a statement's columns names the note each column is explained in (UK equity
# statements print it below the last balance): references of one or two digits, not amounts.
_NOTES_LABEL = re.compile(r"notes?(?:\s*\(s\))?:?", re.I)


def _note_references(item: LineItem) -> bool:
    raws = [raw.strip() for key, raw in item.raw.items() if item.values.get(key) is not None]
    return bool(raws) and bool(_NOTES_LABEL.fullmatch(item.label.strip())) and all(
        re.fullmatch(r"\d{1,2}(?:\.\d{1,2})?[a-z]?", r) for r in raws)


_TOTAL_ASSETS = re.compile(r"^total assets\b", re.I)
_TOTAL = re.compile(r"^total\b", re.I)


def _itemises_assets(items: list[LineItem]) -> bool:
    """Whether a balance sheet lists what its assets are. A balance sheet does; a table printing only their totals
    above "Total assets" ("Total current assets", "Total assets", "Total liabilities", ...) summarises one: the
    parent entity's note of an Australian report, a five-year summary. Judged only where "Total assets" is printed."""
    itemised, totals = False, 0
    for item in items:
        if not item.values:
            continue
        if _TOTAL_ASSETS.match(item.label):
            # a page that opens on "Total assets" continues a balance sheet begun on the page before
            return itemised or totals == 0
        if item.is_total or _TOTAL.match(item.label):
            totals += 1
        else:
            itemised = True
    return True


_PERIOD_LINE = re.compile(
    r"\b(?:year|period|weeks|months)\s+(?:ended|ending|to)\s+(?:on\s+)?(?:\d{1,2}\s+[a-z]+\s+(?:19|20)\d\d"
    r"|[a-z]+\s+\d{1,2},?\s+(?:19|20)\d\d)\b",
    re.I,
)


def _dated_by_header(
    section: Section, pages: dict[int, Page], periods: list[Period], value_cols: list[Column],
    header_words: list[Word], header_rows: list[Row],
) -> list[Period]:
    """Undated columns dated by the running header's statement of the period, when the title names no date of its
    own: that line dates the statement as a date in its title would. Kept only when one column then ends on the
    very date the line states (a retailer's "year ended January 28, 2023" over "2022" dates nothing)."""
    page = pages.get(section.pages[0])
    if page is None or re.search(r"(?:19|20)\d\d", section.title) or section.x_range is not None:
        return periods
    above = [w for w in page.words if w.bottom <= section.top + 1 and w.top < 0.15 * page.height]
    stated = {m.group(0).lower() for ln in group_lines(above)
              if (m := _PERIOD_LINE.search(" ".join(w.text for w in ln)))}
    if len(stated) != 1:
        return periods
    line = stated.pop()
    date = read_heading(line)
    infos, context = column_headings(value_cols, header_words, header_rows, f"{section.title} {line}")
    dated = resolve(infos, context, flow=section.type != T.BALANCE)
    ends = {(p.end.year, p.end.month, p.end.day) for p in dated if p.end is not None}
    return dated if (date.year, date.month, date.day) in ends else periods


def _words(label: str) -> int:
    """Words in a label; dot leaders printed as ". . . ." are not words."""
    return len(re.findall(r"[^\W\d_]{2,}", label))


# --------------------------------------------------------------------------- types across the document

_OPENS_WITH_PROFIT = re.compile(r"^(?:net )?(?:\(?(?:income|earnings|profit|loss)\)?[ /]*)+\b", re.I)
_OPERATING_LINE = re.compile(r"revenue|sales|turnover|income|expense|cost|fees|dividends|interest|gain", re.I)


def income_from_comprehensive(statements: list[Statement]) -> None:
    """A statement of comprehensive income that runs from revenue down to profit is the document's income
    statement when the document prints no separate one (the single-statement presentation, IAS 1.10A / ASC 220).

    The two-statement form's comprehensive statement opens with the profit for the year and only adds other
    comprehensive income to it: that one stays what it is.
    """
    if any(st.type == T.INCOME for st in statements):
        return
    for st in statements:
        if st.type == T.COMPREHENSIVE and _runs_to_profit(st):
            st.type = T.INCOME


def _runs_to_profit(statement: Statement) -> bool:
    valued = [it for it in statement.items if it.values]
    if not valued or _OPENS_WITH_PROFIT.match(valued[0].label):
        return False
    before_oci = []
    for item in valued:
        if re.search(r"comprehensive", item.label, re.I):
            break
        before_oci.append(item)
    # revenue, costs and expenses before the other comprehensive income: the profit is worked out on the statement
    return len(before_oci) >= 6 and sum(bool(_OPERATING_LINE.search(it.label)) for it in before_oci) >= 2


# --------------------------------------------------------------------------- cash summaries

_OPENING = re.compile(r"^(?:(\d{1,2}/\d{1,2}/\d{4})\s+)?((?:beginning|opening|starting) (?:cash )?balance.*)$", re.I)
_CLOSING = re.compile(
    r"^(?:(\d{1,2}/\d{1,2}/\d{4})\s+)?((?:ending|closing|end of (?:year|period)) (?:cash )?balance.*)$", re.I
)


def _first_box(item: LineItem, key: str) -> dict[str, Box]:
    box = next(iter(item.boxes.values()), None)
    return {} if box is None else {key: box}


def cash_balances(statement: Statement) -> Statement | None:
    """The opening and closing balances of a cash summary (a small charity's "beginning balance, deposits,
    expenses, ending balance"), as a balance sheet of two dates. The summary's own period takes those dates.

    Only for a one-column statement that prints both balances; the lines move out of the summary.
    """
    if len(statement.periods) != 1:
        return None
    opening = next((it for it in statement.items if _OPENING.match(it.label)), None)
    closing = next((it for it in reversed(statement.items) if _CLOSING.match(it.label)), None)
    if opening is None or closing is None or opening is closing:
        return None
    period = statement.periods[0]
    start_m, end_m = _OPENING.match(opening.label), _CLOSING.match(closing.label)
    assert start_m is not None and end_m is not None
    start = read_heading(start_m.group(1) or "").end or period.start
    end = read_heading(end_m.group(1) or "").end or period.end
    if end is not None and period.end is None:
        period.end, period.start = end, start
        if start is not None:
            period.months = (end.year - start.year) * 12 + end.month - start.month + 1
    periods = [Period(key=d.isoformat() if d else label, label=d.isoformat() if d else label, end=d)
               for d, label in ((start, "opening"), (end, "closing"))]
    items = []
    for item, match, p in ((opening, start_m, periods[0]), (closing, end_m, periods[1])):
        value = next(iter(item.values.values()))
        raw = next(iter(item.raw.values()), "")
        items.append(item.model_copy(update={"label": match.group(2), "values": {p.key: value}, "raw": {p.key: raw},
                                             "boxes": _first_box(item, p.key),
                                             "is_total": True,
                                             "section": ["Cash"]}))
    key = period.key
    for item in statement.items:  # the summary's own period key follows its new end date
        item.values = {(period.end.isoformat() if k == key and period.end else k): v for k, v in item.values.items()}
        item.raw = {(period.end.isoformat() if k == key and period.end else k): v for k, v in item.raw.items()}
        item.boxes = {(period.end.isoformat() if k == key and period.end else k): v for k, v in item.boxes.items()}
    if period.end is not None:
        period.key = period.end.isoformat()
    statement.items = [it for it in statement.items if it is not opening and it is not closing]
    return Statement(type=T.BALANCE, title="Cash balances", pages=statement.pages, confidence=0.6,
                     scale=statement.scale, currency=statement.currency, periods=periods, items=items,
                     entity=statement.entity)


# --------------------------------------------------------------------------- one statement printed twice


def merge_split_statements(statements: list[Statement]) -> list[Statement]:
    """Join a statement printed as two tables on one page (an earnings release's 13-week and 52-week income
    statements): same type, same lines, different periods become one statement with all the periods."""
    out: list[Statement] = []
    for st in statements:
        prev = out[-1] if out else None
        if prev is not None and _same_statement_split(prev, st):
            _absorb(prev, st)
        else:
            out.append(st)
    return out


def _label_key(item: LineItem) -> str:
    return re.sub(r"[^a-z0-9]+", " ", item.label.lower()).strip()


def _same_statement_split(a: Statement, b: Statement) -> bool:
    if a.type != b.type or b.pages[0] != a.pages[-1] or a.scale != b.scale or a.currency != b.currency:
        return False
    if {(p.end, p.months, p.key if p.end is None else "") for p in a.periods} & {
            (p.end, p.months, p.key if p.end is None else "") for p in b.periods}:
        return False  # the same period twice is two statements (e.g. two entities), not one split in two
    labels_a = {_label_key(it) for it in a.items if it.values}
    labels_b = {_label_key(it) for it in b.items if it.values}
    return bool(labels_b) and len(labels_a & labels_b) >= 0.6 * max(len(labels_a), len(labels_b))


def _absorb(a: Statement, b: Statement) -> None:
    clash = {p.key for p in a.periods} & {p.key for p in b.periods}
    for st in (a, b):  # the same end date in both: the keys say the period's length ("2023-01-28/3m")
        renamed = {p.key: f"{p.key}/{p.months}m" for p in st.periods if p.key in clash and p.months}
        for p in st.periods:
            p.key = renamed.get(p.key, p.key)
        rename_keys(st.items, renamed)
    a.periods = a.periods + b.periods
    used: set[int] = set()
    for item in b.items:
        match = next((k for k, it in enumerate(a.items) if k not in used and _label_key(it) == _label_key(item)
                      and bool(it.values) == bool(item.values)), None)
        if match is None:
            a.items.append(item)
            continue
        used.add(match)
        target = a.items[match]
        target.values.update(item.values)
        target.raw.update(item.raw)
        target.boxes.update(item.boxes)
        # one line now: a doubt about its figures in either table, and what was said of them, stays with it
        target.confidence = min(target.confidence, item.confidence)
        if item.note and item.note not in (target.note or ""):
            target.note = f"{target.note}; {item.note}" if target.note else item.note
    a.confidence = min(a.confidence, b.confidence)


def _under_columns_before(value_cols: list[Column], placed: list[tuple[Column, Period]]) -> list[Period] | None:
    """The periods of a continuation page's columns, each the period of the previous page's column it stands under,
    when every one stands under a different one (a page may leave out a column it has no figures for); None
    otherwise."""
    found: list[Period] = []
    for col in value_cols:
        under = [period for before, period in placed if lines_up(col, [before])]
        if len(under) != 1 or any(p is under[0] for p in found):
            return None
        found.append(under[0])
    return found
