"""Open and validate PDFs; positioned words per page from the text layer (pypdfium2); OCR is `ocr.py`.

The expensive part of a 150-page 10-K is not reading one page but reading all of them, so this module offers two
levels: `page_texts()` gives every page's plain text cheaply (for finding candidate pages), and `read_page()` gives
one page's positioned words and a layout-preserving rendering, only for the pages worth parsing.
"""

from __future__ import annotations

import ctypes
import hashlib
import math
import re
import threading
from bisect import bisect_right
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from statistics import median

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from finsheet.errors import PdfError
from finsheet.model import Page, Word

PdfInput = str | Path | bytes

_SPACES = {" ", "\u00a0", "\t", "\r", "\n", "\u2002", "\u2003", "\u2009", "\ufffe", "\x02"}


def read_bytes(pdf: PdfInput) -> tuple[bytes, str]:
    """The PDF's bytes and a display name; raises PdfError for a missing file or bytes that are not a PDF."""
    if isinstance(pdf, bytes | bytearray):
        data, name = bytes(pdf), "document.pdf"
    else:
        path = Path(pdf)
        try:
            data = path.read_bytes()
        except FileNotFoundError as exc:
            raise PdfError(f"{path.name}: no such file") from exc
        except OSError as exc:
            raise PdfError(f"{path.name}: cannot read the file ({exc.strerror})") from exc
        name = path.name
    check_pdf_bytes(data, name)
    return data, name


def check_pdf_bytes(data: bytes, name: str = "file") -> None:
    """Raise PdfError unless the bytes look like a PDF (cheap: magic number only)."""
    if not data:
        raise PdfError(f"{name}: the file is empty")
    if b"%PDF-" not in data[:1024]:
        raise PdfError(f"{name}: not a PDF (the file does not start with %PDF-)")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


PDFIUM_LOCK = threading.RLock()
"""PDFium is not thread-safe: in one process, every use of a document holds this lock (open_pdf takes it).
For work in parallel, the job queue runs extractions in child processes."""


@contextmanager
def open_pdf(
    data: bytes | Path, name: str = "file", *, max_pages: int | None = None
) -> Iterator[pdfium.PdfDocument]:
    """Open a PDF (bytes or a path), turning pdfium's failures into one clear PdfError; holds PDFIUM_LOCK.
    With `max_pages`, a longer PDF is refused (settings.max_pages: a 20,000-page file is not a filing)."""
    if isinstance(data, bytes):
        check_pdf_bytes(data, name)
    with PDFIUM_LOCK:
        _reset_pdfium_error()
        try:
            doc = pdfium.PdfDocument(data)
        except (pdfium.PdfiumError, OSError) as exc:
            raise PdfError(f"{name}: {_load_failure(data, exc)}") from exc
        try:
            count = len(doc)
            if count == 0:
                raise PdfError(f"{name}: the PDF has no pages")
            if max_pages is not None and count > max_pages:
                raise PdfError(f"{name}: the PDF has {count:,} pages, over the limit of {max_pages:,} "
                               "(FINSHEET_MAX_PAGES)")
            yield doc
        finally:
            doc.close()


_NO_SUCH_FILE = b"/nonexistent/finsheet-resets-the-pdfium-error-code.pdf"


def _reset_pdfium_error() -> None:
    """Set PDFium's last error to a known value before a load. PDFium keeps one error code per process and sets
    it only on some failures: a PDF with no pages fails to load *without* setting it, so the code read after is
    whatever the previous failure left — "incorrect password" after an encrypted file. Opening a path that does
    not exist always sets FPDF_ERR_FILE, which a load from memory never sets itself."""
    pdfium_c.FPDF_LoadDocument(_NO_SUCH_FILE, None)


def _load_failure(data: bytes | Path, exc: BaseException) -> str:
    """Why PDFium did not open the document, read from its error code (not the exception's stale text)."""
    if isinstance(exc, OSError):
        return f"cannot read the file ({exc.strerror or exc})"
    code = pdfium_c.FPDF_GetLastError()
    if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
        return "the PDF is encrypted (password protected); remove the password"
    if code == pdfium_c.FPDF_ERR_FILE and (isinstance(data, bytes) or Path(data).is_file()):
        # the code of our reset: this failure set none. PDFium fails so on a PDF whose page tree is empty.
        head = data if isinstance(data, bytes) else _head(data)
        if re.search(rb"/Count\s+0\b", head) and not re.search(rb"/Count\s+[1-9]", head):
            return "the PDF has no pages"
        return "the PDF is damaged and cannot be opened (PDFium gave no reason)"
    return f"the PDF is damaged and cannot be opened ({exc})"


def _head(path: Path, limit: int = 1 << 20) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(limit)
    except OSError:
        return b""


def page_texts(doc: pdfium.PdfDocument, indexes: range | None = None) -> list[str]:
    """Plain text of every page, or of the pages at `indexes` (fast; no positions). An image-only page gives ''."""
    texts: list[str] = []
    for index in indexes if indexes is not None else range(len(doc)):
        page = doc[index]
        try:
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            if _char_per_line(text):
                # drawn one character per text object: PDFium's plain text breaks a line after every character,
                # so the page's text is laid out from its positioned words instead (rare, and only such pages)
                text = layout_text(_upright_words(textpage, _unrotated_size(page))[0])
            texts.append(text)
            textpage.close()
        except pdfium.PdfiumError:
            texts.append("")
        finally:
            page.close()
    return texts


def _char_per_line(text: str) -> bool:
    """Whether PDFium's plain text of a page holds mostly one-character lines (a page drawn glyph by glyph)."""
    lines = text.count("\n")
    if lines < 100:
        return False
    single = len(re.findall(r"(?m)^\S\r?$", text))
    return single > 0.5 * lines


def has_images(doc: pdfium.PdfDocument, index: int) -> bool:
    """Whether the page draws at least one image (a scan)."""
    page = doc[index]
    try:
        return any(obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE for obj in page.get_objects(max_depth=2))
    finally:
        page.close()


# --------------------------------------------------------------------------- text layer


def read_page(doc: pdfium.PdfDocument, index: int) -> Page:
    """Positioned words of one page (0-based index) from the text layer, origin top-left, page made upright."""
    page = doc[index]
    try:
        size = _unrotated_size(page)
        textpage = page.get_textpage()
        try:
            words, turn = _upright_words(textpage, size)
        finally:
            textpage.close()
    finally:
        page.close()
    width, height = size if turn % 2 == 0 else size[::-1]
    return Page(number=index + 1, width=width, height=height, words=words, text=layout_text(words), source="text")


def _unrotated_size(page: pdfium.PdfPage) -> tuple[float, float]:
    """A page's width and height in its own space, where its text is placed: PDFium gives the size as displayed,
    after the page's /Rotate."""
    width, height = page.get_size()
    return (height, width) if page.get_rotation() % 180 else (width, height)


TURNED_PAGE = 2
"""A page is read turned when more than this many times as many of its characters run along one turned baseline
as run level: a wide table set sideways on an upright page keeps only its page number and running header level."""


def _upright_words(textpage: pdfium.PdfTextPage, size: tuple[float, float]) -> tuple[list[Word], int]:
    """A page's words, read in the direction most of its text runs, and that direction (`_reading_quarter`)."""
    quarters = [0] * 4
    words = _words_from_textpage(textpage, size, quarters=quarters)
    turn = _reading_quarter(quarters)
    if turn:
        words = _words_from_textpage(textpage, size, turn=turn)
    return words, turn


def _reading_quarter(quarters: list[int]) -> int:
    """The quarter turn (counter-clockwise, of the baseline) in which a page's text runs, from how many characters
    run in each (`quarters[0]` level): 0 unless a turned direction outnumbers the level text (TURNED_PAGE)."""
    turn = max(range(1, 4), key=lambda q: quarters[q])
    return turn if quarters[turn] > TURNED_PAGE * quarters[0] else 0


def text_turn(doc: pdfium.PdfDocument, index: int) -> int:
    """Degrees to turn page `index` (0-based), as PDFium renders it, clockwise, so that its text reads upright and
    its words' places (`read_page`) are where they stand on it; 0 for a page without a text layer (OCR reads the
    page as rendered)."""
    page = doc[index]
    try:
        textpage = page.get_textpage()
        try:
            if not textpage.count_chars():
                return 0
            quarters = [0] * 4
            _words_from_textpage(textpage, _unrotated_size(page), quarters=quarters)
        finally:
            textpage.close()
        return (90 * _reading_quarter(quarters) - page.get_rotation()) % 360
    finally:
        page.close()


LETTER_GAP = 0.12
"""Largest gap between two letters of one word, as a share of the line's height, where a generated line break
stands between them: tracking spreads letters by a few hundredths of an em, a word space is about a quarter."""


Blank = tuple[float, float, int]
"""A blank glyph: its origin's x and baseline (PDF space, y up) and its place in the page's content stream."""


def _blank_glyphs(textpage: pdfium.PdfTextPage) -> dict[int, list[Blank]]:
    """The page's text objects that draw no ink and give PDFium's text no character: spaces drawn as glyphs of their
    own, by baseline (to the point) and then x. Some producers draw each glyph, spaces too, as its own object, and
    PDFium drops such a space without putting one of its own in its place when the gap is narrow; the space drawn
    still says where a word ends. Only the page's own objects: one inside a form is placed in the form's space."""
    page = textpage.page.raw
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    matrix = pdfium_c.FS_MATRIX()
    blanks: dict[int, list[Blank]] = {}
    for k in range(pdfium_c.FPDFPage_CountObjects(page)):
        obj = pdfium_c.FPDFPage_GetObject(page, k)
        if pdfium_c.FPDFPageObj_GetType(obj) != pdfium_c.FPDF_PAGEOBJ_TEXT:
            continue
        if not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top) or right.value - left.value > 0.01:
            continue  # it draws something: a glyph PDFium could not read is no space
        if pdfium_c.FPDFTextObj_GetText(obj, textpage.raw, None, 0) > 2:
            continue  # PDFium's text holds its character (the length counts UTF-16 bytes and the terminator)
        if not pdfium_c.FPDFPageObj_GetMatrix(obj, matrix) or abs(matrix.b) > 1e-3 or abs(matrix.c) > 1e-3:
            continue  # turned text: no line of a table
        blanks.setdefault(round(matrix.f), []).append((matrix.e, matrix.f, k))
    for line in blanks.values():
        line.sort()
    return blanks


def _stream_places(textpage: pdfium.PdfTextPage) -> dict[int, int]:
    """The place of each of the page's objects in its content stream, by the address of the object's handle."""
    page = textpage.page.raw
    return {_address(pdfium_c.FPDFPage_GetObject(page, k)): k for k in range(pdfium_c.FPDFPage_CountObjects(page))}


def _space_drawn_between(textpage: pdfium.PdfTextPage, blanks: dict[int, list[Blank]], places: dict[int, int],
                         chars: tuple[int, int], origins: tuple[float, float], line_h: float) -> bool:
    """Whether a blank glyph was drawn between two characters (their indexes, their origins' x): on their baseline
    (a blank of a superscript or of the next line is no space between them), between their origins, and in the
    content stream after the one and before the other. That order tells a space from the empty strings some
    producers set at each table cell's start before drawing the table's text, which may fall inside a word
    ("B alance"). `places` is filled with _stream_places when first needed."""
    raw = textpage.raw
    x, y = ctypes.c_double(), ctypes.c_double()
    pdfium_c.FPDFText_GetCharOrigin(raw, chars[1], x, y)
    start, end = origins
    between = []
    for key in range(round(y.value - 0.1 * line_h), round(y.value + 0.1 * line_h) + 1):
        line = blanks.get(key, [])
        k = bisect_right(line, (start + 0.01, float("inf"), 0))
        while k < len(line) and line[k][0] < end - 0.01:
            if abs(line[k][1] - y.value) <= 0.1 * line_h:
                between.append(line[k][2])
            k += 1
    if not between:
        return False
    if not places:
        places.update(_stream_places(textpage))
    first, last = (places.get(_address(pdfium_c.FPDFText_GetTextObject(raw, c)), -1) for c in chars)
    return any(first < place < last for place in between)


def _address(obj: pdfium_c.FPDF_PAGEOBJECT) -> int:
    return ctypes.addressof(obj.contents) if obj else 0


def _words_from_textpage(textpage: pdfium.PdfTextPage, size: tuple[float, float], *, turn: int = 0,
                         quarters: list[int] | None = None) -> list[Word]:
    """The page's words whose baseline runs `turn` quarter turns counter-clockwise from level, placed in the frame
    where they read upright (origin top-left). `quarters`, when given, counts the characters running in each
    quarter turn."""
    words: list[Word] = []
    raw = textpage.raw
    width, height = size
    if turn % 2:
        height = width  # the frame's height is the page's width
    # a space drawn as its own glyph is looked for on level lines only (see _blank_glyphs)
    blanks = _blank_glyphs(textpage) if turn == 0 else {}
    places: dict[int, int] = {}
    last_char = -1
    chars: list[str] = []
    x0 = top = x1 = bottom = adv_x0 = adv_x1 = 0.0

    def flush() -> None:
        if chars:
            words.append(Word("".join(chars), x0, top, x1, bottom))
            chars.clear()

    # PDFium inserts a line break of its own between characters drawn one text object each; one standing between
    # two letters on the same line at letter spacing ("L o a n s") is no boundary, so it is decided at the next
    # character
    broken = False
    matrix = pdfium_c.FS_MATRIX()
    for i in range(textpage.count_chars()):
        code = pdfium_c.FPDFText_GetUnicode(raw, i)
        ch = chr(code) if code else ""
        generated = pdfium_c.FPDFText_IsGenerated(raw, i) == 1
        if generated and ch in "\r\n" and chars:
            broken = True
            continue
        if not ch or ch in _SPACES or "\ue000" <= ch <= "\uf8ff" or generated:
            flush()
            broken = False
            continue
        quarter = _quarter(raw, i, matrix)
        if quarters is not None and quarter is not None:
            quarters[quarter] += 1
        if quarter != turn:
            continue  # text at another angle (a banner up the margin) is not part of the table
        left, _, right, _ = _turn_box(textpage.get_charbox(i), turn, size)
        # The loose box spans the font's full height, so a comma or a lowered glyph stays on its digits' line, and
        # its advance width: the gap between two letters of a word is ~0 however narrow their glyphs ("1,311", not
        # "1,31 1"; "Staff", not "Staf f"), while words are a space's advance apart.
        adv_left, bot, adv_right, tp = _turn_box(textpage.get_charbox(i, loose=True), turn, size)
        c_top, c_bottom = height - tp, height - bot
        if right - left <= 0 and tp - bot <= 0:
            continue
        if chars:
            gap = adv_left - adv_x1 if adv_right > adv_left else left - x1
            # A new word when the next char is far to the right, steps back, or sits on another line.
            line_h = max(c_bottom - c_top, bottom - top, 1.0)
            jump = abs((c_top + c_bottom) / 2 - (top + bottom) / 2)
            # two characters sharing one box on one line are one glyph (a ligature, "fi", spelled out): never a word
            # boundary; a glyph on the next line that happens to start where the last one did is a new word
            ligature = abs(adv_left - adv_x0) < 0.5 and adv_right > adv_left and jump <= 0.5 * line_h
            # after a generated line break only a letter's spacing joins: a word space (a quarter em) or more
            # is a boundary, as the break said
            limit = (LETTER_GAP if broken else 0.3) * line_h
            # a space drawn between the two ends the word however narrow the gap (a loose box starts at its
            # glyph's origin), except between two digits: a figure is read whole ("2018" set as "201 8")
            spaced = bool(blanks) and adv_right > adv_left and not (chars[-1].isdigit() and ch.isdigit()) and (
                _space_drawn_between(textpage, blanks, places, (last_char, i), (adv_x0, adv_left), line_h))
            if not ligature and (gap > limit or gap < -0.5 * line_h or jump > 0.5 * line_h or spaced
                                 or _superscript_mark(chars[-1], ch, (top, bottom), (c_top, c_bottom))):
                flush()
        broken = False
        if not chars:
            x0, top, x1, bottom = left, c_top, right, c_bottom
        else:
            x1 = max(x1, right)
            top, bottom = min(top, c_top), max(bottom, c_bottom)
        adv_x0, adv_x1 = (adv_left, adv_right) if adv_right > adv_left else (left, right)
        chars.append(ch)
        last_char = i
    flush()
    return words


TURNED = 0.1
"""Angle of a glyph's baseline, in radians either way from a quarter turn, past which its text is tilted and read
in no frame (a scan's text layer sits within a degree or two of level)."""


def _quarter(raw: pdfium_c.FPDF_TEXTPAGE, index: int, matrix: pdfium_c.FS_MATRIX) -> int | None:
    """How many quarter turns (counter-clockwise) a glyph's baseline is turned from level: 0 for level text, 1 for
    text running up the page (a wide table set sideways, a banner up the margin); None for text tilted in between.
    Read from the text matrix's first column, where the baseline runs: PDFium's own char angle also counts a slant
    as a turn, so an italic obliqued by its matrix ("Figures in Pound Sterling" set level at a 12 degree slant)
    would be taken for turned text."""
    if not pdfium_c.FPDFText_GetMatrix(raw, index, ctypes.byref(matrix)):
        return 0
    angle = math.atan2(matrix.b, matrix.a)
    quarters = round(angle / (math.pi / 2))
    return quarters % 4 if abs(angle - quarters * math.pi / 2) <= TURNED else None


def _turn_box(box: tuple[float, float, float, float], turn: int, size: tuple[float, float]
              ) -> tuple[float, float, float, float]:
    """A box (left, bottom, right, top in PDF space, y up) on a page of `size`, turned clockwise by `turn` quarter
    turns: into the frame where text whose baseline runs `turn` quarters counter-clockwise reads level."""
    left, bottom, right, top = box
    width, height = size
    if turn == 1:  # running up the page: its foot is the page's right edge
        return bottom, width - right, top, width - left
    if turn == 2:
        return width - right, height - top, width - left, height - bottom
    if turn == 3:  # running down the page: its foot is the page's left edge
        return height - top, left, height - bottom, right
    return box


MARK_SIZE = 0.8
"""A footnote mark set as a superscript is in type at most this share of its word's size (superscripts are set at
about 60 %)."""

MARK_RISE = 0.2
"""... and its foot stands at least this share of the word's size above the word's baseline (about a third, set)."""


def superscript(size: float, glyph: tuple[float, float], baseline: float) -> bool:
    """Whether a glyph or word spanning `glyph` (top, bottom) is a superscript beside a word `size` tall whose
    baseline (bottom) is `baseline`."""
    return 0 < glyph[1] - glyph[0] <= MARK_SIZE * size and glyph[1] <= baseline - MARK_RISE * size


def _superscript_mark(before: str, ch: str, word: tuple[float, float], glyph: tuple[float, float]) -> bool:
    """A footnote mark set as a superscript against a label's last character ("per share¹", "(pence)*"): a digit or
    mark in type well under the word's size whose foot stands well above the word's baseline. It starts a word of
    its own, so a label never ends in "Share1"; a digit after a digit ("2021¹") stays, for the year's rule."""
    if before.isdigit() or not (ch.isdigit() or ch in "(*\u2020\u2021\u00a7"):
        return False
    return superscript(word[1] - word[0], glyph, word[1])


# --------------------------------------------------------------------------- lines and layout text


def group_lines(words: list[Word]) -> list[list[Word]]:
    """Words grouped into visual lines (top to bottom), each line sorted left to right."""
    if not words:
        return []
    heights = [w.bottom - w.top for w in words if w.bottom > w.top]
    tol = 0.45 * (median(heights) if heights else 8.0)
    lines: list[list[Word]] = []
    centers: list[float] = []
    for w in sorted(words, key=lambda w: (w.yc, w.x0)):
        if lines and abs(w.yc - centers[-1]) <= tol:
            lines[-1].append(w)
            n = len(lines[-1])
            centers[-1] += (w.yc - centers[-1]) / n
        else:
            lines.append([w])
            centers.append(w.yc)
    return [sorted(line, key=lambda w: w.x0) for line in lines]


def layout_text(words: list[Word], char_width: float | None = None) -> str:
    """A layout-preserving rendering: one text line per visual line, columns kept aligned with spaces."""
    if not words:
        return ""
    if char_width is None:
        widths = [(w.x1 - w.x0) / len(w.text) for w in words if len(w.text) >= 2 and w.x1 > w.x0]
        char_width = max(median(widths) if widths else 5.0, 1.0)
    out: list[str] = []
    for line in group_lines(words):
        text = ""
        for w in line:
            col = int(round(w.x0 / char_width))
            if text and col <= len(text):
                col = len(text) + 1
            text = text.ljust(col) + w.text
        out.append(text.rstrip())
    return "\n".join(out)


def page_from_layout_text(number: int, text: str, *, char_width: float = 6.0, line_height: float = 12.0) -> Page:
    """A Page whose words are placed by character column and line number: for engines that return only
    layout-preserving text (LLMWhisperer), so the same parser can read them."""
    words: list[Word] = []
    lines = text.splitlines()
    for row, line in enumerate(lines):
        col = 0
        for token in line.split(" "):
            if token:
                top, x0 = row * line_height, col * char_width
                words.append(Word(token, x0, top, x0 + len(token) * char_width, top + line_height * 0.8))
            col += len(token) + 1
    width = max((len(line) for line in lines), default=0) * char_width
    return Page(number=number, width=width, height=len(lines) * line_height, words=words, text=text, source="whisperer")
