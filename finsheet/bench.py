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


# Each entry: (name, function). Add a section by writing a function above and registering it here.
SECTIONS: list[tuple[str, Callable[[], None]]] = [
    ("extraction", bench_extraction),
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
