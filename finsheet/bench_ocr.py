"""OCR fidelity: how well a scan is read, measured without hand labels.

A text-layer filing's primary statements are read twice: from the text layer, and from an image-only copy of the
same pages (rasterised as a scanner would, at `dpi`) that must go through tesseract. The text layer's figures are
the truth; the scan's reading of each statement is scored by

- exact: the share of the text layer's (period, figure) pairs that the scan reads too;
- wrong: figures the scan reports that the text layer does not print in that period (a misread, or a figure put
  in the wrong column); of those, **silent**: the ones not shown as doubtful, which an analyst would not
  notice (the others are shown doubtful, or sit in a column the scan could not date);
- doubted: figures the scan reads exactly but shows as doubtful (or under an undated column): the false alarms an
  analyst must look at for nothing;
- found, scale and periods: whether the statement was found at all, with the same unit and the same columns.

`make bench ocr` runs it over ../shared/corpus (skipped when absent); `python -m finsheet.bench_ocr FILE...` over
chosen filings.
"""

from __future__ import annotations

import io
import sys
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium

from finsheet.model import LOW_CONFIDENCE, Document, Statement, StatementType

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "pdfs"
PRIMARY = (StatementType.INCOME, StatementType.BALANCE, StatementType.CASH_FLOW)


@dataclass
class Fidelity:
    """One statement type of one filing, read from its text layer and from its scan."""

    file: str
    type: StatementType
    figures: int = 0
    exact: int = 0
    wrong: int = 0
    silent: int = 0
    doubted: int = 0
    found: bool = False
    same_scale: bool = False
    same_periods: bool = False
    misread: list[str] = field(default_factory=list)


def scanned_copy(pdf: Path, pages: list[int], dpi: int = 200) -> bytes:
    """An image-only PDF of the given 1-based pages, grey, at `dpi`: no text layer left to read."""
    doc = pdfium.PdfDocument(str(pdf))
    try:
        images = [doc[n - 1].render(scale=dpi / 72, grayscale=True).to_pil() for n in pages]
    finally:
        doc.close()
    buf = io.BytesIO()
    images[0].save(buf, format="PDF", save_all=True, append_images=images[1:], resolution=float(dpi))
    return buf.getvalue()


def _primary(doc: Document, kind: StatementType) -> Statement | None:
    """The document's main statement of a kind: the one with the most lines of figures."""
    found = [st for st in doc.statements if st.type == kind]
    return max(found, key=lambda st: sum(1 for it in st.items if it.values), default=None)


def _figures(st: Statement, *, confident_only: bool = False) -> Counter[tuple[str, float]]:
    """(period key, figure) pairs of the statement's money lines; `confident_only`: of lines not shown as
    doubtful, under a dated column (a figure in an undated column is shown as such to the analyst)."""
    dated = {p.key for p in st.periods if p.end}
    return Counter((key, round(v, 4)) for it in st.items if it.unit is None
                   and (not confident_only or it.confidence >= LOW_CONFIDENCE)
                   for key, v in it.values.items() if v is not None and (not confident_only or key in dated))


def compare(file: str, text: Document, scan: Document) -> list[Fidelity]:
    out = []
    for kind in PRIMARY:
        truth = _primary(text, kind)
        if truth is None:
            continue
        result = Fidelity(file, kind)
        want = _figures(truth)
        result.figures = sum(want.values())
        read = _primary(scan, kind)
        if read is not None:
            got = _figures(read)
            result.found = True
            result.exact = sum((want & got).values())
            extra = got - want
            result.wrong = sum(extra.values())
            confident = _figures(read, confident_only=True)
            result.silent = sum((confident - want).values())
            result.doubted = result.exact - sum((want & confident).values())
            result.misread = [f"{k} {v:,.2f}" for k, v in list(extra)[:5]]
            result.same_scale = read.scale == truth.scale
            result.same_periods = [p.key for p in read.periods] == [p.key for p in truth.periods]
        out.append(result)
    return out


def measure(pdf: Path, dpi: int = 200) -> list[Fidelity]:
    """Read one text-layer filing's primary statements from the text layer and from a scan of their pages."""
    from finsheet import extract

    text = extract(pdf)
    pages = sorted({n for kind in PRIMARY if (st := _primary(text, kind)) for n in st.pages})
    if not pages or text.ocr_pages:
        return []  # nothing to compare, or a scan already: no text layer to be the truth
    scan = extract(scanned_copy(pdf, pages, dpi), name=f"{pdf.stem}-scan.pdf")
    return compare(pdf.name, text, scan)


def report(results: list[Fidelity]) -> None:
    for r in results:
        flags = "".join(("" if r.found else " NOT FOUND", "" if r.same_scale or not r.found else " scale",
                         "" if r.same_periods or not r.found else " periods"))
        print(f"  {r.file[:38]:38} {r.type.value[:16]:16} {r.exact:4}/{r.figures:<4} wrong {r.wrong:3} "
              f"silent {r.silent:3} doubted {r.doubted:3}{flags}"
              + (f"  e.g. {', '.join(r.misread[:3])}" if r.wrong else ""))
    figures = sum(r.figures for r in results)
    exact = sum(r.exact for r in results)
    wrong = sum(r.wrong for r in results)
    silent = sum(r.silent for r in results)
    doubted = sum(r.doubted for r in results)
    found = sum(r.found for r in results)
    clean = sum(r.found and r.exact == r.figures and not r.wrong for r in results)
    print(f"  statements {len(results)}: found {found}, read exactly {clean}; figures {exact}/{figures} exact "
          f"({exact / max(figures, 1):.1%}), wrong {wrong} (silent {silent}), exact but doubted {doubted}; "
          f"scale differs in "
          f"{sum(r.found and not r.same_scale for r in results)}, columns differ in "
          f"{sum(r.found and not r.same_periods for r in results)}")


def bench_ocr(files: list[Path] | None = None, workers: int = 2) -> None:
    """Figures read from a 200 dpi scan of each corpus filing's statement pages against its text layer."""
    if files is None:
        if not CORPUS.is_dir():
            print("  ../shared/corpus is not here: skipped")
            return
        files = sorted(p for p in CORPUS.glob("*.pdf") if "scanned" not in p.name)
    with ProcessPoolExecutor(workers) as pool:
        results = [r for rs in pool.map(measure, files) for r in rs]
    report(results)


if __name__ == "__main__":
    bench_ocr([Path(a) for a in sys.argv[1:]] or None)
