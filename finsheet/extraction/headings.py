"""Column headings: which header words stand over which value column, where the body of a statement starts,
the Notes column, and inner/outer columns that are one period."""

from __future__ import annotations

import re

from finsheet.extraction import numbers
from finsheet.extraction.columns import Column, under_note_heading
from finsheet.extraction.company import names_only_a_company
from finsheet.extraction.heading_spans import (
    DATED,
    PERIOD_WORDS,
    YEAR,
    centred,
    claimed,
    headed_extents,
    in_gutter,
    over_run,
    overlap,
    wrapped,
    year_run,
)
from finsheet.extraction.heading_stacks import split_own_headings, stacked_column
from finsheet.extraction.numbers import find_scale, unit_word
from finsheet.extraction.ocr_headings import MONTH_NAME, UNREAD, ocr_heading_words, stretched, unglue
from finsheet.extraction.pdf import group_lines
from finsheet.extraction.periods import PeriodInfo, read_heading
from finsheet.extraction.placing import note_line
from finsheet.extraction.rows import NOTE_TOKEN, Row, finishes_date
from finsheet.extraction.titles import CONTINUED, normalise, title_type
from finsheet.model import Word

_DATE_WORDS = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\bended\b|\bas (?:at|of)\b|\bnotes?\b|\byear\b"
    r"|\bperiod\b|\bweeks\b|\bmonths\b|\bfiscal\b|\bfy\b",
    re.I,
)


def in_columns(row: Row, columns: list[Column]) -> bool:
    return any(c.x0 - 2 <= cell.xc <= c.x1 + 2 for cell in row.cells for c in columns)


_MONTH_END = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?$", re.I)
_DATE_TOKEN = re.compile(
    r"^(?:\d{1,2}(?:st|nd|rd|th)?|(?:19|20)\d\d[1-9]?|\d{1,2}[./]\d{1,2}[./]\d{2,4}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep"
    r"|oct|nov|dec)[a-z]*\.?|to|through|until|and|[-–—])[,:]?$", re.I)


def _heading_label(label: str) -> bool:
    """Text that is nothing but dates, years and units ("01.01.2022 -", "£'000 2022"): a heading, not a line item."""
    words = label.split()
    dated = any(re.search(r"(?:19|20)\d\d|\d[./]\d{1,2}[./]\d\d", w) for w in words)
    return dated and all(_DATE_TOKEN.match(w) or unit_word(w) for w in words)


def heading_row(row: Row) -> bool:
    """A column-heading line: its figures are years ("2022 2021", "20211" with a footnote mark) or it reads as a
    date ("as at 31 December 2022", "December 31" whose day number stands where a figure would, "01.01.2022 -")."""
    # "Year 2024 -": the dash is text here
    if _month_day_line(row):
        return True
    figures = [c for c in row.cells if not numbers.is_nil(c.figure.raw) and not c.figure.unreadable]
    if not figures:
        return bool(row.cells) and _heading_label(row.label)  # "01.01.2022 -": a range's dash, not a nil
    if _MONTH_END.search(row.label) and re.fullmatch(r"\d{1,2}", figures[0].figure.raw):
        if not 1 <= int(figures[0].figure.raw) <= 31:
            return False
        figures = figures[1:]  # "December 31": a day after a month name is part of a date, not an amount
        if not figures:
            return True
    raw = [c.figure.raw for c in figures]
    plain = [r for r in raw if re.fullmatch(r"(?:19|20)\d\d", r)]
    # a footnote mark glued to a year ("2021" + "1") only beside plain years, never an amount on its own
    years = bool(plain) and all(re.fullmatch(r"(?:19|20)\d\d[1-9]?", r) for r in raw)
    label = row.label
    return years and (not row.label_words or bool(_DATE_WORDS.search(label)) or len(figures) >= 2
                      or _heading_label(label))


def _month_day_line(row: Row) -> bool:
    """A line of days without years ("June 30  June 30", "31 March  31 March"): each number a day beside a month
    name, a heading line even when OCR misreads a day as no day can be ("December 34")."""
    texts = [w.text.strip(",.") for w in row.words if re.search(r"[A-Za-z0-9]", w.text)]  # rules read as marks
    months = [bool(MONTH_NAME.fullmatch(t)) for t in texts]
    days = [bool(re.fullmatch(r"\d{1,2}", t)) for t in texts]
    if not any(months) or not any(days) or not all(m or d for m, d in zip(months, days, strict=True)):
        return False
    # each day stands next to a month name: before it ("31 March") or after it ("June 30")
    return all(months[k - 1] if k and months[k - 1] else k + 1 < len(texts) and months[k + 1]
               for k, d in enumerate(days) if d)


def headings_start(rows: list[Row], first_data: int, columns: list[Column]) -> int:
    """Index of the first body row: the section headings ("ASSETS", "Current assets") just above the first row of
    figures belong to the body, the column headings above them do not."""
    if not columns:
        return first_data
    # the Notes column stands between the labels and the amounts: a long label line reaches over to it
    amounts = [c for c in columns if not _notes_column(c, rows[:first_data])] or columns
    boundary = min(c.x0 for c in amounts) - 25
    margin = rows[first_data].label_x0
    k = first_data
    if k > 0 and finishes_date(rows[k - 1].words, rows[k].label):
        k -= 1  # "Balance at January 1," over "2021  8,596,189 ...": the first line's date wrapped
    while k > 0:
        row = rows[k - 1]
        text = " ".join(w.text for w in row.words)
        if _misread_line(row, boundary, margin):
            k -= 1
            continue
        if any(w.x1 > boundary for w in row.words) or find_scale(text) or row.cells or title_type(text):
            break  # a column heading, the units line or the statement's own title
        k -= 1
    return k


def _notes_column(column: Column, header_rows: list[Row]) -> bool:
    """A column of note references ("7", "(9)", "7.2", "B7") under a "Note" heading (classify_columns marks it
    so later, once the headings are known)."""
    references = all(NOTE_TOKEN.match(c.figure.raw.strip("()")) for _, c in column.cells)
    return references and under_note_heading(column, [w for r in header_rows for w in r.words])


def _misread_line(row: Row, boundary: float, margin: float) -> bool:
    """A scanned line of the table whose figures OCR could not read at all ("REVONGE ... «49§3,7099 §2:9602"; the
    first line under a rule, a currency sign beside each figure): its label starts where the lines' labels do,
    and over the columns its digits are figures, some misread, and no date. Column headings never start at the
    labels' margin with such words; the line belongs to the body, not to the columns' headings."""
    over = [w for w in row.words if w.x1 > boundary]
    # an OCR'd line's left edge jitters by a point or two: 5 points is still the labels' margin, not an indent
    if not over or row.cells or row.words[0].x0 > margin + 5 or row.words[0].x0 >= boundary:
        return False
    digits = [w for w in over if re.search(r"\d", w.text)]
    return all(w.conf < 1.0 and not DATED.search(w.text) for w in digits) and any(
        _misread_figure(w.text) for w in digits)


def _misread_figure(text: str) -> bool:
    """Digits among marks no figure holds ("§2:9602", "$:355:6", "81,4022"): a figure misread, not a year or date."""
    return (sum(ch.isdigit() for ch in text) >= 3 and sum(ch.isalpha() for ch in text) <= 1
            and numbers.parse_figure(text) is None and not DATED.search(text))


def scale_words(scale: int) -> str:
    return {1000: "in thousands", 1_000_000: "in millions", 1_000_000_000: "in billions"}.get(scale, "")


def table_end(body: list[Row], columns: list[Column], notes: tuple[float, float] | None) -> int:
    """Where the statement's table ends: at a new block of column headings (a line with words over the columns
    and nothing in the label area) after some rows of figures: another table printed below it."""
    if not columns:
        return len(body)
    leftmost = min(c.x0 for c in columns)
    used: list[float] = []  # where the columns this table's rows have figures in start
    seen = 0
    labels = 0.0  # the rightmost start of a label seen beside figures: labels (wrapped or indented) start there
    label_left = float("inf")  # the label column's left edge
    above: Row | None = None
    for k, row in enumerate(body):
        if row.cells:
            seen += 1
            used.extend(c.x0 for c in columns for cell in row.cells if c.x0 - 2 <= cell.xc <= c.x1 + 2)
            if row.label_words and row.label_words[0].x0 < leftmost:  # no label starts over the figures
                labels = max(labels, row.label_words[0].x0)
                label_left = min(label_left, row.label_words[0].x0)
        elif (
            seen >= 3
            and row.words
            and row.words[0].x0 > max(leftmost - 75, labels + 15)
            and not _units_line(row)
            and not _runs_on(row, above, min(used, default=leftmost))
            and not note_line(row, notes)  # a wrapped label's reference: another table's headings head its figures
        ):
            return k
        elif seen >= 3 and row.words and row.words[0].x0 > label_left + 15 \
                and names_only_a_company(" ".join(w.text for w in row.words)):
            return _furniture_above(body, k, leftmost)
        above = row
    return len(body)


def _furniture_above(body: list[Row], title: int, leftmost: float) -> int:
    """Where a table ends that another table's title block follows: a line naming only the company, set apart from
    the labels ("Ulta Beauty, Inc." centred over "Store Update"), opens that block, and a statement never prints its
    issuer's name as a line of its own. The page furniture just above it, set over the figure columns where no label
    stands ("Exhibit 5" at the right margin), belongs to the next table too."""
    end = title
    while end > 0 and body[end - 1].label_words and body[end - 1].label_words[0].x0 >= leftmost:
        end -= 1
    return end


def _runs_on(row: Row, above: Row | None, figures: float) -> bool:
    """A line set close under the one above (less than a line's height between them), its words ending before the
    table's figures: the rest of the label above (its indented second line, or a word OCR boxed across two lines).
    Another table's headings stand apart, and they reach over its columns; those columns may start left of this
    table's `figures`, as a summary printed under a cash flow does, so they alone cannot tell the two apart."""
    if above is None:
        return False
    height = max(1.0, above.bottom - above.top)
    return row.top - above.bottom < height and row.words[-1].x1 < figures - 25


def _units_line(row: Row) -> bool:
    """A line of units over the columns ("Cents  Cents", "€  €", "£'000"): the statement's own, printed again
    over its per-share lines, not the headings of another table."""
    return all(unit_word(w.text) or w.text.lower().strip("()") in ("cents", "pence", "p", "c", "%") for w in row.words)


def column_headings(
    columns: list[Column], header_words: list[Word], header_rows: list[Row], title: str
) -> tuple[list[PeriodInfo], PeriodInfo]:
    """Each column's heading text (words standing over it, spanning headings included) and the context."""
    centers = [c.x1 for c in columns]
    spacing = min((b - a for a, b in zip(centers, centers[1:], strict=False)), default=120.0)
    left = min(c.x0 for c in columns) - 0.5 * spacing
    phrases: list[list[Word]] = []
    owner: dict[int, int] = {}  # a date split from a run stands over the column it overlaps most
    for phrase in _phrases(unglue(ocr_heading_words(header_words))):
        parts = _split_dates(phrase, columns)
        for part in parts if len(parts) > 1 else ():
            owner[id(part)] = max(range(len(columns)), key=lambda k: overlap(part, columns[k]))
        phrases.extend(parts)
    phrases = split_own_headings(phrases, columns, spacing)
    texts: list[list[tuple[float, str]]] = [[] for _ in columns]
    dated: list[tuple[float, str, list[int]]] = []  # the dated headings given to columns, and which
    context_parts = [title]
    groups = _group_phrases(phrases, columns)
    extents = headed_extents(columns, phrases)
    title_key = normalise(title)
    title_top = min((p[0].top for p in phrases if _names_title(p, title_key)), default=None)
    block = _title_block(phrases, title_key, columns, spacing)
    for phrase in phrases:
        x0, x1 = phrase[0].x0, phrase[-1].x1
        text = " ".join(w.text for w in phrase)
        # the title, the lines of its block and what is printed above it (a running header, "Table of Contents"):
        # a column's headings stand under the title
        in_title = _names_title(phrase, title_key) or id(phrase) in block or (
            title_top is not None and phrase[0].bottom < title_top)
        # a line naming several dates from the label area ("Years ended 2 October 2022, 3 October 2021 and ...")
        # describes the whole table, like the title
        several = (x0 < left and len(read_heading(text).dates) >= 2) or bool(_YEAR_LIST.search(text))
        if in_title or several or numbers.names_units(text) or re.match(r"(?:for|as at|as of)\b", text, re.I) or (
            # wider than a column's spacing, or printed above the title: a company's name heading one column of its
            # own is short, and stands under the title
            _COMPANY_LINE.search(text) and not re.search(r"\d", text)
            and (x1 - x0 > spacing or (title_top is not None and phrase[0].bottom < title_top))
        ) or _CAPTION.match(text) or CONTINUED.fullmatch(text.lower()):
            # the title, the units line, "for the year ended ...", a continued page's "(continued)" set apart from
            # a title whose words are spaced out: not a column's own
            context_parts.append(text)
            kept = [w for w in phrase if not unit_word(w.text)]
            if in_title or len(kept) == len(phrase) or not DATED.search(" ".join(w.text for w in kept)):
                continue
            # "£'000 2022": the unit is the page's, the year the column's
            phrase, text = kept, " ".join(w.text for w in kept)
            x0, x1 = phrase[0].x0, phrase[-1].x1
        stacked = stacked_column(phrase, columns, phrases, spacing)
        if id(phrase) in owner:
            hits = [owner[id(phrase)]]
        elif stacked is not None:
            hits = [stacked]
        elif id(phrase) in groups:
            hits = groups[id(phrase)]
        else:
            hits = [k for k, c in enumerate(columns) if x0 - 0.25 * spacing <= c.xc <= x1 + 0.25 * spacing]
            if len(hits) > 1 and DATED.search(text):
                # a date heads one column: a column in its reach that another date on its line stands nearer to
                # is that date's (narrow figures under wide dates: "September 30, 2018  September 30, 2019")
                hits = [k for k in hits if not claimed(phrase, columns[k], phrases, dated=True)] or hits
        if not hits:
            mid = (x0 + x1) / 2
            k = min(range(len(columns)), key=lambda k: abs(columns[k].xc - mid))
            if abs(columns[k].xc - mid) < 0.6 * spacing:
                hits = [k]
        if len(hits) == 1 and DATED.search(text) and id(phrase) not in owner and id(phrase) not in groups:
            hits = year_run(phrase, hits[0], columns, phrases, spacing)
        if len(hits) == 1 and not re.search(r"\d", text) and stacked is None:
            k, mid = hits[0], (x0 + x1) / 2
            pair = [j for j in (k - 1, k + 1) if 0 <= j < len(columns)
                    and (centred(mid, columns[k], columns[j]) or in_gutter(mid, extents[k], extents[j]))
                    and not claimed(phrase, columns[j], phrases) and not wrapped(phrase, phrases, spacing)]
            if pair:
                hits = sorted([k, pair[0]])  # "Group" centred over "2022 2021": a heading over both
        text = " ".join(w.text for w in phrase)
        if _tells_no_column(text, hits, columns):
            context_parts.append(text)
            continue
        if hits:
            for k in hits:
                texts[k].append((phrase[0].top, text))
            if DATED.search(text):
                dated.append((phrase[0].top, text, hits))
        if not hits or len(hits) > 1:
            context_parts.append(text)
    _date_the_table(texts, dated, context_parts)
    # a units line under the headings ("£  £", "$'000") is the page's, not part of a column's name: an equity
    # statement's "Share capital" stays "Share capital", and a column headed by nothing else keeps its unit
    texts = [[(y, t) for y, t in parts if not _periodless(t)] or parts for parts in texts]
    infos = [_one_year(read_heading(" ".join(t for _, t in sorted(parts)))) for parts in texts]
    context = read_heading(" ".join(context_parts))
    if context.month is None:  # "Year ended December 31," may stand over one column only: any dateless heading
        for info in infos:
            if info.month is not None and info.year is None:
                context.month, context.day = info.month, info.day
                break
    if context.months is None:
        context.months = next((i.months for i in infos if i.months), None)
    return infos, context


def _date_the_table(texts: list[list[tuple[float, str]]], dated: list[tuple[float, str, list[int]]],
                    context_parts: list[str]) -> None:
    """One date standing over some of the columns of a table whose every column is named by words of its own
    ("Three Months Ended June 2, 2023" over the middle of an equity statement's "Shares | Amount | Paid-In Capital |
    ..."): a date naming no column apart from the others dates the whole table, as its title would. It is taken
    from the columns it stands over into the context."""
    if len(dated) != 1 or len(dated[0][2]) == len(texts):
        return
    top, text, hits = dated[0]
    named = all(any(t != text and not DATED.search(t) and not _periodless(t) for _, t in parts) for parts in texts)
    if not named:
        return
    for k in hits:
        texts[k] = [(y, t) for y, t in texts[k] if (y, t) != (top, text)]
    if text not in context_parts:
        context_parts.append(text)


def _title_block(phrases: list[list[Word]], title_key: str, columns: list[Column], spacing: float) -> set[int]:
    """The lines printed under a centred title on its axis ("Balance Sheet / 31 December 2015", "(Unaudited)"): the
    lines of a title block share one centre, and a line there names the statement's date even without "as at", or
    says what the whole statement is. It is no heading of the column it happens to stand over, unless the columns
    themselves are centred on that axis (then a date centred over them is theirs). Returns the ids of those
    phrases."""
    title = next((p for p in phrases if _names_title(p, title_key)), None)
    if title is None or len(columns) < 2:
        return set()
    axis = (title[0].x0 + title[-1].x1) / 2
    if abs((columns[0].x0 + columns[-1].x1) / 2 - axis) <= 0.25 * spacing:
        return set()
    block: set[int] = set()
    bottom = max(w.bottom for w in title)
    for line in sorted((p for p in phrases if p[0].top > title[0].bottom - 1), key=lambda p: p[0].top):
        height = max(w.bottom - w.top for w in line)
        alone = not any(q is not line and q[0].top < line[0].bottom and line[0].top < q[0].bottom for q in phrases)
        centre = (line[0].x0 + line[-1].x1) / 2
        # the next line of the block: on the axis (to a character's width), alone on its line, close under the last
        if not alone or abs(centre - axis) > max(4.0, 0.6 * height) or line[0].top - bottom > 2.5 * height:
            break
        block.add(id(line))
        bottom = max(w.bottom for w in line)
    return block


def _names_title(phrase: list[Word], title_key: str) -> bool:
    """Whether the heading phrase is the statement's title, repeated over a continued page as "... (CONTINUED)"."""
    named = normalise(CONTINUED.sub("", normalise(" ".join(w.text for w in phrase)))).strip(" -–—")
    return bool(title_key) and len(phrase) >= 2 and bool(named) and named in title_key


def _one_year(info: PeriodInfo) -> PeriodInfo:
    """A column's heading names one period: one that names different years and no range ("2023 2022" where OCR
    ran a line of years into one word over several columns) does not say which, so its end is unknown."""
    years = set(YEAR.findall(info.label))
    if len(years) < 2 or info.start is not None:
        return info
    return PeriodInfo(months=info.months, restated=info.restated, label=info.label)


# The company's name printed over the columns ("GENERAL MILLS, INC. AND SUBSIDIARIES"): a legal form or "and
# subsidiaries" ends it; it names the reporting entity, like the title, and is no column's heading. ("Group" and
# "Company" alone are column headings of their own, so they are not in this list.)
_COMPANY_LINE = re.compile(
    r"\b(?:inc|incorporated|corp|corporation|ltd|limited|plc|llc|l\.l\.c|l\.p|n\.v|s\.a|ag|gmbh)\.?"
    r"(?:,?\s+and\s+(?:its\s+)?(?:consolidated\s+)?subsidiaries)?$|\band\s+(?:its\s+)?subsidiaries$",
    re.I,
)
# A caption saying what the figures are counted in ("Figures in Pound Sterling", "Amounts in thousands of euros",
# "Expressed in US dollars"): the page's unit, printed over the columns, no column's heading.
_CAPTION = re.compile(r"^\(?(?:all\s+)?(?:figures|amounts|numbers|values)\s+(?:are\s+)?(?:(?:stated|expressed|shown|"
                      r"presented)\s+)?in\b|^\(?(?:stated|expressed|shown|presented)\s+in\b", re.I)
# years listed in words ("December 31, 2022 and 2021", "2022, 2021 and 2020"): a line that dates the whole table,
# as the title does; a column's heading names one period
_YEAR_LIST = re.compile(
    r"(?<!\d)(?:19|20)\d\d\s*(?:,\s*|\s(?:and|&)\s+)(?:[A-Za-z]+\.?\s+\d{1,2},?\s+)?(?:19|20)\d\d(?!\d)")


def _tells_no_column(text: str, hits: list[int], columns: list[Column]) -> bool:
    """A heading over every value column that names no period ("Consolidated", "Unaudited", a word of the company's
    logo read by OCR) tells no column from another: it describes the table, like the title."""
    if len(columns) < 2 or sorted(hits) != list(range(len(columns))) or re.search(r"\d", text):
        return False
    info = read_heading(text)
    return info.month is None and info.months is None and not info.restated and not PERIOD_WORDS.search(text)


def _split_dates(phrase: list[Word], columns: list[Column]) -> list[list[Word]]:
    """A run of headings printed close together ("December 31, 2022 December 25, 2021 December 26, 2020") is one
    phrase per complete date when each date stands over a column of its own; a line that names several dates
    from the label area (under the title) stays whole."""
    text = " ".join(w.text for w in phrase)
    by_date = len(read_heading(text).dates) >= 2
    # headings that name a year each and no day ("Fiscal 2022  Fiscal 2021", "FY2021  FY2020") split after each year
    by_year = not by_date and len(set(YEAR.findall(text))) >= 2

    def complete(part: list[Word]) -> bool:
        words = " ".join(x.text for x in part)
        return bool(read_heading(words).dates) if by_date else bool(YEAR.search(words))

    if not by_date and not by_year:
        return _split_days(phrase, columns)
    parts: list[list[Word]] = [[]]
    for w in phrase:
        parts[-1].append(w)
        if re.search(r"(?:19|20)\d\d|\d[/.]\d\d$", w.text) and complete(parts[-1]):
            parts.append([])
    if not parts[-1]:
        parts.pop()
    elif len(parts) > 1 and not complete(parts[-1]):
        parts[-2].extend(parts.pop())  # a trailing "(unaudited)" stays with the last date
    over = [{k for k, c in enumerate(columns) if overlap(p, c) >= 0} for p in parts]
    if len(parts) < 2 or not all(over) or any(a & b for a, b in zip(over, over[1:], strict=False)):
        return [phrase]
    return parts


def _split_days(phrase: list[Word], columns: list[Column]) -> list[list[Word]]:
    """Days without their years printed close together ("December 3  November 27  November 29", years on the line
    below; OCR closes the gaps between them) are one phrase per day when each stands over a column of its own."""
    texts = [w.text.strip(",") for w in phrase]
    months = [bool(MONTH_NAME.fullmatch(t)) for t in texts]
    days = [bool(re.fullmatch(r"\d{1,2}", t)) for t in texts]
    if sum(months) < 2 or not all(m or d or t == UNREAD for m, d, t in zip(months, days, texts, strict=True)):
        return [phrase]
    day_first = days[0]
    parts: list[list[Word]] = [[]]
    for k, w in enumerate(phrase):
        unread = texts[k] == UNREAD
        if parts[-1] and (parts[-1][-1].text == UNREAD) != unread:
            parts.append([])  # unreadable words stand apart: they head no day of their neighbours'
        parts[-1].append(w)
        # "December 3" ends after the day, "31 March" after the month
        if not unread and len(parts[-1]) >= 2 and (months[k] if day_first else days[k]):
            parts.append([])
    parts = [p for p in parts if p]
    over = [{k for k, c in enumerate(columns) if overlap(p, c) >= 0} for p in parts]
    if len(parts) < 2 or not all(over) or any(a & b for a, b in zip(over, over[1:], strict=False)):
        return [phrase]
    return parts


def _lone_days(line: list[list[Word]]) -> list[list[Word]]:
    """The phrases of a heading line that are a day or an unreadable word with no month before them and no year:
    a date whose month OCR could not read (an OCR'd "December" and its "31" can be two phrases)."""
    out = []
    ordered = sorted(line, key=lambda p: p[0].x0)
    for k, p in enumerate(ordered):
        text = " ".join(w.text for w in p)
        after_month = k > 0 and bool(MONTH_NAME.fullmatch(ordered[k - 1][-1].text.strip(",.")))
        dateless = not DATED.search(text) and read_heading(text).month is None
        if re.search(r"\d|\?", text) and dateless and not after_month:
            out.append(p)
    return out


def _group_phrases(phrases: list[list[Word]], columns: list[Column]) -> dict[int, list[int]]:
    """Headings over groups of columns ("Three Months Ended" | "Six Months Ended", "Year ended December 31,",
    "Year ended 31 March 2022" over "Revenue | Capital | Total"): each column belongs to the nearest such heading
    on that line."""
    lines: dict[float, list[list[Word]]] = {}
    for phrase in phrases:
        top = phrase[0].top  # one printed line, whatever the small jitter of its words' tops
        line_top = next((t for t in lines if abs(t - top) <= 0.4 * max(phrase[0].bottom - top, 4.0)), top)
        lines.setdefault(line_top, []).append(phrase)
    out: dict[int, list[int]] = {}
    centers = [c.x1 for c in columns]
    spacing = min((b - a for a, b in zip(centers, centers[1:], strict=False)), default=120.0)
    reach = min(c.x0 for c in columns) - 0.5 * spacing
    for line in lines.values():
        texts = [" ".join(w.text for w in p) for p in line]
        dated = [bool(re.search(r"(?:19|20)\d\d", t)) for t in texts]
        # "Year ended", and a date with no year ("December 31,") over the years below it, span their columns; a
        # dateless date in the label area ("Balance at January 1,") is a line's label, not a heading
        group = [p for p, t, d in zip(line, texts, dated, strict=True)
                 if not d and (PERIOD_WORDS.search(t) or (read_heading(t).month is not None and p[-1].x1 > reach))]
        # a line of dated headings, each centred over an equal run of columns (two years of "Revenue | Capital |
        # Total", of inner and outer columns): nearer the run's middle than its columns' own centres (a year over
        # three columns beside a year over one, "2022 (without | with | total) 2021 (total)", is no such line)
        if all(dated) and 2 <= len(line) < len(columns) and len(columns) % len(line) == 0:
            n = len(columns) // len(line)
            runs = [list(range(i * n, i * n + n)) for i in range(len(line))]
            if all(over_run((p[0].x0 + p[-1].x1) / 2, [columns[k] for k in r]) for p, r in zip(line, runs,
                                                                                              strict=True)):
                out.update({id(p): r for p, r in zip(line, runs, strict=True)})
                continue
        if not group:
            continue
        centers = [(p[0].x0 + p[-1].x1) / 2 for p in group]
        # a day or an unreadable word of the line standing over a column is that column's own date ("July 1" read
        # as "8 1" beside "June 25"): a dateless date of the line does not span it
        own = _lone_days(line)
        for k, col in enumerate(columns):
            nearest = min(range(len(group)), key=lambda i: abs(centers[i] - col.xc))
            words = " ".join(w.text for w in group[nearest])
            if not PERIOD_WORDS.search(words) and any(overlap(p, col) >= 0 for p in own):
                continue
            out.setdefault(id(group[nearest]), []).append(k)
    return out


PHRASE_GAP_PITCHES = 1.6
"""The widest gap inside a heading phrase as a share of the line's character pitch, beside the word's height. OCR's
boxes are tight round the ink: a lowercase word's height is its x-height (0.5 em), and a typewriter face's word space
(0.6 em and the side bearings, 0.8 em between the inks) is wider than that, 1.2 to 1.4 pitches. Headings of
neighbouring columns stand several em apart."""


def _pitch(line: list[Word]) -> float:
    """The typical width of one character on a line (0 when it has no word of three characters or more), from words
    boxed round their characters alone (not an OCR'd word whose box took in a rule)."""
    widths = sorted((w.x1 - w.x0) / len(w.text) for w in line if len(w.text) >= 3 and not stretched(w))
    return widths[len(widths) // 2] if widths else 0.0


def _phrases(words: list[Word]) -> list[list[Word]]:
    """Header words grouped into phrases: runs on one line with word-sized gaps."""
    phrases: list[list[Word]] = []
    for line in group_lines(words):
        current = [line[0]]
        pitch = _pitch(line)
        for w in line[1:]:
            height = max(w.bottom - w.top, 4.0)
            # two words each boxed along its own rule are the headings of two spans ("Group" | "Company")
            apart = stretched(w) and stretched(current[-1])
            if w.x0 - current[-1].x1 <= max(1.0 * height, PHRASE_GAP_PITCHES * pitch) and not apart:
                current.append(w)
            else:
                phrases.append(current)
                current = [w]
        phrases.append(current)
    return phrases


def _periodless(label: str) -> bool:
    return all(unit_word(w) for w in label.split())


def merge_disjoint(
    columns: list[Column], infos: list[PeriodInfo], rows: list[Row]
) -> tuple[list[Column], list[PeriodInfo]]:
    """Inner and outer columns (details on the left, their totals on the right) under one heading are one
    period: merge neighbours that never share a row when one of them has no heading of its own."""
    k = 0
    while k + 1 < len(columns):
        a, b = columns[k], columns[k + 1]
        rows_a = {i for i, _ in a.cells}
        rows_b = {i for i, _ in b.cells}
        # a sub-column headed only by a currency sign ("£" over inner and outer columns) has no heading of its own
        la, lb = (_periodless(infos[j].label) for j in (k, k + 1))
        same = infos[k].label == infos[k + 1].label or la or lb
        if not (rows_a & rows_b) and same:
            a.cells.extend(b.cells)
            a.x1 = max(a.x1, b.x1)
            if la and not lb:
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


