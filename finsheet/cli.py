"""The `finsheet` command.

Every subcommand is a small function `cmd_<name>(args) -> int` registered in `build_parser()`; the work itself is
one call into the package. Exit codes: 0 success, 1 some work failed, 2 bad input (the file cannot be read,
no statements found), 3 a usage or configuration error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from finsheet.errors import ConfigError, EngineUnavailable, FinsheetError, PdfError

if TYPE_CHECKING:
    from finsheet.engines.http import ResponseCache
    from finsheet.settings import Settings

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_USAGE = 0, 1, 2, 3


def parse_pages(spec: str) -> list[int]:
    """'38-40,42' -> [38, 39, 40, 42] (1-based)."""
    pages: list[int] = []
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        lo, _, hi = part.partition("-")
        try:
            a, b = int(lo), int(hi or lo)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(f"bad page range {part!r}: use e.g. 38-40,42") from exc
        if a < 1 or b < a:
            raise argparse.ArgumentTypeError(f"bad page range {part!r}: pages start at 1")
        pages.extend(range(a, b + 1))
    return pages


def fail(message: str) -> None:
    """One clear line on stderr, never a traceback."""
    print(f"finsheet: {message}", file=sys.stderr)


# --------------------------------------------------------------------------- extract


def cmd_extract(args: argparse.Namespace) -> int:
    """Each file in turn, in this one process (PDFium and the parsers load once). With one file `--json` prints
    the extraction contract indented; with several, one compact JSON document per line (JSON lines)."""
    paths = [Path(f) for f in args.files]
    if args.text:
        return _print_text(paths, args)
    from contextlib import AbstractContextManager, nullcontext

    from finsheet.engines import uses_engines
    from finsheet.settings import load_settings

    settings = load_settings()
    if args.engine:
        settings = settings.model_copy(update={"engine": args.engine})
    code = EXIT_OK
    cache_warnings: list[str] = []
    opened: AbstractContextManager[ResponseCache | None] = nullcontext(None)
    if uses_engines(settings):  # the engines bill per call: their answers are cached in the store
        from finsheet.store import open_response_cache  # only then: DuckDB and Polars take 0.3 s to import

        opened = open_response_cache(settings, cache_warnings)
    with opened as cache:
        for path in paths:
            code = max(code, _extract_one(path, args, settings, cache, cache_warnings))
    return code


def _extract_one(
    path: Path, args: argparse.Namespace, settings: Settings, cache: ResponseCache | None, notes: list[str]
) -> int:
    from finsheet.extraction.pdf import read_bytes, sha256
    from finsheet.extraction.pipeline import extract
    from finsheet.model import Document

    indent = 1 if len(args.files) == 1 else None
    try:
        doc = extract(path, ocr=not args.no_ocr, pages=args.pages, settings=settings, cache=cache)
    except PdfError as exc:
        fail(f"{path.name}: {exc}" if len(args.files) > 1 else str(exc))
        if args.json:
            try:
                digest = sha256(read_bytes(path)[0])
            except PdfError:
                digest = ""
            print(Document(file=path.name, sha256=digest, pages=0, error=str(exc)).model_dump_json(indent=indent))
        return EXIT_BAD_INPUT
    doc.warnings.extend(notes)
    if args.json:
        print(doc.model_dump_json(indent=indent), flush=True)
    else:
        print(_summary(doc), flush=True)
    if doc.error:
        fail(f"{path.name}: {doc.error}" if len(args.files) > 1 else doc.error)
        return EXIT_BAD_INPUT
    return EXIT_OK


def _print_text(paths: list[Path], args: argparse.Namespace) -> int:
    from finsheet.extraction.pipeline import page_text

    code = EXIT_OK
    for path in paths:
        if len(paths) > 1:
            print(f"##### {path.name}")
        try:
            for number, text in page_text(path, pages=args.pages, ocr=not args.no_ocr):
                print(f"===== page {number} =====")
                print(text)
        except PdfError as exc:
            fail(f"{path.name}: {exc}" if len(paths) > 1 else str(exc))
            code = EXIT_BAD_INPUT
    return code


def _summary(doc: object) -> str:
    from finsheet.model import Document

    assert isinstance(doc, Document)
    lines = [f"{doc.file}: {doc.pages} pages, {len(doc.statements)} statements in {doc.seconds:.2f}s"]
    for st in doc.statements:
        failed = [c for c in st.checks if c.ok is False]
        unverified = f", {st.checks_unverified} not verified" if st.checks_unverified else ""
        checks = f"{st.checks_passed}/{len(st.checks)} checks pass{unverified}" if st.checks else "no checks"
        periods = ", ".join(p.label for p in st.periods)
        lines.append(
            f"  {st.type.value:22s} p{','.join(map(str, st.pages)):8s} conf {st.confidence:.2f}  "
            f"{len(st.items):3d} lines  [{periods}]  scale {st.scale or 'unknown'} {st.currency or ''}  {checks}"
        )
        lines.extend(f"      ✗ {c.detail}" for c in failed)
    lines.extend(f"  ✗ {c.detail}" for c in doc.checks if c.ok is False)
    lines.extend(f"  warning: {w}" for w in doc.warnings)
    return "\n".join(lines)


# --------------------------------------------------------------------------- import, jobs, doctor (the store)


def cmd_import(args: argparse.Namespace) -> int:
    import json

    from finsheet.jobs.importer import ProgressBar, import_files
    from finsheet.settings import load_settings
    from finsheet.store.base import DatabaseInUse

    try:
        _require_import_owner(args.user)
    except DatabaseInUse:
        pass  # nothing can be written while another process holds it: every file's result below says so
    results = import_files(
        [Path(f) for f in args.files], user=args.user, settings=load_settings(), workers=args.workers,
        force=args.force, progress=ProgressBar(sys.stderr),
    )  # never raises for a file, the queue or the database: each file's result says what happened
    if args.json:
        print(json.dumps([r.model_dump() for r in results], indent=1))
    else:
        for r in results:
            where = f"  document {r.document_id}, {r.statements} statements" if r.document_id else ""
            print(f"{r.status:9s} {r.file}{where}" + "".join(f"\n          {t}" for t in (r.note, r.error) if t))
    ok = sum(r.status == "completed" for r in results)
    busy = [r.error for r in results if r.error and "is in use by another finsheet process" in r.error]
    if busy and len(busy) == len(results):  # nothing was done: the database is busy (the app, another import)
        fail(busy[0])
        return EXIT_USAGE
    print(f"finsheet: {ok} of {len(results)} file(s) imported", file=sys.stderr)
    return EXIT_OK if ok == len(results) else EXIT_FAILED


def _require_import_owner(username: str) -> None:
    """AuthError unless the account exists (else whoever registers the name later gets the documents); what the
    import then writes into the data dir is private to its owner."""
    from finsheet.settings import load_settings
    from finsheet.store import Store
    from finsheet.workbench.auth import protect_data_dir, require_existing_user

    settings = load_settings()
    protect_data_dir(settings)
    with Store.open(settings) as store:
        require_existing_user(store, username)


def cmd_jobs(args: argparse.Namespace) -> int:
    import json

    from finsheet.settings import load_settings
    from finsheet.store import Store, UserRef

    viewer = UserRef(username=args.user or "", role="analyst" if args.user else "admin")
    with Store.open(load_settings()) as store:
        jobs = store.list_jobs(viewer, limit=args.limit)
    if args.json:
        print(json.dumps([j.model_dump(mode="json") for j in jobs], indent=1))
        return EXIT_OK
    for j in jobs:
        what = j.document_name or json.dumps(j.payload)
        print(f"{j.id:5d} {j.kind:11s} {j.state.value:9s} {j.progress:5.0f}% {j.owner:12s} {what}"
              + (f"\n      {j.error}" if j.error else ""))
    if not jobs:
        print("no jobs", file=sys.stderr)
    return EXIT_OK


def cmd_doctor(args: argparse.Namespace) -> int:
    import json

    from finsheet.settings import load_settings
    from finsheet.workbench.health import health

    checks = health(load_settings(), check_services=not args.offline)
    if args.json:
        print(json.dumps([c.model_dump() for c in checks], indent=1))
    else:
        for c in checks:
            print(f"{'ok  ' if c.ok else 'FAIL'} {c.name:12s} {c.detail}")
    return EXIT_OK if all(c.ok for c in checks) else EXIT_FAILED


# --------------------------------------------------------------------------- workbook (consolidation)


def cmd_workbook(args: argparse.Namespace) -> int:
    from finsheet.consolidate.mapping import ConsolidationSettings
    from finsheet.export.workbook import write_workbook
    from finsheet.jobs import gather

    if bool(args.files) == bool(args.company or args.consolidation):
        fail("give PDF files, or --company / --consolidation to use the store (not both)")
        return EXIT_USAGE
    settings = ConsolidationSettings(months=args.months, scale=args.scale)
    if args.files:
        missing = [f for f in args.files if not Path(f).is_file()]
        if missing:
            fail(f"no such file: {missing[0]}")
            return EXIT_BAD_INPUT
        result = gather.from_files([Path(f) for f in args.files], settings=settings)
    else:
        from finsheet.settings import load_settings
        from finsheet.store import Store, UserRef

        viewer = UserRef(username=args.user or "", role="analyst" if args.user else "admin")
        with Store.open(load_settings()) as store:
            given = settings if args.months or args.scale else None
            result = gather.from_store(
                store, viewer, company=args.company, consolidation_id=args.consolidation, settings=given
            ).consolidation
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if not result.statements:
        fail("no statement could be consolidated from these documents")
        return EXIT_BAD_INPUT
    write_workbook(result, Path(args.output))
    print(f"wrote {args.output}: {len(result.documents)} document(s), {result.scale_label}")
    for kind, st in result.statements.items():
        failed = sum(c.ok is False for c in st.checks)
        print(f"  {kind.value:22s} {len(st.periods)} periods × {len(st.accounts)} accounts"
              + (f", {failed} check(s) fail" if failed else ""))
    if result.restatements:
        restated = sum(r.kind == "restated" for r in result.restatements)
        moved = len(result.restatements) - restated
        print(f"  {restated} restated value(s), {moved} line(s) reported in one filing only: see Restatements")
    return EXIT_FAILED if result.skipped else EXIT_OK


# --------------------------------------------------------------------------- optional engines: cache, llm serve


def cmd_cache(args: argparse.Namespace) -> int:
    from finsheet.settings import load_settings
    from finsheet.store import Store

    with Store.open(load_settings()) as store:
        if args.action == "clear":
            removed = store.cache_clear()
            print(f"removed {removed} cached engine answer(s)")
        else:
            stats = store.cache_stats()
            print(f"{stats.entries} cached engine answer(s), {stats.bytes} bytes, {stats.hits} hit(s)")
    return EXIT_OK


def cmd_llm_serve(args: argparse.Namespace) -> int:
    from finsheet.engines.serve import serve
    from finsheet.errors import EngineUnavailable

    try:
        serve(port=args.port, threads=args.threads, context=args.context)
    except EngineUnavailable as exc:
        fail(str(exc))
        return EXIT_USAGE
    return EXIT_OK


# --------------------------------------------------------------------------- batch (Dask) and import-batch


def cmd_batch(args: argparse.Namespace) -> int:
    """Extract many PDFs on a Dask cluster into Parquet; Dask is imported only here (the command starts fast)."""
    import json

    from finsheet.batch.cluster import ClusterOptions
    from finsheet.batch.progress import TerminalProgress
    from finsheet.batch.runner import BatchOptions, run_batch
    from finsheet.settings import load_settings

    if args.store and not args.user:
        fail("--store needs --user: the account the documents are imported for")
        return EXIT_USAGE
    settings = load_settings()
    if args.store:  # refuse a missing user before hours of extraction, not after
        from finsheet.store import Store

        with Store.open(settings) as store:
            if store.get_user(args.user) is None:
                fail(f"no user {args.user!r}: create the account first (Admin page)")
                return EXIT_USAGE
    timeout = settings.job_timeout_s if args.timeout is None else args.timeout
    options = BatchOptions(
        cluster=ClusterOptions(scheduler=args.scheduler, workers=args.workers, memory_limit=args.memory_limit),
        timeout=timeout or None, settings=settings, ocr=not args.no_ocr,
    )
    report = run_batch(
        args.sources, Path(args.out), options=options, progress=TerminalProgress(sys.stderr),
        on_dashboard=lambda link: print(f"finsheet: Dask dashboard at {link}", file=sys.stderr),
    )
    p = report.progress
    summary = {
        "out": str(report.out), "documents": report.documents, "skipped": p.skipped, "done": p.done,
        "no_statements": p.no_statements, "failed": len(report.failures), "pages": p.pages,
        "seconds": round(p.seconds, 2), "pages_per_second": round(p.pages_per_second, 2),
        "failures": [{"file": f.file, "kind": f.kind, "reason": f.reason} for f in report.failures],
    }
    if args.json:
        print(json.dumps(summary, indent=1))
    else:
        for f in report.failures:
            print(f"failed  {f.file}: {f.reason}")
        print(f"{report.documents} document(s): {p.skipped} done before, {p.done} extracted now "
              f"({p.pages} pages, {p.pages_per_second:.1f} pages/s), {len(report.failures)} failed -> {report.out}")
    code = EXIT_OK if report.ok else EXIT_FAILED
    if args.store:
        code = max(code, _import_batch(report.out, args.user, force=False))
    if not report.documents:
        fail("the sources name no readable file: give PDF files, folders of PDFs or a manifest")
        return EXIT_BAD_INPUT
    return code


def cmd_import_batch(args: argparse.Namespace) -> int:
    return _import_batch(Path(args.out), args.user, force=args.force)


def _import_batch(out: Path, user: str, *, force: bool) -> int:
    from finsheet.batch.loader import import_batch
    from finsheet.errors import AuthError
    from finsheet.settings import load_settings

    try:
        summary = import_batch(out, user=user, settings=load_settings(), force=force)
    except AuthError as exc:
        fail(str(exc))
        return EXIT_USAGE
    print(f"imported {summary.imported} document(s) for {user}, {summary.failed} failed extraction(s), "
          f"{summary.skipped} already extracted (left as they were; --force to replace)")
    if summary.without_pdf:
        print(f"  {len(summary.without_pdf)} PDF(s) no longer where the batch read them, stored without their "
              f"pages: {', '.join(summary.without_pdf[:5])}{' ...' if len(summary.without_pdf) > 5 else ''}")
    return EXIT_OK


# --------------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="finsheet", description="Financial statements out of PDFs.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("extract", help="extract the statements of PDFs")
    p.add_argument("files", nargs="+", metavar="file", help="PDF files, read one after another in this process")
    p.add_argument("--json", action="store_true",
                   help="print the extraction contract as JSON (several files: one document per line)")
    p.add_argument("--text", action="store_true", help="print the layout-preserving text of the pages instead")
    p.add_argument("--pages", type=parse_pages, default=None, help="only these pages, e.g. 38-40,42")
    p.add_argument("--engine", choices=["local", "whisperer"], default=None, help="text engine (default: settings)")
    p.add_argument("--no-ocr", action="store_true", help="do not OCR pages without a text layer")
    p.set_defaults(func=cmd_extract)

    # Further subcommands register below, one block each.

    p = sub.add_parser("import", help="store PDFs and extract them through the job queue")
    p.add_argument("files", nargs="+", help="PDF files")
    p.add_argument("--user", default="admin", help="owner of the documents (default: admin)")
    p.add_argument("--json", action="store_true", help="print one object per file: file, document_id, status, ...")
    p.add_argument("--workers", type=int, default=None, help="worker threads (default: settings, 3)")
    p.add_argument("--force", action="store_true", help="extract again files that were imported before")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("jobs", help="list the background jobs")
    p.add_argument("--json", action="store_true", help="print the jobs as JSON")
    p.add_argument("--user", default=None, help="only this user's jobs (default: everyone's)")
    p.add_argument("--limit", type=int, default=100, help="at most this many, newest first")
    p.set_defaults(func=cmd_jobs)

    p = sub.add_parser("doctor", help="check the database, disk, tesseract and optional services")
    p.add_argument("--json", action="store_true", help="print the checks as JSON")
    p.add_argument("--offline", action="store_true", help="do not contact the optional engines")
    p.set_defaults(func=cmd_doctor)

    p = sub.add_parser("cache", help="the cache of LLMWhisperer and LLM answers")
    p.add_argument("action", choices=["clear", "stats"], help="clear: forget every answer; stats: count them")
    p.set_defaults(func=cmd_cache)

    p = sub.add_parser("llm", help="a local LLM for the optional repair engine")
    llm_sub = p.add_subparsers(dest="llm_command", required=True)
    p = llm_sub.add_parser("serve", help="serve SmolLM2-135M on 127.0.0.1 behind an OpenAI-compatible endpoint")
    p.add_argument("--port", type=int, default=8080, help="port on 127.0.0.1 (default 8080; 0 picks a free one)")
    p.add_argument("--threads", type=int, default=1, help="CPU threads (default 1: faster on a busy 2-core box)")
    p.add_argument("--context", type=int, default=8192, help="context length in tokens (default 8192)")
    p.set_defaults(func=cmd_llm_serve)

    p = sub.add_parser("workbook", help="consolidate several filings into an Excel workbook with live formulas")
    p.add_argument("files", nargs="*", help="PDF files of one company (extracted now, no database)")
    p.add_argument("-o", "--output", required=True, help="the .xlsx file to write")
    p.add_argument("--company", default=None, help="use this company's documents (or saved consolidation) in the store")
    p.add_argument("--consolidation", type=int, default=None, help="use this saved consolidation from the store")
    p.add_argument("--user", default=None, help="with the store: as this user (default: admin, sees everyone's)")
    p.add_argument("--months", type=int, default=None, help="keep only flow periods of this length, e.g. 12")
    p.add_argument("--scale", type=int, default=None, help="present values in this scale, e.g. 1000000")
    p.set_defaults(func=cmd_workbook)

    p = sub.add_parser("batch", help="extract many PDFs on a Dask cluster into Parquet (resumable)")
    p.add_argument("sources", nargs="+", help="PDF files, folders of PDFs, manifests (.tsv/.csv with a path column)")
    p.add_argument("--out", required=True, help="output folder: one Parquet file per document and table")
    p.add_argument("--workers", type=int, default=None, help="local worker processes (default: one per core)")
    p.add_argument("--scheduler", default=None, help="an existing Dask scheduler, e.g. tcp://10.0.0.5:8786")
    p.add_argument("--timeout", type=float, default=None,
                   help="seconds one document may take (default: FINSHEET_JOB_TIMEOUT_S, 300; 0: no limit)")
    p.add_argument("--memory-limit", default=None, help="per local worker, e.g. 4GiB (default: 4GiB or less)")
    p.add_argument("--no-ocr", action="store_true", help="do not OCR pages without a text layer")
    p.add_argument("--store", action="store_true", help="then import the output into the store for --user")
    p.add_argument("--user", default=None, help="with --store: the (existing) account to import for")
    p.add_argument("--json", action="store_true", help="print the run's summary as JSON")
    p.set_defaults(func=cmd_batch)

    p = sub.add_parser("import-batch", help="load a batch's Parquet output into the store for an existing user")
    p.add_argument("out", help="the output folder of `finsheet batch`")
    p.add_argument("--user", required=True, help="the account the documents are imported for (must exist)")
    p.add_argument("--force", action="store_true", help="replace documents the user has extracted already")
    p.set_defaults(func=cmd_import_batch)

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except FinsheetError as exc:
        fail(str(exc))
        if isinstance(exc, PdfError):
            return EXIT_BAD_INPUT
        return EXIT_USAGE if isinstance(exc, ConfigError | EngineUnavailable) else EXIT_FAILED
    except KeyboardInterrupt:
        fail("interrupted")
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # a bug, not bad input: still one line for the user, never a traceback
        fail(f"internal error: {type(exc).__name__}: {exc} (please report this with the file)")
        return EXIT_FAILED
    return code


if __name__ == "__main__":
    sys.exit(main())
