"""Scanned pages read by tesseract into positioned words: pages drawn in batches (straightened, rules painted out),
one tesseract process per batch, its TSV read back into words in PDF points (origin top-left), OCR's misreadings of
digits mended."""

from __future__ import annotations

import os
import re
import selectors
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium

from finsheet.errors import PdfError
from finsheet.extraction.ocr_headings import months_read
from finsheet.extraction.ocr_lines import reread_unsure_lines
from finsheet.extraction.pdf import layout_text
from finsheet.extraction.render import (
    OcrProgress,
    PageTooLarge,
    ocr_listener,
    render_limits,
    render_scale,
)
from finsheet.model import Page, Word
from finsheet.settings import Settings


def tesseract_path() -> str | None:
    """Where the tesseract binary is, or None when it is not installed."""
    return shutil.which("tesseract")


def usable_cores() -> int:
    """The cores this process may run on: fewer than the machine has when it is pinned to some (a batch worker,
    `batch.task`; a container's cpuset), and one tesseract per core is what keeps them busy without more."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def ocr_page(doc: pdfium.PdfDocument, index: int, *, dpi: int = 300, timeout: float = 120.0) -> Page:
    """Render one page and OCR it with tesseract into positioned words (PDF points, origin top-left)."""
    return ocr_pages(doc, [index], dpi=dpi, timeout=timeout)[0]


OCR_TEMP_PREFIX = "finsheet-ocr-"


def ocr_temp_dir() -> tempfile.TemporaryDirectory[str]:
    """A temporary directory for one OCR run, named after this process ("finsheet-ocr-<pid>-..."), so the job
    queue can remove those a killed process left behind (it does at start)."""
    return tempfile.TemporaryDirectory(prefix=f"{OCR_TEMP_PREFIX}{os.getpid()}-")


def ocr_pages(
    doc: pdfium.PdfDocument,
    indexes: list[int],
    *,
    dpi: int = 300,
    timeout: float = 120.0,
    processes: int = 0,
    settings: Settings | None = None,
    solid_rules: bool = False,
    mended: bool = True,
    pass_running_text: bool = False,
) -> list[Page]:
    """OCR pages (0-based indexes) with tesseract into positioned words, in the order given (`solid_rules`: with
    the solid rules painted out too, `ocr_image.prepare_page`; `mended`: with the lines whose figures tesseract
    read unsure read again, `ocr_lines`, and the nil dashes and minus signs it dropped put back, `ocr_dashes` and
    `ocr_minus`, which the quick reading that finds a scan's statements does without; `pass_running_text`: pages of
    plain running text, told by their image, are not read, and come back marked `running_text` with no words, as
    that reading needs no prose, `ocr_prose`).

    Pages go to tesseract in batches of neighbours (one process reads a list of images, so the model loads once
    per batch), up to one process per CPU core at a time (`_run_tesseract`); the next batch is drawn while they
    read. A
    page too large to render within the limits comes back with no words and the reason in its `warnings`; when no
    page could be rendered, PageTooLarge is raised. Raises PdfError when tesseract is missing or fails; the
    pipeline turns that into a warning for the analyst. The temporary images are removed and the tesseract
    processes killed however this ends (an error, a timeout, the caller stopped).
    """
    exe = tesseract_path()
    if exe is None:
        raise PdfError("tesseract is not installed: scanned pages cannot be read (install tesseract-ocr)")
    if not indexes:
        return []
    listener = ocr_listener()
    processes = processes or max(1, min(len(indexes), usable_cores(), 4))
    sizes: dict[int, tuple[float, float]] = {}
    scales: dict[Path, float] = {}
    refused: dict[int, str] = {}
    passed: set[int] = set()  # pages of running text, not read
    max_pixels, max_image_pixels = render_limits(settings)

    def draw(index: int, tmp: Path) -> Path | None:
        """The page drawn for tesseract, or None when it is too large to draw (its reason in `refused`)."""
        page = doc[index]
        path = tmp / f"page-{index:05d}.png"
        try:
            width, height = page.get_size()  # as displayed, after its /Rotate, as PDFium renders it
            sizes[index] = (width, height)
            scale = render_scale(page, index + 1, dpi=dpi, max_pixels=max_pixels, max_image_pixels=max_image_pixels)
            image = page.render(scale=scale, grayscale=True).to_pil()
            # imported once a page is drawn: numpy is large, and a page that cannot be drawn within the
            # worker's memory cap must fail as it did without it (MemoryError and its reason, not an abort)
            from finsheet.extraction.ocr_image import prepare_page
            from finsheet.extraction.ocr_prose import running_text
            from finsheet.extraction.ocr_skew import straighten
            from finsheet.extraction.ocr_turn import scan_turn

            # a page laid out sideways or upside down is read turned upright, and one scanned askew straightened:
            # its words' places are the page's as the Review shows it (`source_page.render_page`)
            if turn := scan_turn(doc, index, exe, image=image, timeout=timeout):
                image = image.rotate(-turn, expand=True)
                if turn % 180:
                    sizes[index] = (height, width)
            image, _ = straighten(image)
            image = prepare_page(image, scale * 72, solid_rules=solid_rules)
            if pass_running_text and running_text(image, scale * 72):
                passed.add(index)
                return None
            # the least compression: a third of the default's time for a file a tenth larger, read once
            image.save(path, compress_level=1)
        except PageTooLarge as exc:
            refused[index] = str(exc)
            return None
        finally:
            page.close()
        scales[path] = scale
        return path

    with ocr_temp_dir() as tmp:
        def mend(image: Path, words: list[Word]) -> list[Word]:
            """A page's words with its unsure lines read again (`ocr_lines`), its nil dashes and minus signs put
            back."""
            points = 1 / scales[image]
            words = reread_unsure_lines(image, words, points, lambda strips: _read_image(exe, strips, points, timeout))
            return _image_mended(image, words, points)

        words_by_image = _run_tesseract(exe, _batches(indexes, processes), lambda index: draw(index, Path(tmp)),
                                        Path(tmp), timeout, scales, listener, lambda: len(refused) + len(passed),
                                        processes, mend if mended else None)
        if len(refused) == len(indexes):
            raise PageTooLarge(next(iter(refused.values())))
    pages = []
    for index in indexes:
        width, height = sizes[index]
        if index in refused:
            pages.append(Page(number=index + 1, width=width, height=height, source="ocr", warnings=[refused[index]]))
            continue
        if index in passed:
            pages.append(Page(number=index + 1, width=width, height=height, source="ocr", running_text=True))
            continue
        words = words_by_image.get(Path(tmp) / f"page-{index:05d}.png", [])
        pages.append(Page(number=index + 1, width=width, height=height, words=words, text=layout_text(words),
                          source="ocr"))
    return pages


def _tesseract_command(exe: str, images: Path) -> list[str]:
    """Tesseract reading an image, or a listing of images, as one uniform block of text into TSV on stdout."""
    return [exe, str(images), "stdout", "--psm", "6", "-c", "preserve_interword_spaces=1", "tsv"]


def tesseract_env() -> dict[str, str]:
    """One thread per tesseract process: on few cores its own threads slow it five- to eightfold."""
    return {**os.environ, "OMP_THREAD_LIMIT": "1"}


def _read_image(exe: str, image: Path, points_per_pixel: float, timeout: float) -> list[Word] | None:
    """Tesseract's words of one image in PDF points, or None when it fails."""
    try:
        done = subprocess.run(_tesseract_command(exe, image), capture_output=True, env=tesseract_env(),
                              timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    return _words_from_tsv(done.stdout.decode("utf-8", errors="replace"), [points_per_pixel]).get(1, [])


def _image_mended(image: Path, words: list[Word], points_per_pixel: float) -> list[Word]:
    """The words tesseract read on a page image, with what it dropped or misread that the image shows put back:
    the nil dashes (`ocr_dashes`) and the minus of a negative figure (`ocr_minus`)."""
    # numpy is imported once pages are drawn, as in `draw`
    import numpy as np
    from PIL import Image

    from finsheet.extraction.ocr_dashes import mend_nil_dashes
    from finsheet.extraction.ocr_image import threshold
    from finsheet.extraction.ocr_minus import mend_dropped_minus

    with Image.open(image) as drawn:
        grey = np.asarray(drawn.convert("L"))
    words = mend_dropped_minus(words, grey < threshold(grey), points_per_pixel)
    return mend_nil_dashes(words, grey, points_per_pixel)


BATCH_PAGES_MAX = 8
"""The most pages one tesseract process reads. Its model loads once per process (about 0.2 s), next to a second or
more a page; smaller batches start reading sooner and share the pages out more evenly among the cores."""


def _batches(indexes: list[int], processes: int) -> list[list[int]]:
    """The pages in runs of neighbours, about four runs per process (at most BATCH_PAGES_MAX pages each): the first
    process starts once a few pages are drawn, not a whole share of the document, and a process that finishes
    early takes another run instead of waiting on the slowest."""
    size = max(1, min(BATCH_PAGES_MAX, -(-len(indexes) // (4 * processes))))
    return [indexes[i : i + size] for i in range(0, len(indexes), size)]


@dataclass(slots=True)
class _Reading:
    """One tesseract process and the batch of images it reads."""

    images: list[Path]
    process: subprocess.Popen[bytes]
    started: float
    output: bytearray = field(default_factory=bytearray)
    done: bool = False


def _run_tesseract(
    exe: str,
    batches: list[list[int]],
    draw: Callable[[int], Path | None],
    tmp: Path,
    timeout: float,
    scales: dict[Path, float],
    listener: OcrProgress | None,
    not_read: Callable[[], int],
    processes: int,
    mend: Callable[[Path, list[Word]], list[Word]] | None = None,
) -> dict[Path, list[Word]]:
    """Words per image, the batches read by up to `processes` tesseract processes at once. The next batch is drawn
    while they read, a page at a time with their output taken in between (a process blocks on a full pipe), and
    starts as soon as a process is free; `listener` hears of each page done (those `draw` did not draw, `not_read`,
    count as done).
    Tesseract writes a page's TSV when it has read the page, so each new page on a process's output is one more
    page done. A batch may take `timeout` seconds a page. `mend` takes an image's words once they are read, while
    the other processes go on reading."""
    env = tesseract_env()
    total = sum(len(batch) for batch in batches)
    waiting = list(reversed(batches))
    readings: list[_Reading] = []
    words_by_image: dict[Path, list[Word]] = {}
    pages_done = 0

    def take_output(wait: float) -> None:
        """Output of the running processes, waiting up to `wait` seconds for some; a process whose output ends is
        finished and its words read."""
        nonlocal pages_done
        for key, _ in selector.select(timeout=wait):
            reading = readings[key.data]
            chunk = os.read(key.fd, 1 << 16)
            if not chunk:
                selector.unregister(key.fileobj)
                _finish(reading, tmp / f"batch-{key.data}.err", timeout)
                words = _words_from_tsv(reading.output.decode("utf-8", errors="replace"),
                                        [1 / scales[path] for path in reading.images])
                for n, image in enumerate(reading.images, start=1):
                    read = words.get(n, [])
                    words_by_image[image] = mend(image, read) if mend is not None and read else read
                reading.done = True
                continue
            before = len(reading.output)
            reading.output += chunk
            # a level-1 row opens each page: count those that end in this chunk (none twice)
            opened = bytes(reading.output[max(0, before - 2) :]).count(b"\n1\t")
            if opened and listener is not None:
                pages_done += opened
                listener(not_read() + pages_done, total)
        for reading in readings:
            if not reading.done and time.monotonic() - reading.started > timeout * len(reading.images):
                raise PdfError(f"OCR timed out after {timeout * len(reading.images):.0f}s")

    with selectors.DefaultSelector() as selector:
        try:
            ahead: list[Path] | None = None  # the next batch, drawn and not yet started
            while True:
                if ahead is None and waiting:
                    ahead = []
                    for index in waiting.pop():
                        image = draw(index)
                        if image is not None:
                            ahead.append(image)
                        take_output(0)
                    ahead = ahead or None  # every page of it too large to draw
                    continue
                running = sum(not reading.done for reading in readings)
                if ahead is not None and running < processes:
                    k = len(readings)
                    listing = tmp / f"batch-{k}.txt"
                    listing.write_text("\n".join(str(path) for path in ahead) + "\n")
                    cmd = _tesseract_command(exe, listing)
                    with (tmp / f"batch-{k}.err").open("wb") as err:
                        process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, env=env)
                    readings.append(_Reading(ahead, process, time.monotonic()))
                    selector.register(process.stdout, selectors.EVENT_READ, k)  # type: ignore[arg-type]
                    ahead = None
                    continue
                if not running:
                    return words_by_image
                take_output(0.5)
        finally:
            for reading in readings:  # an error, a timeout, or the caller stopped: no tesseract is left running
                if reading.process.poll() is None:
                    reading.process.kill()
                    reading.process.wait()
                if reading.process.stdout is not None:
                    reading.process.stdout.close()


def _finish(reading: _Reading, errors: Path, timeout: float) -> None:
    """Wait for a process whose output has ended; raise PdfError when it failed."""
    remaining = max(1.0, timeout * len(reading.images) - (time.monotonic() - reading.started))
    try:
        reading.process.wait(timeout=remaining)
    except subprocess.TimeoutExpired as exc:
        raise PdfError(f"OCR timed out after {timeout * len(reading.images):.0f}s") from exc
    if reading.process.returncode != 0:
        said = errors.read_text(errors="replace").strip()[-200:]
        raise PdfError(f"OCR failed: {said or f'tesseract exit code {reading.process.returncode}'}")


_OCR_DIGIT = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", "|": "1", "]": "1", "S": "5"})
# Marks that carry meaning on their own in a statement: nil dashes, signs, brackets of a negative, currencies.
_MEANINGFUL_MARKS = re.compile(r"^(?:[-\u2013\u2014\u2212]+|[()$£€¥%&*]|\(\$|\$\()$")
_RULE = re.compile(r"^[|\[\]¦{}]+$")


def _fix_ocr_digits(token: str) -> str:
    """Letters OCR mistakes for digits inside a figure ("1O8", "4,5l2", a note "1]") become digits; words are
    left alone."""
    core = token.strip("()$£€-")
    digits = sum(ch.isdigit() for ch in core)
    if digits >= 2 and digits >= 0.6 * len(core.replace(",", "").replace(".", "")) and re.search(r"[OolI|S\]]", core):
        return token.translate(_OCR_DIGIT)
    if re.fullmatch(r"\d[\]|]", core):  # a two-digit note number whose second "1" was read as a bracket
        return token.translate(_OCR_DIGIT)
    return token


def clean_ocr_word(text: str) -> str:
    """One OCR word without the scanner's marks: '' for a table's ruling line ("|", "[") or a speck (";", "'",
    "°") standing alone, a rule's piece stripped from a word's edge ("|NET", "-|", "78,948!"), and a figure's
    stray trailing comma ("40,727,") or leading point ("(.165,069)") dropped. What is left of a figure has its
    letter-for-digit misreadings fixed."""
    text = text.strip()
    if _RULE.match(text):
        return ""  # a vertical rule of a ruled table: it is no character of the statement
    # a rule touching a word's edge: "[OPERATING", "|NET ASSETS", "-|", "7,594|", "78,948!"
    text = re.sub(r"^[|\[¦]+(?=[\w(£$€-])", "", text)
    text = re.sub(r"(?<=[\w)\-\u2013\u2014])[|\]¦!]+$", "", text) if not re.fullmatch(r"\d[\]|]", text) else text
    if re.fullmatch(r"[-\u2013\u2014\u2212_]+", text):
        # a statement prints no underscore: beside a dash it is the dash's own stroke read twice ("-_" for a nil's
        # "—"), alone a piece of a rule
        text = text.replace("_", "")
    # nor at a word's edge: there it is the rule the word stands on, read with it ("$__" for the "$" of a total
    # over its double rule, "_$", "1,772_")
    text = text.strip("_") or text
    if not re.search(r"\w", text):
        return text if _MEANINGFUL_MARKS.match(text) else ""  # an isolated speck: no letter, digit or sign
    unquoted = text.strip("\"'`\u2018\u2019\u201c\u201d\u00bb\u00ab")
    if re.fullmatch(r"[($£€-]*\d{1,3}(?:,\d{3})+\)?", unquoted):
        text = unquoted  # a speck read as a quote mark beside a figure: "“58,240" (not the unit "'000")
    if re.fullmatch(r"\(?[$£€]?\d{1,3}(?:,\d{3})*\)?[,.:;]", text):
        text = text[:-1]  # "40,727,", "0:" : a speck after a complete figure
    # a speck read as a point or comma before a figure grouped by commas ("(.165,069)"): no figure starts so
    text = re.sub(r"^(\(?[$£€]?)[.,:;'`](?=\d{1,3}(?:,\d{3})+(?:\.\d+)?\)?$)", r"\1", text)
    return _fix_ocr_digits(text)


def _words_from_tsv(tsv: str, scales: list[float]) -> dict[int, list[Word]]:
    """Words of each image (1-based page_num of tesseract's TSV) in PDF points; `scales[n - 1]` is image n's
    points per pixel."""
    pages: dict[int, list[Word]] = {}
    for row in tsv.splitlines():
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        number = int(cols[1])
        if not 1 <= number <= len(scales):
            continue  # no image of the batch: nothing to place it on
        scale = scales[number - 1]
        words = pages.setdefault(number, [])
        text = clean_ocr_word(cols[11])
        if not text:
            continue
        left, top, w, h = (float(c) for c in cols[6:10])
        conf = max(0.0, float(cols[10])) / 100
        words.append(Word(text, left * scale, top * scale, (left + w) * scale, (top + h) * scale, conf))
    return {number: months_read(words) for number, words in pages.items()}
