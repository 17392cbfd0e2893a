"""`make bench extraction` and `make bench command`: extraction end to end per sample document, and the
`finsheet` command's start-up and one process against many."""

from __future__ import annotations

import sys
from pathlib import Path

_EXTRACT_ONE = """
import json, resource, sys, time
from finsheet import extract
t = time.perf_counter()
doc = extract(sys.argv[1])
print(json.dumps({"seconds": time.perf_counter() - t, "pages": doc.pages, "ocr": len(doc.ocr_pages),
                  "statements": len(doc.statements), "timings": doc.timings,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def bench_extraction() -> None:
    """Seconds, pages/s and peak memory per sample document, each extracted end to end in a fresh process."""
    import json
    import subprocess

    from finsheet.bench import samples_dir  # not on top: finsheet.bench imports this module

    samples = samples_dir()
    if samples is None:
        print("extraction: skipped (../shared/samples is absent)")
        return
    paths = sorted((samples / "pdfs").glob("*.pdf")) + sorted((samples / "series").glob("*.pdf"))
    print(f"{'document':52s} {'pages':>5s} {'seconds':>8s} {'pages/s':>8s} {'peak MB':>8s}  scanned pages")
    text_pages = text_seconds = 0.0
    for path in paths:
        out = subprocess.run([sys.executable, "-c", _EXTRACT_ONE, str(path)], capture_output=True, text=True,
                             check=False)
        if out.returncode != 0:
            print(f"{path.name:52s} failed: {out.stderr.strip()[-200:]}")
            continue
        r = json.loads(out.stdout)
        # a scan's pages are OCR'd to find its statements (its pages of running text passed over, `ocr_prose`), then
        # its statement pages again at full resolution
        scanned = f"{r['seconds'] / max(r['pages'], 1):.2f} s per scanned page" if r["ocr"] else ""
        print(f"{path.name:52s} {r['pages']:5d} {r['seconds']:8.2f} {r['pages'] / r['seconds']:8.0f} "
              f"{r['rss_mb']:8.0f}  {scanned}")
        if not r["ocr"]:
            text_pages += r["pages"]
            text_seconds += r["seconds"]
    if text_seconds:
        print(f"text-layer documents: {text_pages / text_seconds:.0f} pages/s overall")


def _best_of(command: list[str], runs: int = 5) -> float:
    """The fastest of `runs` wall-clock runs of a command (the least disturbed by whatever else the machine does)."""
    import subprocess
    import time

    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=False)
        best = min(best, time.perf_counter() - started)
    return best


def bench_command() -> None:
    """The `finsheet` command: its start-up (target: <= 0.15 s, where Python alone takes about 0.02 s), and many
    files read in one process against one process per file."""
    import subprocess
    import time

    exe = str(Path(sys.executable).with_name("finsheet"))
    python = _best_of([sys.executable, "-c", "pass"])
    pdfium = _best_of([sys.executable, "-c", "import pypdfium2"])
    print(f"python alone {python:.3f} s; python + pypdfium2 {pdfium:.3f} s")
    for args in (["--help"], ["extract", "--help"]):
        print(f"finsheet {' '.join(args):16s} {_best_of([exe, *args]):.3f} s  (start-up, target <= 0.15 s)")
    from finsheet.bench import samples_dir  # not on top: finsheet.bench imports this module

    samples = samples_dir()
    if samples is None:
        print("many files: skipped (../shared/samples is absent)")
        return
    # text-layer samples only: OCR time would hide what the start-up costs
    paths = [str(p) for p in sorted((samples / "pdfs").glob("*.pdf")) if "scanned" not in p.name]
    started = time.perf_counter()
    for path in paths:
        subprocess.run([exe, "extract", path, "--json"], capture_output=True, check=False)
    separate = time.perf_counter() - started
    started = time.perf_counter()
    out = subprocess.run([exe, "extract", *paths, "--json"], capture_output=True, text=True, check=False)
    together = time.perf_counter() - started
    lines = len(out.stdout.splitlines())
    print(f"{len(paths)} text-layer samples: {separate:.2f} s as one process each, {together:.2f} s in one process "
          f"(`finsheet extract A.pdf B.pdf ... --json`, {lines} JSON lines)")
