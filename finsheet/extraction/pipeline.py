"""`extract()`: a PDF in, checked statements out. Pure: no database, no UI, no network (unless an optional
engine is configured). It may be called from any thread, but PDFium allows one document at a time per process
(pdf.PDFIUM_LOCK serialises them): for extractions in parallel, use processes, as the job queue does.

Stages, each timed into `Document.timings`:

    open      validate and open the bytes
    scan      every page's plain text, cheaply (pypdfium2), in parts on every core where that is safe
              (`forking`); image-only pages noticed
    ocr       image-only pages OCR'd (tesseract), when there are any; pages of running text are passed over, and
              read only if the statements found need what prose says (`_UnreadProse`)
    detect    candidate pages scored, statement sections found
    read      positioned words of the candidate pages only, in parts like the scan (or LLMWhisperer's text of them)
    parse     line items, periods, scale and currency per section
    read again  scanned statement pages with undated columns OCR'd once more (`second_reading`), where any
    check     the arithmetic identities
    repair    an optional LLM re-read of statements the checks do not like

`progress(stage, fraction)` is called between stages; it may raise (e.g. JobCancelled) to stop the work there.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Sequence
from typing import TYPE_CHECKING

import pypdfium2 as pdfium

from finsheet.errors import FinsheetError, PdfError
from finsheet.extraction import checks, detect, parse, second_reading, ties
from finsheet.extraction.company import company_name
from finsheet.extraction.document_periods import settle_periods
from finsheet.extraction.forking import read_in_parts
from finsheet.extraction.headings import scale_words
from finsheet.extraction.numbers import dollar_currency, infer_scale, prose_scale
from finsheet.extraction.ocr import ocr_page, ocr_pages
from finsheet.extraction.pdf import (
    PdfInput,
    has_images,
    open_pdf,
    page_texts,
    read_bytes,
    read_page,
    sha256,
)
from finsheet.extraction.tie_reading import read_by_ties
from finsheet.model import Document, Page, Statement, StatementType
from finsheet.settings import Settings, load_settings

if TYPE_CHECKING:
    from finsheet.engines.http import ResponseCache

ProgressFn = Callable[[str, float], None]

NO_STATEMENTS = "no financial statements found (no income statement, balance sheet or cash flow statement)"
SCAN_DPI = 150
"""OCR resolution used to find statement pages in a scan; the pages found are read again at settings.ocr_dpi."""


READ_PAGE_WORK = 8
"""A page's positioned words cost about eight times its plain text (every character's box is asked for): with that
weight `read_in_parts` shares out four candidate pages or more, and leaves a shorter list to one process."""


def extract(
    pdf: PdfInput,
    *,
    ocr: bool | None = None,
    engine: str | None = None,
    pages: Sequence[int] | None = None,
    settings: Settings | None = None,
    progress: ProgressFn | None = None,
    name: str | None = None,
    cache: ResponseCache | None = None,
) -> Document:
    """Extract every financial statement of a PDF (a path or its bytes).

    `pages` limits the work to those 1-based pages. `cache` keeps the optional engines' (paid) answers; without
    one every engine call is made. Raises PdfError when the file cannot be read at all (not a
    PDF, damaged, encrypted, no pages); a PDF that opens but holds no statement gives a Document with `error` set.
    """
    settings = settings or load_settings()
    engine = engine or settings.engine
    ocr = settings.ocr if ocr is None else ocr
    report = progress or (lambda stage, fraction: None)
    clock = _Clock()

    data, default_name = read_bytes(pdf)
    name = name or default_name
    digest = sha256(data)
    warnings: list[str] = []
    with open_pdf(data, name, max_pages=settings.max_pages) as doc:
        clock.lap("open")
        report("scan", 0.05)
        count = len(doc)
        wanted = [p for p in (pages or range(1, count + 1)) if 1 <= p <= count]
        texts = read_in_parts(count, lambda start, stop: page_texts(doc, range(start, stop)))
        clock.lap("scan")

        blank = [p for p in wanted if not texts[p - 1].strip()]
        scanned = [p for p in blank if has_images(doc, p - 1)]
        report("detect", 0.1)
        candidates = detect.candidate_pages(texts, wanted)
        clock.lap("detect")

        scanned_pages: dict[int, Page] = {}
        prose = _UnreadProse(data, name, settings, texts, warnings, clock)
        if scanned and candidates and len(scanned) < len(wanted) / 2:
            # a text document whose statements are in the text layer: its image-only pages are photos and charts
            warnings.append(f"{len(scanned)} image-only page(s) were not OCR'd: the statements are in the text layer")
        elif scanned and ocr:
            report("ocr", 0.15)
            scanned_pages = _ocr_for_detection(doc, scanned, texts, settings, warnings, report)
            prose.pages = [n for n, page in scanned_pages.items() if page.running_text]
            clock.lap("ocr")
            candidates = detect.candidate_pages(texts, wanted, ocr=scanned_pages)
            clock.lap("detect")
        elif scanned:
            warnings.append(f"{len(scanned)} page(s) have no text layer and OCR is off: they were not read")

        report("read", 0.6)
        read = {} if engine == "whisperer" else _read_local(doc, candidates, scanned_pages, settings, warnings)
        clock.lap("read")
    if engine == "whisperer":  # a remote call: made after the PDFium lock is released
        read = _read_whisperer(data, digest, candidates, settings, warnings, cache)
        clock.lap("read")

    report("parse", 0.75)
    before_parse = list(warnings)
    statements = _parse(read, texts, engine, warnings, prose)
    clock.lap("parse")
    again = second_reading.pages_to_read_again(statements, read) if engine == "local" else []
    if again:
        report("read again", 0.8)
        read, statements, warnings = _read_again(data, name, again, read, statements, texts, settings, before_parse,
                                                 warnings, prose)
        clock.lap("read again")

    report("check", 0.9)
    for st in statements:
        st.checks = checks.run_checks(st)
    clock.lap("check")

    if settings.llm_enabled and statements:
        report("repair", 0.92)
        from finsheet.engines.llm import repair_statements

        statements, notes = repair_statements(digest, statements, read, settings, cache=cache)
        warnings.extend(notes)
        clock.lap("repair")

    report("done", 1.0)
    error = None if statements else NO_STATEMENTS
    if not statements and prose.pages:
        warnings.append(f"{len(prose.pages)} scanned page(s) of running text were not OCR'd: they hold no table")
    if not statements and blank and len(blank) == len(wanted) and not scanned_pages:
        error = "the PDF has no text layer and no page could be OCR'd: " + (warnings[-1] if warnings else "no text")
    entities = Counter(filter(None, (company_name(st.entity) for st in statements if st.entity)))
    company = entities.most_common(1)[0][0] if entities else None
    if company is None and statements:
        prose.read(among=range(1, 4))  # the first pages name the company; the directors' report may be one
        company = detect.company_from_text(texts[:3] + [texts[p - 1] for p in candidates])
    return Document(
        company=company,
        file=name,
        sha256=digest,
        pages=count,
        seconds=round(clock.total, 3),
        statements=statements,
        engine=engine,
        warnings=warnings,
        timings=clock.laps,
        ocr_pages=sorted(p for p, page in read.items() if page.source == "ocr"),
        error=error,
        checks=ties.statement_ties(statements),
    )


def _ocr_for_detection(
    doc: pdfium.PdfDocument, scanned: list[int], texts: list[str], settings: Settings, warnings: list[str],
    report: ProgressFn,
) -> dict[int, Page]:
    """OCR image-only pages at a low resolution and put their text where detection looks for it. A page too large
    to render within the limits comes back empty with its reason, which the analyst sees among the warnings; a page
    of running text comes back unread (`ocr_prose`): no statement is set as prose."""
    try:
        pages = ocr_pages(doc, [n - 1 for n in scanned], dpi=SCAN_DPI, settings=settings, mended=False,
                          pass_running_text=True)
    except PdfError as exc:
        warnings.append(str(exc))
        return {}
    warnings.extend(w for page in pages for w in page.warnings)
    for page in pages:
        texts[page.number - 1] = page.text
    return {page.number: page for page in pages}


def _read_local(
    doc: pdfium.PdfDocument, numbers: list[int], scanned: dict[int, Page], settings: Settings, warnings: list[str]
) -> dict[int, Page]:
    """Positioned words for the candidate pages: the text layer, or a sharper OCR of a scan's statement pages."""
    in_text = [number for number in numbers if number not in scanned]
    words = read_in_parts(len(in_text), lambda start, stop: [read_page(doc, n - 1) for n in in_text[start:stop]],
                          work_per_item=READ_PAGE_WORK)
    read = dict(zip(in_text, words, strict=True))
    rescan = [number for number in numbers if number in scanned]
    try:
        sharper = ocr_pages(doc, [n - 1 for n in rescan], dpi=settings.ocr_dpi, settings=settings)
        read.update({p.number: p for p in sharper})
    except PdfError as exc:
        warnings.append(str(exc))
        read.update({n: scanned[n] for n in rescan})
    return dict(sorted(read.items()))


def _read_whisperer(
    data: bytes, digest: str, numbers: list[int], settings: Settings, warnings: list[str],
    cache: ResponseCache | None,
) -> dict[int, Page]:
    """The candidate pages as LLMWhisperer reads them (only those pages are sent and billed)."""
    from finsheet.engines.whisperer import read_pages

    pages = read_pages(data, numbers, settings, doc_sha256=digest, cache=cache)
    warnings.extend(w for p in pages for w in p.warnings)
    return {p.number: p for p in pages}


class _UnreadProse:
    """A scan's pages of running text that OCR passed over while finding its statements (`ocr_prose`), read once
    (into `texts`, as detection would have) when the statements need what prose says: which dollar a "$" is, the unit
    a statement's headings do not print, the company a statement does not name. Most scans' statements print their
    currency and unit: their prose is not read at all."""

    def __init__(self, data: bytes, name: str, settings: Settings, texts: list[str], warnings: list[str],
                 clock: _Clock) -> None:
        self.data, self.name, self.settings, self.texts, self.warnings, self.clock = (
            data, name, settings, texts, warnings, clock)
        self.pages: list[int] = []

    def read(self, among: Collection[int] | None = None) -> None:
        """Read the pages passed over (those `among` these page numbers only, when given)."""
        pages = [n for n in self.pages if among is None or n in among]
        if not pages:
            return
        self.pages = [n for n in self.pages if n not in pages]
        self.clock.lap("parse")
        try:
            with open_pdf(self.data, self.name, max_pages=self.settings.max_pages) as doc:
                read = ocr_pages(doc, [n - 1 for n in pages], dpi=SCAN_DPI, settings=self.settings, mended=False)
        except PdfError as exc:
            self.warnings.append(str(exc))
            return
        finally:
            self.clock.lap("ocr")
        for page in read:
            self.texts[page.number - 1] = page.text


def _parse(read: dict[int, Page], texts: list[str], engine: str, warnings: list[str],
           prose: _UnreadProse | None = None) -> list[Statement]:
    """The statements on the pages read, with their units and dates settled across the document."""
    dollar = dollar_currency(texts)
    said: list[str] = []
    statements = _statements(read, dollar, engine, said)
    if prose is not None and any(st.currency == dollar for st in statements):
        prose.read()  # which dollar a "$" is: the prose names the country (`dollar_currency`)
        if dollar_currency(texts) != dollar:
            dollar, said = dollar_currency(texts), []
            statements = _statements(read, dollar, engine, said)
    warnings.extend(said)
    if prose is not None and any(st.scale is None and not st._currency_headed for st in statements):
        # a unit the headings do not print, the prose may state (`prose_scale`); columns headed by a currency sign
        # alone are whole units unless other statements say otherwise, whatever the prose says
        prose.read()
    _resolve_unknown_scales(statements, texts, warnings)
    scanned = {n for n, page in read.items() if page.source != "text"}
    settle_periods(statements, scanned)
    read_by_ties(statements, scanned)
    return statements


def _read_again(
    data: bytes, name: str, again: list[int], read: dict[int, Page], statements: list[Statement], texts: list[str],
    settings: Settings, before_parse: list[str], warnings: list[str], prose: _UnreadProse,
) -> tuple[dict[int, Page], list[Statement], list[str]]:
    """The pages `again` OCR'd a second time with their solid rules painted out (`second_reading`), and the
    statements parsed from them, where they give more sure figures than the first reading; else the first."""
    try:
        with open_pdf(data, name, max_pages=settings.max_pages) as doc:
            pages = ocr_pages(doc, [n - 1 for n in again], dpi=settings.ocr_dpi, settings=settings, solid_rules=True)
    except PdfError:
        return read, statements, warnings  # the first reading stands; its warnings already say what went wrong
    second = {**read, **{p.number: p for p in pages if p.words}}
    second_warnings = list(before_parse)
    reparsed = _parse(second, texts, "local", second_warnings, prose)
    if second_reading.sure_figures(reparsed) > second_reading.sure_figures(statements):
        return second, reparsed, second_warnings
    return read, statements, warnings


def _statements(read: dict[int, Page], dollar: str, engine: str, warnings: list[str]) -> list[Statement]:
    """Every statement on the pages read: sections found, parsed, split tables joined, cash summaries' balances."""
    statements: list[Statement] = []
    for section in detect.find_sections(read):
        try:
            above = statements[-1] if statements else None
            statement = parse.parse_section(section, read, dollar=dollar, above=above)
        except Exception as exc:  # one unreadable table must not lose the others
            warnings.append(f"{section.type.display_name} on page {section.pages[0]} could not be parsed: {exc}")
            continue
        if statement is not None:
            if engine != "local":  # say which engine read these lines
                for item in statement.items:
                    item.engine = engine
            statements.append(statement)
    statements = parse.merge_split_statements(statements)
    parse.income_from_comprehensive(statements)
    if not any(st.type == StatementType.BALANCE for st in statements):
        for st in list(statements):
            balances = parse.cash_balances(st) if st.type == StatementType.INCOME else None
            if balances is not None:
                statements.insert(statements.index(st) + 1, balances)
    return statements


# An inferred unit was not printed on the statement itself: less sure than a printed one. An unknown unit leaves
# every money value of the statement in doubt by a factor of a thousand or more.
INFERRED_SCALE_CONFIDENCE = 0.85
UNKNOWN_SCALE_CONFIDENCE = 0.6


def _resolve_unknown_scales(statements: list[Statement], texts: list[str], warnings: list[str]) -> None:
    """A statement whose headings state no unit takes the one the document's other statements print and its prose
    states, where those that speak agree (a document keeps one unit across its statements); its confidence is
    lowered. Where nothing speaks, or they disagree, the scale stays unknown (None), never a silent 1."""
    unknown = [st for st in statements if st.scale is None]
    if not unknown:
        return
    printed: list[int | None] = [st.scale for st in statements if st.scale is not None]
    prose = prose_scale(texts)
    for st in unknown:
        where = f"{st.type.display_name} (p{','.join(map(str, st.pages))})"
        if st._currency_headed:
            # columns headed "$" or "£" alone are whole units, unless the statements that do state a unit agree on
            # a multiplier: a document keeps one unit across its statements (prose alone does not overrule them)
            stated = infer_scale(printed, None)
            st.scale = stated or 1
            if st.scale != 1:
                st.confidence = round(st.confidence * INFERRED_SCALE_CONFIDENCE, 2)
                warnings.append(f"{where}: its columns print only a currency sign; taken as "
                                f"{scale_words(st.scale)}, as the document's other statements state")
            continue
        inferred = infer_scale(printed, prose)
        if inferred is not None:
            st.scale = inferred
            st.confidence = round(st.confidence * INFERRED_SCALE_CONFIDENCE, 2)
            unit = scale_words(inferred) or "units"
            warnings.append(f"{where}: no unit printed; taken as {unit}, as the rest of the document states")
        else:
            st.confidence = round(min(st.confidence, UNKNOWN_SCALE_CONFIDENCE), 2)
            warnings.append(f"{where}: no unit printed and the document states none it agrees on: scale unknown, "
                            "values as printed")


def page_text(pdf: PdfInput, *, pages: Sequence[int] | None = None, ocr: bool = True) -> Iterator[tuple[int, str]]:
    """The layout-preserving text of each page (1-based numbers), OCR'ing pages without a text layer."""
    data, name = read_bytes(pdf)
    with open_pdf(data, name) as doc:
        count = len(doc)
        for number in pages or range(1, count + 1):
            if not 1 <= number <= count:
                raise PdfError(f"{name}: page {number} is out of range (the PDF has {count} pages)")
            page = read_page(doc, number - 1)
            if not page.words and ocr and has_images(doc, number - 1):
                try:
                    page = ocr_page(doc, number - 1)
                except FinsheetError as exc:
                    yield number, f"[{exc}]"
                    continue
            yield number, page.text


class _Clock:
    def __init__(self) -> None:
        self.start = self.last = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.laps[stage] = round(self.laps.get(stage, 0.0) + now - self.last, 4)
        self.last = now

    @property
    def total(self) -> float:
        return time.perf_counter() - self.start

