"""Whole generated filings, each with its truth (generated_filings.py): every primary statement found once and none
on a page that holds none, its periods' end dates, its scale, and every line's values exact.

The seeds below run on every test run; a seed that fails today is marked xfail (strict) with the cause, so the test
documents the known failures and fails as soon as one is fixed (then its mark goes). FINSHEET_GENERATED_SEEDS=500
runs seeds 0..499 instead, to explore.
"""

from __future__ import annotations

import os

import pytest
from generated_compare import differences
from generated_filings import filing

from finsheet import extract

# Why seeds fail today: the cause in the extractor, by the layout that shows it (the report of the generated filings
# gives a minimal case of each).
LABEL_FIGURES = ("rows.build_rows: figures inside a label ('Revenue (Note 11)'; a wrapped label's line ending "
                 "'(Note' / '12)', '$1,234 and' / '$1,100', '200,000') are read as values or a column of their own")
WEEKS_BARE_YEAR = ("pipeline._date_bare_years: with 52-week years (ends 2021-12-25, 2020-12-26) a column headed "
                   "'2021' is dated with another year's day (2021-12-26)")


KNOWN: dict[int, str] = {84: LABEL_FIGURES}
"""Seeds that fail today, with the cause in the extractor."""

DOTTED_DATES = ("headings: dates printed '30.09.2024  30.09.2023  30.09.2022' over a '$' row: the newest column is "
                "lost and the others get no length (cause not isolated)")
SPANS_MONTHS = ("headings: quarterly comprehensive income on its own page under 'Three Months Ended 30 September' / "
                "'Six Months Ended 30 September' spans over two columns each: all four columns get months 3")
KNOWN |= {557: DOTTED_DATES, 634: SPANS_MONTHS, 721: WEEKS_BARE_YEAR}
"""Beyond the first hundred: one seed of each class the first hundred do not show."""

SEEDS = range(int(os.environ["FINSHEET_GENERATED_SEEDS"])) if os.environ.get("FINSHEET_GENERATED_SEEDS") \
    else [*range(100), 135, 217, 293, 557, 634, 712, 721]


def _case(seed: int) -> object:
    if seed in KNOWN:
        return pytest.param(seed, marks=pytest.mark.xfail(strict=True, reason=KNOWN[seed]))
    return seed


@pytest.mark.parametrize("seed", [_case(s) for s in SEEDS])
def test_a_generated_filing_is_extracted_as_its_truth_says(seed: int) -> None:
    """The statements, periods, scale and every value of a generated filing are what its truth says."""
    pdf, truth = filing(seed)
    found = differences(extract(pdf), truth)
    assert not found, f"seed {seed} ({truth.choices}):\n" + "\n".join(found[:30])
