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

from finsheet.errors import FinsheetError, PdfError

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
    from finsheet.model import Document
    from finsheet.pdf import read_bytes, sha256
    from finsheet.pipeline import extract, page_text

    path = Path(args.file)
    if args.text:
        try:
            for number, text in page_text(path, pages=args.pages, ocr=not args.no_ocr):
                print(f"===== page {number} =====")
                print(text)
        except PdfError as exc:
            fail(str(exc))
            return EXIT_BAD_INPUT
        return EXIT_OK
    try:
        doc = extract(path, ocr=not args.no_ocr, engine=args.engine, pages=args.pages)
    except PdfError as exc:
        fail(str(exc))
        if args.json:
            try:
                digest = sha256(read_bytes(path)[0])
            except PdfError:
                digest = ""
            print(Document(file=path.name, sha256=digest, pages=0, error=str(exc)).model_dump_json(indent=1))
        return EXIT_BAD_INPUT
    if args.json:
        print(doc.model_dump_json(indent=1))
    else:
        print(_summary(doc))
    if doc.error:
        fail(doc.error)
        return EXIT_BAD_INPUT
    return EXIT_OK


def _summary(doc: object) -> str:
    from finsheet.model import Document

    assert isinstance(doc, Document)
    lines = [f"{doc.file}: {doc.pages} pages, {len(doc.statements)} statements in {doc.seconds:.2f}s"]
    for st in doc.statements:
        failed = [c for c in st.checks if not c.ok]
        checks = f"{st.checks_passed}/{len(st.checks)} checks pass" if st.checks else "no checks"
        periods = ", ".join(p.label for p in st.periods)
        lines.append(
            f"  {st.type.value:22s} p{','.join(map(str, st.pages)):8s} conf {st.confidence:.2f}  "
            f"{len(st.items):3d} lines  [{periods}]  scale {st.scale} {st.currency or ''}  {checks}"
        )
        lines.extend(f"      ✗ {c.detail}" for c in failed)
    lines.extend(f"  warning: {w}" for w in doc.warnings)
    return "\n".join(lines)


# --------------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="finsheet", description="Financial statements out of PDFs.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("extract", help="extract the statements of one PDF")
    p.add_argument("file", help="a PDF file")
    p.add_argument("--json", action="store_true", help="print the extraction contract as JSON")
    p.add_argument("--text", action="store_true", help="print the layout-preserving text of the pages instead")
    p.add_argument("--pages", type=parse_pages, default=None, help="only these pages, e.g. 38-40,42")
    p.add_argument("--engine", choices=["local", "whisperer"], default=None, help="text engine (default: settings)")
    p.add_argument("--no-ocr", action="store_true", help="do not OCR pages without a text layer")
    p.set_defaults(func=cmd_extract)

    # Further subcommands register below, one block each.

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except FinsheetError as exc:
        fail(str(exc))
        return EXIT_BAD_INPUT if isinstance(exc, PdfError) else EXIT_FAILED
    except KeyboardInterrupt:
        fail("interrupted")
        return 130
    except BrokenPipeError:
        return EXIT_OK
    return code


if __name__ == "__main__":
    sys.exit(main())
