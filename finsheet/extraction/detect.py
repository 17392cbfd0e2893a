"""Which pages hold which statement, with a confidence.

Two passes, so a 150-page 10-K is not read in full:

1. `candidate_pages(texts)` scores every page's plain text (no positions): a statement title standing on its own
   line, the statement's vocabulary, and enough numbers. Tables of contents, notes and "selected financial data"
   mention statements too; they lose on the line test and the numbers.
2. `find_sections(pages)` reads the candidates' positioned lines: where each title sits (two statements on one page
   are split at the second title), side-by-side printed pages (split at the gutter), and statements that run on
   to the next page ("continued", or a page of figures with no title of its own).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Collection
from dataclasses import dataclass, field
from itertools import accumulate

from finsheet.extraction.company import FORMER, REGISTRATION, SCOPE, company_name
from finsheet.extraction.pdf import group_lines
from finsheet.extraction.titles import (
    AMOUNT,
    CONTINUED,
    ENTITY,
    NOTES_HEADING,
    names_other_statement,
    normalise,
    ocr_repaired,
    same_title,
    title_type,
)
from finsheet.model import Page, StatementType, Word

T = StatementType


KEYWORDS: dict[StatementType, tuple[str, ...]] = {
    T.INCOME: ("revenue", "net sales", "turnover", "cost of", "gross profit", "operating", "net income", "net loss",
               "profit", "per share", "expenses", "income tax", "taxation", "earnings"),
    T.BALANCE: ("total assets", "current assets", "current liabilities", "total liabilities", "equity",
                "inventories", "receivable", "payable", "property", "cash and cash equivalents", "net assets",
                "share capital", "retained"),
    T.CASH_FLOW: ("operating activities", "investing activities", "financing activities", "cash and cash equivalents",
                  "depreciation", "purchase", "proceeds", "dividends paid", "net cash"),
    # an equity statement's balance lines read "Balance at ..." or, in US filings as often, "Balance as of ..."
    T.EQUITY: ("balance at", "balance as of", "dividends", "share capital", "retained", "total equity", "treasury"),
    T.COMPREHENSIVE: ("comprehensive income", "other comprehensive", "net of tax", "foreign currency", "reclassif"),
}

_NEGATIVE = re.compile(
    r"\bindex to (?:the )?(?:consolidated )?financial statements\b|\bselected (?:consolidated )?financial data\b"
    # a multi-year record ("Five Year Record", "Statistical Review") reprints the statements' headline figures over
    # five or ten years, under the statements' own names: a summary of them, not one of them
    r"|\b(?:five|ten|\d{1,2})[- ]year (?:financial )?(?:record|summary|review)\b|\bstatistical review\b"
    r"|\bfinancial record\b|\bhistorical (?:financial )?(?:summary|record)\b"
)
_NUMBER = re.compile(r"(?<![\w.,/-])\(?-?\d{1,3}(?:[,.\u00a0]\d{3})*(?:[.,]\d+)?\)?(?![\w/])")
_ENDS_OPEN = re.compile(r"\b(?:and|of|or|&)$")

# a title's key word, or its usual OCR misreadings ("Staternent", "BALANCE SHEFTS"), within one line of
# lower-cased text
_TITLE_WORD = re.compile(
    r"statement|sta\w{3,6}ents?\b|balance[^\S\n]+s|profit[^\S\n]+and[^\S\n]+loss|account|changes[^\S\n]+in"
)
MIN_NUMBERS = 12
"""A statement page prints at least this many figures (two columns of six lines)."""


@dataclass(slots=True)
class Section:
    """A statement found on one or more pages.

    `top`/`bottom` bound it vertically on its first/last page (PDF points from the top); `x_range` limits it to
    part of a page when two printed pages sit side by side on one PDF page.
    """

    type: StatementType
    title: str
    pages: list[int]
    confidence: float
    top: float = 0.0
    bottom: dict[int, float] = field(default_factory=dict)
    x_range: tuple[float, float] | None = None
    entity: str | None = None
    """The reporting entity printed with the title ("COSTCO WHOLESALE CORPORATION"), when there is one."""


# --------------------------------------------------------------------------- pass 1: plain text


def page_scores(text: str, *, ocr: bool = False) -> dict[StatementType, float]:
    """Evidence that a page holds each kind of statement (0 = none); `ocr` when the text was read by OCR."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    numbers = len(_NUMBER.findall(text))
    low = normalise(text)
    scores: dict[StatementType, float] = {}
    titled: dict[StatementType, float] = {}
    # only lines holding a title's key word are worth the full test (most of a 10-K's lines are not)
    gated = _lines_matching(_TITLE_WORD, lines) if numbers >= MIN_NUMBERS // 3 else [False] * len(lines)
    for i, line in enumerate(lines):
        if not any(gated[i : i + 3]):
            continue
        # the text layer's order is not always reading order, so a title may come late in the text
        windows = [(1, line), (2, " ".join(lines[i : i + 2])), (3, " ".join(lines[i : i + 3]))]
        head = _before_wide_space(line)
        if head != line:
            windows.insert(1, (1, head))
        for span, window in windows:
            if not any(gated[i : i + span]):
                continue
            kind = title_type(window, ocr=ocr)
            if kind is not None:
                titled[kind] = max(titled.get(kind, 0.0), 3.0 if i < 15 or len(window) < 60 else 2.0)
                break
    penalty = (2.0 if numbers < MIN_NUMBERS else 0.0) + (2.0 if _NEGATIVE.search(low) else 0.0)
    for kind in T:
        keywords = sum(1 for k in KEYWORDS[kind] if k in low)
        scores[kind] = titled.get(kind, 0.0) + min(keywords, 6) * 0.25 - penalty
    return scores


def _lines_matching(pattern: re.Pattern[str], lines: list[str]) -> list[bool]:
    """Which of `lines`, lower-cased, hold a match of `pattern` (which must not match across a line break). One
    search over the page's lower-cased text rather than one per line, or one ignoring case, is several times
    faster on a long document's pages."""
    lines = [ln.lower() for ln in lines]
    hits = [False] * len(lines)
    starts = list(accumulate((len(ln) + 1 for ln in lines[:-1]), initial=0))
    for m in pattern.finditer("\n".join(lines)):
        hits[bisect_right(starts, m.start()) - 1] = True
    return hits


_WIDE_SPACE = re.compile(r"\S {12,}(?=\S)")
"""In layout text, a run of spaces this long parts two blocks of the page (see WIDE_GAP); a scanned title's
capitals spread its own words up to about eight spaces apart."""


def _before_wide_space(line: str) -> str:
    """A layout-text line up to its first wide run of spaces, when what follows holds no digit (a logo read
    beside a title, see `_before_wide_gap`); otherwise the line."""
    m = _WIDE_SPACE.search(line.strip())
    if m is None or len(line.strip()[: m.start() + 1].split()) < 2 or re.search(r"\d", line.strip()[m.end():]):
        return line
    return line.strip()[: m.start() + 1]


def candidate_pages(texts: list[str], wanted: list[int], ocr: Collection[int] = ()) -> list[int]:
    """1-based pages worth reading with positions: titled statement pages and the pages that continue them.
    `ocr` names the pages whose text OCR read."""
    chosen: set[int] = set()
    scores = {p: page_scores(texts[p - 1], ocr=p in ocr) for p in wanted}
    for p in wanted:
        best = max(scores[p].values())
        if best >= 3.0:
            chosen.add(p)
            nxt = p + 1
            # a statement running on: the next page is figures with the same vocabulary but no title of its own
            untitled = nxt in scores and max(scores[nxt].values()) < 3.0
            if untitled and len(_NUMBER.findall(texts[nxt - 1])) >= MIN_NUMBERS // 3 and not _NEGATIVE.search(
                normalise(texts[nxt - 1])
            ):
                kind = max(scores[p], key=lambda k: scores[p][k])
                if scores[nxt][kind] >= 0.5 or CONTINUED.search(normalise(texts[nxt - 1][:400])):
                    chosen.add(nxt)
    if not chosen:
        chosen = set(_untitled_candidates(texts, wanted, scores))
    return sorted(chosen)


def _untitled_candidates(
    texts: list[str], wanted: list[int], scores: dict[int, dict[StatementType, float]]
) -> list[int]:
    """Documents with no statement titles (a charity's one-page cash summary, a release's bare tables): the pages
    most like a statement (see `statement_likeness`), not merely those with the most numbers."""
    likeness = {p: statement_likeness(texts[p - 1]) for p in wanted}
    # the pages most like a statement first; when none is clearly one, any with some likeness (a tiny statement)
    ranked = sorted((p for p in wanted if likeness[p] >= 1.5), key=lambda p: -likeness[p]) or sorted(
        (p for p in wanted if likeness[p] > 0), key=lambda p: (-likeness[p], -len(_NUMBER.findall(texts[p - 1])))
    )
    return [p for p in ranked[:3] if max(scores[p].values()) >= -1.0 and len(_NUMBER.findall(texts[p - 1])) >= 4]


_RANKED_VOCABULARY = (KEYWORDS[T.INCOME], KEYWORDS[T.BALANCE], KEYWORDS[T.CASH_FLOW])
_CASH_SUMMARY = ("beginning balance", "opening balance", "ending balance", "closing balance", "deposits", "receipts",
                 "contributions", "donations", "disbursements", "expenses")
"""A small organisation's cash summary speaks of balances, receipts and payments rather than of revenue."""
# a figure may print its currency's sign, before or inside its brackets ("$1,204", "(£6,000)", "€ 912")
_ROW = re.compile(r"^(?P<label>.*?[A-Za-z].*?)\s+(?P<figures>(?:\(?-?[$£€¥]?\s?[\d,.]+\)?\s*){1,6})$")
_PAGE_NUMBER = re.compile(r"\d{1,3}")


def _row_values(line: str) -> tuple[str, list[float]] | None:
    """A plain-text line read as a row: its label and the figures at its end (parentheses negative)."""
    m = _ROW.match(line.strip())
    if not m:
        return None
    values = []
    for raw in re.findall(r"\(?-?[$£€¥]?\s?[\d,.]*\d\)?", m.group("figures")):
        if re.search(r"\d,\d{1,2}\)?$", raw):  # a decimal comma ("1.234,5")
            raw = raw.replace(".", "").replace(",", ".")
        digits = re.sub(r"[^\d.]", "", raw.replace(",", ""))
        try:
            number = float(digits)
        except ValueError:
            return None
        values.append(-number if raw.startswith(("(", "-")) else number)
    return m.group("label").strip().lower(), values


def statement_likeness(text: str) -> float:
    """How much a page reads as a financial statement, with or without a title.

    A statement speaks its vocabulary (revenue, expenses, total assets, net cash), its totals foot (a "Total"
    line is the sum of the lines above it), and a balance sheet balances. A page of figures that are all small
    whole numbers in rising order is an index (page numbers), whatever its words.
    """
    rows = [r for line in text.splitlines() if (r := _row_values(line)) is not None]
    if len(rows) < 3:
        return 0.0
    low = normalise(text)
    vocabulary = max(sum(1 for k in words if k in low) for words in (*_RANKED_VOCABULARY, _CASH_SUMMARY))
    firsts = [values[0] for _, values in rows]
    if all(_PAGE_NUMBER.fullmatch(f"{v:g}") for v in firsts) and firsts == sorted(firsts):
        return 0.0  # page numbers: an index or a table of contents
    return min(vocabulary, 6) * 0.5 + 2.0 * _footing_totals(rows) + 3.0 * _balances(rows)


def _footing_totals(rows: list[tuple[str, list[float]]]) -> int:
    """Lines whose (first) figure is the sum of the two or more lines right under or right above it: a subtotal
    printed after its parts, or a heading's total printed before them ("Deposits 40,000" over its three parts)."""
    firsts = [values[0] for _, values in rows]
    count = 0
    for i, total in enumerate(firsts):
        if total == 0:
            continue
        for run in (firsts[i + 1 :], firsts[:i][::-1]):
            acc = 0.0
            for k, v in enumerate(run):
                acc += v
                if k >= 1 and abs(acc - total) <= 0.005 + 1e-9 * abs(total):
                    count += 1
                    break
                if abs(acc) > abs(total) * 1.5 + 1:
                    break
            else:
                continue
            break
    return count


def _balances(rows: list[tuple[str, list[float]]]) -> int:
    """1 when total assets equal total liabilities and equity (or net assets equal total funds/equity)."""
    def first(pattern: str) -> float | None:
        return next((values[0] for label, values in rows if re.match(pattern, label)), None)

    assets = first(r"total assets\b") or first(r"net assets\b")
    other = first(r"total liabilities and\b|total equity and liabilities\b") or first(
        r"total (?:net assets|funds|equity)\b")
    return int(assets is not None and other is not None and abs(assets - other) <= 0.5)


# --------------------------------------------------------------------------- pass 2: positioned lines


def line_text(line: list[Word]) -> str:
    return " ".join(w.text for w in line)


def split_columns(page: Page) -> list[tuple[float, float]]:
    """x-ranges of the printed pages on one PDF page: two when a landscape page has an empty gutter mid-way."""
    if page.width <= page.height * 1.15 or len(page.words) < 40:
        return [(0.0, page.width)]
    lo, hi = page.width * 0.35, page.width * 0.65
    step = 2.0
    best: tuple[float, float] | None = None
    x = lo
    while x < hi:
        if not any(w.x0 < x + step and w.x1 > x for w in page.words):
            start = x
            while x < hi and not any(w.x0 < x + step and w.x1 > x for w in page.words):
                x += step
            if best is None or x - start > best[1] - best[0]:
                best = (start, x)
        x += step
    if best is None or best[1] - best[0] < 12:
        return [(0.0, page.width)]
    mid = (best[0] + best[1]) / 2
    left = [w for w in page.words if w.x1 <= mid]
    right = [w for w in page.words if w.x0 >= mid]
    if min(len(left), len(right)) < 20 or not (_printed_page(left) and _printed_page(right)):
        return [(0.0, page.width)]
    return [(0.0, mid), (mid, page.width)]


def _printed_page(words: list[Word]) -> bool:
    """Whether one side of a gutter reads as a page of its own: lines of words, and rows of figures that open
    with their label.

    A wide landscape table leaves a gutter between its labels and its figures; neither side is a page then: the
    figures' side holds rows with no label (its worded lines are column headings), and the labels' side may
    look numeric only by the numbers inside its labels ("Revenue (Note 7)").
    """
    lines = group_lines(words)
    worded = sum(1 for ln in lines if any(re.match(r"[A-Za-z]{3}", w.text) for w in ln))
    labelled = sum(1 for ln in lines if re.match(r"[A-Za-z]{3}", ln[0].text) and _numeric_lines([ln]))
    return worded >= 3 and _numeric_lines(lines) >= 3 and labelled >= 3


def find_sections(pages: dict[int, Page]) -> list[Section]:
    """Statement sections on the candidate pages, in reading order, continuations merged."""
    sections: list[Section] = []
    open_section: Section | None = None
    pending: tuple[int, StatementType, str, str | None] | None = None  # a title printed at a page's foot
    for number in sorted(pages):
        page = pages[number]
        for x_range in split_columns(page):
            words = [w for w in page.words if x_range[0] <= w.xc <= x_range[1]]
            lines = group_lines(words)
            titles = _titles(lines, page.height, scanned=page.source == "ocr")
            x = None if x_range == (0.0, page.width) else x_range
            first_title = titles[0][1] if titles else page.height
            above = [ln for ln in lines if ln[0].top < first_title]
            if pending is not None and pending[0] == number - 1 and _numeric_lines(above) >= 3:
                # a title at the foot of the previous page: its statement is the figures at the top of this one
                _, kind, title, entity = pending
                open_section = Section(kind, title, [number], 0.75, 0.0, {number: first_title}, x, entity)
                sections.append(open_section)
                pending = None
            elif not titles:
                pending = None
                if open_section is not None and _continues(open_section, number, lines):
                    open_section.pages.append(number)
                    open_section.bottom[number] = page.height
                elif open_section is None and not sections and len(pages) <= 3:
                    guess, conf = _guess_untitled(lines)
                    if guess is not None:
                        open_section = Section(guess, "", [number], conf, 0.0, {number: page.height}, x)
                        sections.append(open_section)
                continue
            elif open_section is not None and _continues(open_section, number, above, fragment=True):
                # text above the first title on this page may still belong to a statement from the previous page
                open_section.pages.append(number)
                open_section.bottom[number] = first_title
            pending = None
            for i, (kind, top, title) in enumerate(titles):
                bottom = titles[i + 1][1] if i + 1 < len(titles) else page.height
                region = [ln for ln in lines if top <= ln[0].top < bottom]
                bottom = _footnotes_start(region, bottom)
                if _numeric_lines(region) < 3:
                    if i + 1 == len(titles) and top > page.height * 0.7:
                        pending = (number, kind, re.sub(r"\s+", " ", title).strip(), entity_near(lines, top))
                    continue  # a title with no figures under it: a contents page or a heading in the notes
                if _prose(region) >= max(4, _numeric_lines(region)) or (
                    top > page.height * 0.3 and _amid_prose(lines, region)
                ):
                    continue  # a statement's name in a table heading amid the notes' prose, not a statement
                conf = 0.9 if top < page.height * 0.3 else 0.75
                prev = sections[-1] if sections else None
                if (
                    prev is not None
                    and prev.type == kind
                    and prev.pages[-1] == number - 1
                    and prev.x_range == x
                    and i == 0
                    and (same_title(prev.title, title) or CONTINUED.search(normalise(title)))
                ):
                    prev.pages.append(number)  # the same statement repeats its title on the next page
                    prev.bottom[number] = bottom
                    open_section = prev
                    continue
                open_section = Section(kind, title, [number], conf, top, {number: bottom}, x, entity_near(lines, top))
                sections.append(open_section)
    return sections


_FOOTNOTE = re.compile(r"^(?:\(\d{1,2}\)|\d{1,2}\)|\*{1,3})\s*[A-Z][a-z]+\b")


def _footnotes_start(region: list[list[Word]], bottom: float) -> float:
    """Where a statement's footnotes begin ("(1) Includes stock-based compensation as follows:"): the statement
    ends at its last line above them, and a footnote's own small table is not part of it."""
    figures = 0
    for ln in region:
        if _numeric_lines([ln]):
            figures += 1
        elif figures >= 3 and _FOOTNOTE.match(line_text(ln)):
            return ln[0].top
    return bottom


def _prose(lines: list[list[Word]]) -> int:
    """Lines of running text: many words and no row of figures."""
    return sum(1 for ln in lines if len(ln) >= 12 and not _numeric_lines([ln]))


def _amid_prose(lines: list[list[Word]], region: list[list[Word]]) -> bool:
    """Whether a titled table sits in running text (a note) rather than being a statement.

    Prose inside the table's own region marks a note. Prose only above it is a press release's or a report's text
    before its first statement: a full statement (many rows of figures) still counts there.
    """
    if _prose(region) >= 4:
        return True
    return _prose(lines) >= 4 and _numeric_lines(region) < 8


def entity_near(lines: list[list[Word]], top: float) -> str | None:
    """The company name printed just above (or right under) a statement title, when there is one."""
    above = [ln for ln in lines if top - 60 <= ln[0].top < top][-3:]
    below = [ln for ln in lines if top < ln[0].top <= top + 40][:2]
    for ln in [*reversed(above), *below]:
        text = _without_running_header(re.sub(r"\s+", " ", line_text(ln)).strip(" |:"))
        # a former name or a registration printed under the name is not it, nor a line's scope alone
        named = ENTITY.search(text) or SCOPE.search(text)  # "TRANSUNION AND SUBSIDIARIES"
        if 3 <= len(text) <= 90 and named and not AMOUNT.search(text) and title_type(text) is None \
                and not FORMER.match(text) and not REGISTRATION.search(text):
            return text
    return None


_REPORT_NAME = re.compile(
    r"\b(?:annual|interim|half[- ]year(?:ly)?|integrated)?\s*(?:financial\s+)?report(?:\s*(?:&|and)\s*accounts)?"
    r"(?:\s+(?:19|20)\d\d(?:/\d\d)?)?\b",
    re.I,
)


def _without_running_header(text: str) -> str:
    """A running header's company name without the report's name and the folio ("Annual Report & Accounts 2022
    Mercia Asset Management PLC 75" is "Mercia Asset Management PLC")."""
    # the report's name first: its year may stand before the folio ("YELLOW PAGES LIMITED ANNUAL REPORT 2022 34")
    text = re.sub(r"\s+", " ", _REPORT_NAME.sub(" ", text)).strip(" |:-–")
    return re.sub(r"^\d{1,3}\s+(?=\D)|(?<=\D)\s+\d{1,3}$", "", text).strip(" |:-–")


_NAME_LINE = re.compile(
    r"^(?:\d{1,3}\s*\|\s*)?([A-Z][\w&.,'’ -]{1,70}?\b(?:Inc|Incorporated|Corp|Corporation|Company|Co|Limited|Ltd"
    r"|plc|PLC|LLC|L\.P|SA|S\.A|AG|SE|N\.V|NV|GmbH|Holdings|Trust|Foundation)\.?)\s*(?:\|\s*\d{1,3})?$",
    re.I,
)


_NOT_A_NAME = re.compile(r"reporting|filer|growth company|accelerated|shell company|^the company|^this |^our ", re.I)


def company_from_text(texts: list[str]) -> str | None:
    """The company a document is about, from its cover and running headers: the name line printed most often."""
    counts: dict[str, int] = {}
    first_form: dict[str, str] = {}
    for text in texts:
        for line in text.splitlines():
            # a running header prints the name beside the report's and the folio ("36 GALILEO RESOURCES PLC")
            m = _NAME_LINE.match(_without_running_header(re.sub(r"\s+", " ", line).strip()))
            name = (m and company_name(m.group(1))) or ""
            if name and name[0].isupper() and len(name.split()) <= 8 and not _NOT_A_NAME.search(name):
                key = name.lower()  # "BEST BUY CO., INC." and "Best Buy Co., Inc." are one name
                counts[key] = counts.get(key, 0) + 1
                first_form.setdefault(key, name)
    return first_form[max(counts, key=lambda k: counts[k])] if counts else None


def _titles(lines: list[list[Word]], height: float, *, scanned: bool = False) -> list[tuple[StatementType, float, str]]:
    """(type, top, title) of every statement title on a page, top to bottom; running headers ignored."""
    if scanned:
        lines = [_before_wide_gap(ln) for ln in lines]
    found: list[tuple[StatementType, float, str]] = []
    i = 0
    title_text = ocr_repaired if scanned else str  # a scanned title as printed, without OCR's specks and slips
    while i < len(lines):
        hit = None
        for span in (1, 2, 3):
            group = lines[i : i + span]
            if len(group) < span:
                break
            if span > 1 and group[-1][0].top - group[-2][-1].bottom > 20:
                break
            text = " ".join(line_text(ln) for ln in group)
            kind = title_type(text, ocr=scanned)
            if kind is not None:
                hit = (kind, group[0][0].top, text, span)
                if span == 1 or kind != title_type(line_text(group[0]), ocr=scanned):
                    break
        if hit is not None:
            kind, top, text, span = hit
            # a long title wraps: "CONSOLIDATED INCOME STATEMENT / AND CONSOLIDATED STATEMENT OF / COMPREHENSIVE ..."
            while i + span < len(lines) and span < 4:
                nxt = line_text(lines[i + span])
                joined = f"{text} {nxt}"
                if not re.match(r"(?:and|&|of|or)\b", normalise(nxt)) and not _ENDS_OPEN.search(normalise(text)):
                    break
                if title_type(joined, ocr=scanned) is None:
                    break
                text, span = joined, span + 1
            kind = title_type(text, ocr=scanned) or kind
            if found and found[-1][0] == kind and top - found[-1][1] < 60:
                i += span  # a running header repeating the title just above it
                continue
            if not _is_running_header(lines, i + span, kind, height, scanned=scanned):
                found.append((kind, top, re.sub(r"\s+", " ", title_text(text)).strip()))
            i += span
        else:
            i += 1
    return found


WIDE_GAP = 4.0
"""A gap between two words of a line wider than this many times the line's text height parts two blocks of the
page (a title and a logo, a label and its figures); a title's own words stand about a third of that apart."""


def _before_wide_gap(line: list[Word]) -> list[Word]:
    """A scanned line's words up to its first wide gap, when what stands beyond it holds no digit.

    OCR reads a logo, an emblem or a margin tab printed beside a title as words ("(h) raetieconies", "KP+GH"); a
    text layer does not carry them. A title with such a block beside it is the title alone. A block with digits
    beyond the gap (figures, a page number, a year) keeps the line whole, to be judged as it is."""
    heights = sorted(w.bottom - w.top for w in line if w.bottom > w.top)
    if len(line) < 2 or not heights:
        return line
    height = heights[len(heights) // 2]
    for k in range(1, len(line) - 1):  # a title has two words at least: a speck alone before a gap is no title
        if line[k + 1].x0 - line[k].x1 > WIDE_GAP * height:
            rest = line[k + 1 :]
            return line if any(ch.isdigit() for w in rest for ch in w.text) else line[: k + 1]
    return line


def _is_running_header(
    lines: list[list[Word]], index: int, kind: StatementType, height: float, *, scanned: bool = False
) -> bool:
    """A title in the page's top margin with the same title right under it (from `index` on) is a running
    header, not the start of a statement."""
    if index >= len(lines) or lines[index - 1][0].top > height * 0.12:
        return False
    return any(title_type(line_text(ln), ocr=scanned) == kind for ln in lines[index : index + 3])


def _numeric_lines(lines: list[list[Word]]) -> int:
    """Lines that read as a row of figures: two numbers, or one amount with a separator or parentheses
    (a contents page's page numbers are not)."""
    count = 0
    for ln in lines:
        numbers = [w.text for w in ln[1:] if _NUMBER.fullmatch(w.text.strip("$£€%"))]
        if len(numbers) >= 2 or any(re.search(r"[,.()]", n) for n in numbers):
            count += 1
    return count


def _continues(section: Section, number: int, lines: list[list[Word]], *, fragment: bool = False) -> bool:
    """Whether the lines (a page with no title, or the top of a page above its first title) carry on the open
    section from the page before. A fragment may be a single closing row ("Total liabilities and equity")."""
    figures = _numeric_lines(lines)
    if section.pages[-1] != number - 1 or figures < (1 if fragment else 4):
        return False
    if fragment and _prose(lines):
        return False  # running text above a title: a report's narrative, not the end of a table
    if any(names_other_statement(line_text(ln), section.type) for ln in lines[:5]):
        return False  # the page is headed by another statement's name, even one not recognised as a title
    if any(NOTES_HEADING.match(normalise(line_text(ln))) for ln in lines[:5]):
        return False  # the notes begin: the statement ended on the page before
    head = normalise(" ".join(line_text(ln) for ln in lines[:6]))
    if CONTINUED.search(head):
        return True
    body = normalise(" ".join(line_text(ln) for ln in lines))
    return sum(k in body for k in KEYWORDS[section.type]) >= 2


def _guess_untitled(lines: list[list[Word]]) -> tuple[StatementType | None, float]:
    """A page of figures with no statement title (a small charity's summary): the best-matching kind."""
    if _numeric_lines(lines) < 3:
        return None, 0.0
    body = normalise(" ".join(line_text(ln) for ln in lines))
    votes = {kind: sum(k in body for k in KEYWORDS[kind]) for kind in (T.INCOME, T.BALANCE, T.CASH_FLOW)}
    if re.search(r"\b(?:deposits|receipts|income|revenue|donations|contributions)\b", body) and re.search(
        r"\bexpenses?\b|\bexpenditures?\b|\bpayments\b", body
    ):
        votes[T.INCOME] += 2
    kind = max(votes, key=lambda k: votes[k])
    # an equity statement (balances at dates, dividends, share capital, retained earnings) is never guessed to
    # be an income statement or a balance sheet: it is left unguessed
    if sum(k in body for k in KEYWORDS[T.EQUITY]) > votes[kind]:
        return None, 0.0
    return (kind, 0.5) if votes[kind] >= 2 else (None, 0.0)
