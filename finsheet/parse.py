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
from collections import Counter
from dataclasses import dataclass, field
from statistics import median

from finsheet import numbers
from finsheet.detect import Section, normalise
from finsheet.model import Box, LineItem, Page, Period, Statement, StatementType, Unit, Word
from finsheet.numbers import Figure, find_currency, find_scale, parse_figure
from finsheet.pdf import group_lines
from finsheet.periods import PeriodInfo, read_heading, resolve

T = StatementType

_NOTE_HEADER = re.compile(r"^notes?$|^note\(s\)$|^ref\.?$", re.I)
_NOTE_TOKEN = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})?[a-z]?|[A-H]\d{1,2}(?:\([a-z]\))?|[ivx]{1,4})(?:,|$)", re.I)
_END_OF_TABLE = re.compile(
    r"^(?:see (?:the )?accompanying|the accompanying notes|the notes on pages|the (?:consolidated )?(?:statement|balance)"
    r".{0,80}should be read|approved by the board|the financial statements (?:on pages|were approved))", re.I
)
_TOTAL = re.compile(
    r"^(?:total\b|net (?:cash|increase|decrease|change|income|loss|earnings|profit|assets|liabilities|revenue"
    r"|current assets|current liabilities|\(decrease\)|\(increase\)|\(loss\)|income \(loss\))|gross (?:profit|margin|loss)"
    r"|operating (?:income|profit|loss|result)|(?:profit|income|loss|earnings|result)s? (?:\(loss\) )?(?:before|after|for the)"
    r"|ebitda?\b|(?:cash and cash equivalents|cash),? (?:at )?(?:the )?end|shareholders?'?s?'? funds|total equity"
    r"|(?:profit|loss) attributable|net (?:income|loss) attributable|comprehensive income for)",
    re.I,
)
_PER_SHARE = re.compile(
    r"per (?:common |ordinary |basic |diluted )?(?:share|unit|ads)|earnings per|loss per|\beps\b|\(pence\)|\bpence\b"
    r"|\(cents\)|dividends? (?:declared )?per",
    re.I,
)
_SHARES = re.compile(
    r"^(?:weighted[- ]average|average number|number of (?:ordinary |common )?shares|shares used|shares outstanding"
    r"|(?:basic|diluted) (?:weighted|shares|number))|weighted[- ]average (?:number of )?(?:common |ordinary )?shares"
    r"|shares used in|common shares outstanding:?$",
    re.I,
)
_MAJOR = re.compile(
    r"^(?:assets|liabilities|equity|liabilities and (?:stockholders'?|shareholders'?|members'?)? ?(?:equity|deficit)"
    r"|(?:stockholders'?|shareholders'?) equity|capitali[sz]ation and liabilities|equity and liabilities"
    r"|liabilities and (?:net assets|capital|equity)|revenues?|expenses|operating activities|investing activities"
    r"|financing activities|cash flows? from .*activities)\s*:?$",
    re.I,
)
_CONNECTOR_END = re.compile(r"(?:\b(?:and|or|of|for|to|in|from|the|on|by|with|before|after|attributable|net|less|a|within|than)"
                            r"|[,&(\-–])$", re.I)


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


def clean_label(text: str) -> str:
    text = re.sub(r"\s*\.{2,}[\s.]*", " ", text)  # dot leaders
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+([,;:)])", r"\1", text)
    text = re.sub(r"([(])\s+", r"\1", text)
    text = re.sub(r"\s*[$£€]$", "", text)
    text = re.sub(r"^[|!;:,.'`]+\s*", "", text)  # OCR specks before a label
    return re.sub(r"\s*[;|:,`']+$", "", text).strip()


def _figure_tokens(line: list[Word], decimal_comma: bool) -> list[tuple[Figure | None, list[Word]]]:
    """A line's words with figures assembled from their printed pieces; (None, [word]) for text."""
    out: list[tuple[Figure | None, list[Word]]] = []
    i = 0
    n = len(line)
    while i < n:
        w = line[i]
        height = max(w.bottom - w.top, 4.0)
        group = [w]
        j = i + 1

        def near(a: Word, b: Word, factor: float = 0.45) -> bool:
            return b.x0 - a.x1 <= factor * height

        # a sign or an opening parenthesis or a currency symbol standing apart from its digits
        while j < n and group[-1].text in ("(", "$", "£", "€", "¥", "-", "–", "—", "−", "($", "$(") and near(
            group[-1], line[j], 1.2
        ):
            group.append(line[j])
            j += 1
        text = "".join(g.text for g in group)
        # digits grouped with spaces ("947 398"), or split around a separator ("1 , 462", "0 .19p")
        while j < n and near(group[-1], line[j]) and _continues_number(text, line[j].text):
            group.append(line[j])
            text += line[j].text if not line[j].text[0].isdigit() or text[-1] in ",." else " " + line[j].text
            j += 1
        if j < n and line[j].text in (")", "%", ")%", "%)") and near(group[-1], line[j]):
            group.append(line[j])
            text += line[j].text
            j += 1
        fig = parse_figure(text.replace(" ", "") if _SPACE_GROUPS.match(text) else text, decimal_comma=decimal_comma)
        if fig is not None and (len(group) > 1 or _figure_like(w.text)):
            out.append((fig, group))
            i = j
        else:
            out.append((None, [w]))
            i += 1
    return out


_SPACE_GROUPS = re.compile(r"^[(\-–—−]?[$£€]?\d{1,3}(?: \d{3})+(?:[.,]\d+)?\)?%?$|.*\d[ ]?[,.][ ]?\d")


def _continues_number(text: str, nxt: str) -> bool:
    if not re.search(r"\d$|[,.]$", text):
        return False
    if re.fullmatch(r"[,.]", nxt):
        return True
    if text[-1] in ",.":
        return bool(re.fullmatch(r"\d+(?:[.,]\d+)?\)?[p%]?", nxt))
    if re.fullmatch(r"[.,]\d+\)?[p%]?", nxt):
        return True
    head = re.sub(r"^[(\-–—−$£€ ]+", "", text)
    return bool(re.fullmatch(r"\d{1,3}(?: \d{3})*", head) and re.fullmatch(r"\d{3}(?:[.,]\d+)?\)?", nxt))


def _year_after_month(before: list[Word], group: list[Word]) -> bool:
    return (len(group) == 1 and bool(re.fullmatch(r"(?:19|20)\d\d", group[0].text))
            and bool(re.fullmatch(r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?", before[-1].text, re.I)))


def _is_currency(group: list[Word]) -> bool:
    return len(group) == 1 and group[0].text in numbers.CURRENCY_SYMBOLS


def _figure_like(text: str) -> bool:
    return bool(re.search(r"\d", text)) or numbers.is_nil(text)


def build_rows(page: Page, section: Section, decimal_comma: bool) -> list[Row]:
    """The section's rows on one page: label words on the left, the run of figures at the right end."""
    top = section.top if page.number == section.pages[0] else 0.0
    bottom = section.bottom.get(page.number, page.height)
    x_lo, x_hi = section.x_range or (0.0, page.width)
    words = [w for w in page.words if top - 1 <= w.top < bottom - 1 and x_lo <= w.xc <= x_hi]
    rows: list[Row] = []
    for line in group_lines(words):
        text = " ".join(w.text for w in line)
        if rows and _END_OF_TABLE.match(text):
            break
        tokens = _figure_tokens(line, decimal_comma)
        split = len(tokens)
        while split > 0 and (tokens[split - 1][0] is not None or _is_currency(tokens[split - 1][1])):
            split -= 1
        # "At 31 October 2016 ...": a year right after a month name is part of the label, not a figure
        while split < len(tokens) and split > 0 and _year_after_month(tokens[split - 1][1], tokens[split][1]):
            split += 1
        row = Row(page=page.number, words=line)
        for _, group in tokens[:split]:
            row.label_words.extend(group)
        for fig, group in tokens[split:]:
            if fig is None:
                row.symbols.append(group[0].text)
                continue  # a currency symbol standing at the left of its column
            row.cells.append(Cell(fig, group[0].x0, group[-1].x1, min(g.top for g in group),
                                  max(g.bottom for g in group), min(g.conf for g in group)))
        if row.label_words and row.label_words[-1].text in numbers.CURRENCY_SYMBOLS:
            row.symbols.append(row.label_words.pop().text)
        rows.append(row)
    return rows


# --------------------------------------------------------------------------- columns


@dataclass(slots=True)
class Column:
    x0: float
    x1: float
    cells: list[tuple[int, Cell]] = field(default_factory=list)
    kind: str = "value"  # value | note | percent

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2


def find_columns(rows: list[Row]) -> list[Column]:
    """Value columns from the figures' x-extents, left to right."""
    items = sorted(((i, c) for i, r in enumerate(rows) for c in r.cells), key=lambda ic: ic[1].x0)
    columns: list[Column] = []
    for i, cell in items:
        if columns and cell.x0 <= columns[-1].x1 - 0.5:
            col = columns[-1]
            col.x1 = max(col.x1, cell.x1)
            col.cells.append((i, cell))
        else:
            columns.append(Column(cell.x0, cell.x1, [(i, cell)]))
    columns = [part for col in columns for part in _split_crowded(col)]
    if not columns:
        return []
    biggest = max(len(c.cells) for c in columns)
    keep = [c for c in columns if len(c.cells) >= max(2, 0.12 * biggest) or biggest < 4]
    return keep


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
    note_headers = [w for w in header_words if _NOTE_HEADER.match(w.text.strip(":"))]
    for k, col in enumerate(columns):
        figures = [c.figure for _, c in col.cells]
        if sum(f.percent for f in figures) >= 0.6 * len(figures):
            col.kind = "percent"
            continue
        under_note = any(w.x0 - 12 <= col.xc <= w.x1 + 12 for w in note_headers)
        small_ints = all(re.fullmatch(r"\d{1,2}[a-z]?", f.raw) for f in figures)
        if under_note and small_ints:
            col.kind = "note"
        elif small_ints and k == 0 and len(columns) >= 3 and _beside_bigger(col, rows):
            col.kind = "note"  # note numbers with no heading over them (a second statement on the page)


def _beside_bigger(col: Column, rows: list[Row]) -> bool:
    """Whether the rows this column's figures stand in carry much bigger figures in their other cells."""
    bigger = 0
    for i, cell in col.cells:
        others = [c for c in rows[i].cells if c is not cell]
        if any(abs(c.figure.value) >= 100 or "." in c.figure.raw for c in others):
            bigger += 1
    return bigger >= 0.5 * len(col.cells)


# --------------------------------------------------------------------------- the section


def parse_section(
    section: Section, pages: dict[int, Page], *, dollar: str = "USD", above: Statement | None = None
) -> Statement | None:
    """The statement in a section, or None when it holds no rows of figures.

    `above` is the statement printed just above on the same page: a second statement with no column headings of
    its own (a statement of comprehensive income under the income statement) reads its columns from it.
    """
    all_items: list[LineItem] = []
    periods: list[Period] = []
    heading_text: list[str] = [section.title]
    symbols: set[str] = set()
    for number in section.pages:
        page = pages.get(number)
        if page is None:
            continue
        decimal_comma = numbers.uses_decimal_comma([w.text for w in page.words])
        rows = build_rows(page, section, decimal_comma)
        candidates = [k for k, r in enumerate(rows) if r.cells and not _heading_row(r)]
        if not candidates:
            continue
        columns = find_columns([rows[k] for k in candidates])
        first_data = next((k for k in candidates if rows[k].label_words and _in_columns(rows[k], columns)), None)
        if first_data is None:
            continue
        columns = find_columns([r for r in rows[first_data:] if not _heading_row(r)])
        first_data = _headings_start(rows, first_data, columns)
        header_rows = rows[:first_data]
        header_words = [w for r in header_rows for w in r.words]
        heading_text.extend(" ".join(w.text for w in r.words) for r in header_rows)
        body = rows[first_data:]
        classify_columns(columns, body, header_words)
        _attach(body, columns, _note_range(header_words, columns))
        value_cols = [c for c in columns if c.kind == "value"]
        if not value_cols:
            continue
        infos, context = _headings(value_cols, header_words, header_rows, section.title)
        value_cols, infos = _merge_disjoint(value_cols, infos, body)
        page_periods = resolve(infos, context, flow=section.type != T.BALANCE)
        unnamed = all(p.end is None and not re.search(r"\d{4}", p.label) for p in page_periods)
        if unnamed and above is not None and number in above.pages and len(above.periods) == len(page_periods):
            page_periods = [p.model_copy() for p in above.periods]
            heading_text.append(f"{above.currency or ''} {_scale_words(above.scale)}")
        if not periods:
            periods = page_periods
        elif len(page_periods) == len(periods) and any(p.end is None for p in page_periods):
            page_periods = periods  # a continuation page with no usable headings: same columns as before
        else:
            known = {p.key for p in periods}
            periods.extend(p for p in page_periods if p.key not in known)
        all_items.extend(_items(body, value_cols, page_periods))
        symbols.update(sym for r in body for sym in r.symbols)
    if not periods or sum(1 for it in all_items if it.values) < 2:
        return None
    _resolve_sections(all_items)
    text = "\n".join(heading_text)
    return Statement(
        type=section.type,
        title=section.title or section.type.display_name,
        pages=section.pages,
        confidence=round(section.confidence, 2),
        scale=find_scale(text) or 1,
        currency=find_currency(text, dollar=dollar) or find_currency(" ".join(sorted(symbols)), dollar=dollar),
        periods=periods,
        items=all_items,
        entity=section.entity,
    )


_DATE_WORDS = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\bended\b|\bas (?:at|of)\b|\bnotes?\b|\byear\b"
    r"|\bperiod\b|\bweeks\b|\bmonths\b|\bfiscal\b|\bfy\b",
    re.I,
)


def _in_columns(row: Row, columns: list[Column]) -> bool:
    return any(c.x0 - 2 <= cell.xc <= c.x1 + 2 for cell in row.cells for c in columns)


def _heading_row(row: Row) -> bool:
    """A column-heading line: its figures are years ("2022 2021") or it reads as a date ("as at 31 December 2022")."""
    years = all(re.fullmatch(r"(?:19|20)\d\d", c.figure.raw) for c in row.cells)
    return years and (not row.label_words or bool(_DATE_WORDS.search(row.label)) or len(row.cells) >= 2)


def _headings_start(rows: list[Row], first_data: int, columns: list[Column]) -> int:
    """Index of the first body row: the section headings ("ASSETS", "Current assets") just above the first row of
    figures belong to the body, the column headings above them do not."""
    if not columns:
        return first_data
    boundary = min(c.x0 for c in columns) - 25
    k = first_data
    while k > 0:
        row = rows[k - 1]
        text = " ".join(w.text for w in row.words)
        if any(w.x1 > boundary for w in row.words) or find_scale(text) or row.cells:
            break
        k -= 1
    return k


def _scale_words(scale: int) -> str:
    return {1000: "in thousands", 1_000_000: "in millions", 1_000_000_000: "in billions"}.get(scale, "")


def _note_range(header_words: list[Word], columns: list[Column]) -> tuple[float, float] | None:
    """Where the Notes column stands: under its heading, or where the note-number figures are."""
    notes = [c for c in columns if c.kind == "note"]
    if notes:
        return notes[0].x0 - 15, notes[0].x1 + 15
    heads = [w for w in header_words if _NOTE_HEADER.match(w.text.strip(":"))]
    if heads:
        return heads[0].x0 - 15, heads[0].x1 + 15
    return None


def _attach(rows: list[Row], columns: list[Column], note_range: tuple[float, float] | None) -> None:
    """Each row's cells by column index; a note-column figure becomes the row's note; stray figures that sit in
    no column go back to the label."""
    for row in rows:
        kept: list[Cell] = []
        for cell in row.cells:
            k = next((k for k, c in enumerate(columns) if c.x0 - 2 <= cell.xc <= c.x1 + 2), None)
            if k is None:
                if not row.values and cell.x1 < (columns[0].x0 if columns else 0):
                    row.label_words.append(Word(cell.figure.raw, cell.x0, cell.top, cell.x1, cell.bottom))
                continue
            if columns[k].kind == "note":
                row.note = cell.figure.raw
            elif columns[k].kind == "value":
                row.values.setdefault(id(columns[k]), cell)
            kept.append(cell)
        row.cells = kept
        if note_range is not None:
            _pull_note_words(row, note_range)


def _pull_note_words(row: Row, note_range: tuple[float, float]) -> None:
    """Alphanumeric note references ("B2", "C5,C7", "7, 8, 26") printed in the Notes column leave the label."""
    if len(row.label_words) < 2:
        return
    lo, hi = note_range
    keep, refs = [], []
    for w in row.label_words:
        if lo <= w.xc <= hi and w is not row.label_words[0] and _NOTE_TOKEN.match(w.text):
            refs.append(w.text)
        else:
            keep.append(w)
    if refs:
        row.label_words = keep
        row.note = " ".join(refs) if row.note is None else f"{' '.join(refs)} {row.note}"


def _headings(
    columns: list[Column], header_words: list[Word], header_rows: list[Row], title: str
) -> tuple[list[PeriodInfo], PeriodInfo]:
    """Each column's heading text (words standing over it, spanning headings included) and the context."""
    phrases = _phrases(header_words)
    texts: list[list[tuple[float, str]]] = [[] for _ in columns]
    context_parts = [title]
    centers = [c.x1 for c in columns]
    spacing = min((b - a for a, b in zip(centers, centers[1:], strict=False)), default=120.0)
    groups = _group_phrases(phrases, columns)
    title_key = normalise(title)
    for phrase in phrases:
        x0, x1 = phrase[0].x0, phrase[-1].x1
        text = " ".join(w.text for w in phrase)
        if (title_key and normalise(text) in title_key) or find_scale(text) or re.match(r"(?:for|as at|as of)\b", text, re.I):
            context_parts.append(text)  # the title, the units line, "for the year ended ...": not a column's own
            continue
        if id(phrase) in groups:
            hits = groups[id(phrase)]
        else:
            hits = [k for k, c in enumerate(columns) if x0 - 0.25 * spacing <= c.xc <= x1 + 0.25 * spacing]
        if not hits:
            mid = (x0 + x1) / 2
            k = min(range(len(columns)), key=lambda k: abs(columns[k].xc - mid))
            if abs(columns[k].xc - mid) < 0.6 * spacing:
                hits = [k]
        text = " ".join(w.text for w in phrase)
        if hits:
            for k in hits:
                texts[k].append((phrase[0].top, text))
        if not hits or len(hits) > 1:
            context_parts.append(text)
    infos = [read_heading(" ".join(t for _, t in sorted(parts))) for parts in texts]
    context = read_heading(" ".join(context_parts))
    if context.month is None:  # "Year ended December 31," may stand over one column only: any dateless heading
        for info, parts in zip(infos, texts, strict=True):
            if info.month is not None and info.year is None:
                context.month, context.day = info.month, info.day
                break
    if context.months is None:
        context.months = next((i.months for i in infos if i.months), None)
    return infos, context


_GROUP_WORDS = re.compile(r"\b(?:ended|ending|months|weeks|year|years|quarter|period|fiscal)\b", re.I)


def _group_phrases(phrases: list[list[Word]], columns: list[Column]) -> dict[int, list[int]]:
    """Headings over groups of columns ("Three Months Ended" | "Six Months Ended", "Year ended December 31,"):
    each column belongs to the nearest such heading on that line."""
    by_line: dict[int, list[list[Word]]] = {}
    for phrase in phrases:
        text = " ".join(w.text for w in phrase)
        if _GROUP_WORDS.search(text) and not re.search(r"(?:19|20)\d\d", text):
            by_line.setdefault(round(phrase[0].top), []).append(phrase)
    out: dict[int, list[int]] = {}
    for line in by_line.values():
        centers = [(p[0].x0 + p[-1].x1) / 2 for p in line]
        for k, col in enumerate(columns):
            nearest = min(range(len(line)), key=lambda i: abs(centers[i] - col.xc))
            out.setdefault(id(line[nearest]), []).append(k)
    return out


def _phrases(words: list[Word]) -> list[list[Word]]:
    """Header words grouped into phrases: runs on one line with word-sized gaps."""
    phrases: list[list[Word]] = []
    for line in group_lines(words):
        current = [line[0]]
        for w in line[1:]:
            height = max(w.bottom - w.top, 4.0)
            if w.x0 - current[-1].x1 <= 1.0 * height:
                current.append(w)
            else:
                phrases.append(current)
                current = [w]
        phrases.append(current)
    return phrases


def _merge_disjoint(
    columns: list[Column], infos: list[PeriodInfo], rows: list[Row]
) -> tuple[list[Column], list[PeriodInfo]]:
    """Inner and outer columns (details on the left, their totals on the right) under one heading are one
    period: merge neighbours that never share a row when one of them has no heading of its own."""
    k = 0
    while k + 1 < len(columns):
        a, b = columns[k], columns[k + 1]
        rows_a = {i for i, _ in a.cells}
        rows_b = {i for i, _ in b.cells}
        same = infos[k].label == infos[k + 1].label or not infos[k].label or not infos[k + 1].label
        if not (rows_a & rows_b) and same:
            a.cells.extend(b.cells)
            a.x1 = max(a.x1, b.x1)
            if not infos[k].label:
                infos[k] = infos[k + 1]
            for row in rows:
                cell = row.values.pop(id(b), None)
                if cell is not None:
                    row.values.setdefault(id(a), cell)
            b.kind = "merged"
            del columns[k + 1]
            del infos[k + 1]
            continue
        k += 1
    return columns, infos


# --------------------------------------------------------------------------- items


def _items(rows: list[Row], value_cols: list[Column], periods: list[Period]) -> list[LineItem]:
    """Line items of one page's rows."""
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
        for col_id, cell in row.values.items():
            p = position.get(col_id)
            if p is None:
                continue
            key = periods[p].key
            values[key] = cell.figure.value
            raw[key] = cell.figure.raw
            boxes[key] = cell.box
        label = row.label
        if not values and not label:
            continue
        if not values and (re.fullmatch(r"[\d\s,.%$£€()/-]*", label) or len(label) > 160):
            continue
        conf = min([w.conf for w in row.words] + [1.0])
        # a centred heading ("ASSETS") stands further right than any line item: it is a top-level heading
        level = 0 if not values and row.label_x0 > deepest + 5 else _level(levels, row.label_x0)
        items.append(LineItem(
            label=label, level=level, page=row.page, box=row.box,
            confidence=round(conf, 2), values=values, raw=raw, boxes=boxes, note=row.note,
        ))
    return [it for it in _trim(items)]


def _trim(items: list[LineItem]) -> list[LineItem]:
    """Drop the trailing lines with no figures (footnotes under the table)."""
    while items and not items[-1].values:
        items.pop()
    return items


def _join_wrapped(rows: list[Row]) -> list[Row]:
    """Join labels wrapped over two lines: a line with no figures whose label runs on into the next line's, or a
    line with figures whose label ends on the next line."""
    out: list[Row] = []
    k = 0
    while k < len(rows):
        row = rows[k]
        nxt = rows[k + 1] if k + 1 < len(rows) else None
        if nxt is not None and not row.values and row.label_words and nxt.label_words and nxt.values:
            first, second = row.label, nxt.label
            heading = " ".join(w.text for w in row.label_words).rstrip().endswith(":")
            capitals = first.isupper() and second.isupper() and len(first.split()) >= 2
            runs_on = not heading and (_CONNECTOR_END.search(first) or second[:1].islower() or capitals)
            close = nxt.top - row.bottom < 0.8 * max(row.bottom - row.top, 6)
            if runs_on and close and not _MAJOR.match(first):
                nxt.label_words = row.label_words + nxt.label_words
                nxt.words = row.words + nxt.words
                k += 1
                continue
        if (  # a heading wrapped over two lines: "CREDITORS - amounts falling due after / more than one year"
            out
            and not row.values
            and not out[-1].values
            and row.label_words
            and out[-1].label_words
            and (_CONNECTOR_END.search(out[-1].label) or row.label[:1].islower())
            and not " ".join(w.text for w in out[-1].label_words).rstrip().endswith(":")
            and row.top - out[-1].bottom < 0.8 * max(row.bottom - row.top, 6)
        ):
            out[-1].label_words = out[-1].label_words + row.label_words
            out[-1].words = out[-1].words + row.words
            k += 1
            continue
        if (
            out
            and not row.values
            and row.label_words
            and out[-1].values
            and out[-1].label_words
            and row.label[:1].islower()
            and abs(row.label_x0 - out[-1].label_x0) < 30
            and row.top - out[-1].bottom < 0.8 * max(row.bottom - row.top, 6)
        ):
            out[-1].label_words = out[-1].label_words + row.label_words
            out[-1].words = out[-1].words + row.words
            k += 1
            continue
        out.append(row)
        k += 1
    return out


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


def _resolve_sections(items: list[LineItem]) -> None:
    """Section paths from heading rows (lines with no figures), totals, units; unlabeled totals named."""
    stack: list[tuple[float, str, bool]] = []  # (level, heading, major)
    unit_stack: Unit | None = None
    for item in items:
        label = item.label
        if not item.values:
            major = bool(_MAJOR.match(label))
            level = item.level - (0.5 if major else 0.0)
            while stack and stack[-1][0] >= level and not (stack[-1][2] and not major and stack[-1][0] < level + 0.5):
                stack.pop()
            stack.append((level, _heading_name(label), major))
            unit_stack = _unit_of(label)
            item.section = [s[1] for s in stack[:-1]]
            continue
        item.section = [s[1] for s in stack]
        unit = _unit_of(label) or (unit_stack if _is_generic_share_row(label) else None)
        if unit is None and any(f"{v}".endswith("p") for v in item.raw.values()):
            unit = "per_share"
        item.unit = unit
        if not label:
            item.is_total = True
            leaf = stack[-1][1] if stack else ""
            item.label = f"Total {leaf[0].lower()}{leaf[1:]}" if leaf else "Total"
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
        if unit_stack and not _is_generic_share_row(label) and not _unit_of(label):
            unit_stack = None


def _heading_name(label: str) -> str:
    text = label.rstrip(":").strip()
    return text[:1].upper() + text[1:].lower() if text.isupper() else text


def _unit_of(label: str) -> Unit | None:
    if _PER_SHARE.search(label):
        return "per_share"
    if _SHARES.search(label):
        return "shares"
    return None


def _is_generic_share_row(label: str) -> bool:
    return bool(re.fullmatch(r"(?:basic|diluted|basic and diluted)(?: \(.*\))?:?", label.strip(), re.I))


# --------------------------------------------------------------------------- cash summaries

_OPENING = re.compile(r"^(?:(\d{1,2}/\d{1,2}/\d{4})\s+)?((?:beginning|opening|starting) (?:cash )?balance.*)$", re.I)
_CLOSING = re.compile(r"^(?:(\d{1,2}/\d{1,2}/\d{4})\s+)?((?:ending|closing|end of (?:year|period)) (?:cash )?balance.*)$",
                      re.I)


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
                                             "boxes": {p.key: b for b in item.boxes.values()}, "is_total": True,
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
