"""Periods decided across the document: a column headed only by a year takes the end date the filing's other
statements print for that year, where they print exactly one."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from finsheet import StatementType, extract
from finsheet.model import Document, Statement

TwoStatements = Callable[..., bytes]


def income(doc: Document) -> Statement:
    (found,) = [s for s in doc.statements if s.type == StatementType.INCOME]
    return found


@pytest.mark.parametrize(("dates", "ends"), [
    (("31 December 2022", "31 December 2021"), ["2022-12-31", "2021-12-31"]),
    (("May 29, 2022", "May 30, 2021"), ["2022-05-29", "2021-05-30"]),  # a fiscal year to May
    (("30.06.2022", "30.06.2021"), ["2022-06-30", "2021-06-30"]),
])
def test_bare_years_take_the_balance_sheet_dates(
    dates: tuple[str, str], ends: list[str], two_statements: TwoStatements
) -> None:
    """The income statement prints only '2022 2021'; the balance sheet dates the same years: those are the ends,
    and the values move to the dated keys."""
    st = income(extract(two_statements(bs_headings=dates, is_headings=("2022", "2021"))))
    assert [p.end.isoformat() if p.end else None for p in st.periods] == ends
    assert [p.key for p in st.periods] == ends
    revenue = next(i for i in st.items if i.label == "Revenue")
    assert revenue.values == {ends[0]: 10_000, ends[1]: 9_000}


def test_a_year_end_in_january_is_not_matched_to_a_bare_year(two_statements: TwoStatements) -> None:
    """'2022' beside a balance sheet dated 29 January 2022 may be fiscal 2021 (retailers name a year ending in
    January for the year before): the end stays unknown."""
    st = income(extract(two_statements(bs_headings=("January 28, 2023", "January 29, 2022"),
                                       is_headings=("2022", "2021"))))
    assert [p.end for p in st.periods] == [None, None]


def test_two_dates_in_one_year_decide_nothing(two_statements: TwoStatements) -> None:
    """A balance sheet with two dates in the year (an interim and a year end) does not say which one '2022' means."""
    st = income(extract(two_statements(bs_headings=("June 30, 2022", "December 31, 2022"),
                                       is_headings=("2022", "2021"))))
    assert st.periods[0].end is None


def test_bracketed_words_beside_a_year_do_not_stop_the_dating(two_statements: TwoStatements) -> None:
    """'2021 (as restated)' is still the year 2021: words in brackets without a digit date nothing."""
    st = income(extract(two_statements(bs_headings=("31 December 2022", "31 December 2021"),
                                       is_headings=("2022", "2021 (as restated)"))))
    assert [p.end.isoformat() if p.end else None for p in st.periods] == ["2022-12-31", "2021-12-31"]
