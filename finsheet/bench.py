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


def bench_extraction() -> None:
    """Pages/s and seconds per document for the samples (filled in with the extraction pipeline)."""
    print("extraction: not measured yet")


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

    from finsheet.consolidate import consolidate
    from finsheet.model import Document
    from finsheet.workbook import write_workbook

    docs = [d for d in _generated_filings() if isinstance(d, Document)]
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        result = consolidate(docs)
        runs.append(time.perf_counter() - start)
    st = next(iter(result.statements.values()))
    print(f"consolidate: {len(docs)} filings -> {len(st.periods)} periods × {len(st.accounts)} accounts, "
          f"{len(result.restatements)} restatements, {sum(s.applied for s in result.suggestions)} label matches: "
          f"{1000 * min(runs):.0f} ms (best of 5; target < 200 ms)")
    runs = []
    for _ in range(3):
        buffer = io.BytesIO()
        start = time.perf_counter()
        formulas = write_workbook(result, buffer)
        runs.append(time.perf_counter() - start)
    print(f"workbook: {len(formulas.expected):,} formulas, {len(buffer.getvalue()) / 1e6:.1f} MB: "
          f"{min(runs):.2f} s (best of 3; target < 2 s)")


# Each entry: (name, function). Add a section by writing a function above and registering it here.
SECTIONS: list[tuple[str, Callable[[], None]]] = [
    ("extraction", bench_extraction),
    ("consolidation", bench_consolidation),
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
