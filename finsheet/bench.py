"""`make bench`: speed and memory figures. Each section is a function that prints its own lines.

Run all sections with `python -m finsheet.bench`, or some with `python -m finsheet.bench extraction queue`.
Sections that need ../shared/samples say so and are skipped when it is absent. The sections live in
`finsheet/bench_<topic>.py` by what they measure; they import what they measure inside the function, so running one
section loads only its own code.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from finsheet.bench_batch import bench_batch
from finsheet.bench_consolidation import bench_consolidation
from finsheet.bench_extraction import bench_command, bench_extraction
from finsheet.bench_llm import bench_llm
from finsheet.bench_memory import bench_memory
from finsheet.bench_workbench import bench_app, bench_queue

SAMPLES = Path(__file__).resolve().parent.parent.parent / "shared" / "samples"


def samples_dir() -> Path | None:
    """The shared sample documents, or None on a fresh clone."""
    return SAMPLES if (SAMPLES / "pdfs").is_dir() else None


def _bench_ocr() -> None:
    """Figures read through OCR from scans of the corpus's statement pages against their text layer."""
    from finsheet.bench_ocr import bench_ocr

    bench_ocr()


# Each entry: (name, function). Add a section by writing a function in a bench_<topic>.py module and registering it
# here.
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
