"""Period headings in every common form, and keys that stay unique."""

from __future__ import annotations

from datetime import date

import pytest

from finsheet.extraction.periods import PeriodInfo, end_among, read_heading, resolve


@pytest.mark.parametrize(
    ("heading", "end", "months", "restated"),
    [
        ("December 31, 2023", date(2023, 12, 31), None, False),
        ("August 29, 2021", date(2021, 8, 29), None, False),
        ("31 December 2022", date(2022, 12, 31), None, False),
        ("At 31 December 2022 £000's", date(2022, 12, 31), None, False),
        ("Three Months Ended July 29, 2023", date(2023, 7, 29), 3, False),
        ("Six Months Ended July 30, 2022", date(2022, 7, 30), 6, False),
        ("Nine months ended September 30, 2024", date(2024, 9, 30), 9, False),
        ("13 Weeks Ended January 28, 2023 (Unaudited)", date(2023, 1, 28), 3, False),
        ("52 Weeks Ended September 1, 2019", date(2019, 9, 1), 12, False),
        ("Year ended December 31, 2017", date(2017, 12, 31), 12, False),
        ("Jan - Mar 2024", date(2024, 3, 31), 3, False),
        ("Actual July - Sept 2024", date(2024, 9, 30), 3, False),
        ("Jan - Dec 2024", date(2024, 12, 31), 12, False),
        ("2023 Restated", None, None, True),
        ("12/31/2022", date(2022, 12, 31), None, False),
        ("31.12.2022", date(2022, 12, 31), None, False),
        ("2022-06-30", date(2022, 6, 30), None, False),
        ("June 2022", date(2022, 6, 30), None, False),
    ],
)
def test_read_heading(heading: str, end: date | None, months: int | None, restated: bool) -> None:
    """Dates split any way, lengths in months or weeks, ranges of months, and restatements are read."""
    info = read_heading(heading)
    assert info.end == end
    assert info.months == months
    assert info.restated is restated


def test_fiscal_year_names_give_the_year() -> None:
    """"Fiscal 2023" and "FY22" name a year but not its end date."""
    assert read_heading("Fiscal 2023").year == 2023
    assert read_heading("FY22").year == 2022
    assert read_heading("Fiscal 2023").end is None


def test_title_date_completes_bare_years() -> None:
    """Columns headed "2022" and "2021" take the day and month from "for the year ended 30 June 2022"."""
    columns = [read_heading("2022"), read_heading("2021")]
    context = read_heading("for the year ended 30 June 2022")
    periods = resolve(columns, context, flow=True)
    assert [p.end for p in periods] == [date(2022, 6, 30), date(2021, 6, 30)]
    assert [p.key for p in periods] == ["2022-06-30", "2021-06-30"]
    assert all(p.months == 12 for p in periods)


def test_balance_dates_have_no_length() -> None:
    """A balance sheet's columns are points in time, whatever the headings say."""
    periods = resolve([read_heading("Year ended December 31, 2023")], PeriodInfo(), flow=False)
    assert periods[0].months is None


def test_same_end_different_lengths_get_distinct_keys() -> None:
    """A 10-Q's three- and six-month columns ending on one day get keys that say their length."""
    headings = ["Three Months Ended July 29, 2023", "Six Months Ended July 29, 2023"]
    periods = resolve([read_heading(h) for h in headings], PeriodInfo(), flow=True)
    assert [p.key for p in periods] == ["2023-07-29/3m", "2023-07-29/6m"]


def test_ascending_order_is_kept() -> None:
    """Columns printed oldest first stay in printed order with their own dates."""
    periods = resolve([read_heading("2021"), read_heading("2022")], read_heading("as at 31 December"), flow=False)
    assert [p.key for p in periods] == ["2021-12-31", "2022-12-31"]


def test_columns_with_no_date_still_get_unique_keys() -> None:
    """Headings with no date ("Actual", "Budget") keep their text as keys, made unique."""
    periods = resolve([read_heading("Actual"), read_heading("Actual")], PeriodInfo(), flow=True)
    assert len({p.key for p in periods}) == 2


@pytest.mark.parametrize(
    ("heading", "start", "end", "months"),
    [
        ("1 January to 31 December 2022", date(2022, 1, 1), date(2022, 12, 31), 12),
        ("01.01.2022 - 31.12.2022", date(2022, 1, 1), date(2022, 12, 31), 12),
        ("For the period from 1 July 2021 to 30 June 2022", date(2021, 7, 1), date(2022, 6, 30), 12),
        ("1 July to 30 June 2022", date(2021, 7, 1), date(2022, 6, 30), 12),
        ("January 1, 2022 through June 30, 2022", date(2022, 1, 1), date(2022, 6, 30), 6),
        ("Jan 1 - Mar 31, 2024", date(2024, 1, 1), date(2024, 3, 31), 3),
    ],
)
def test_a_range_gives_start_and_end(heading: str, start: date, end: date, months: int) -> None:
    """The first date of a range is its start, never its end; the length follows from the two."""
    info = read_heading(heading)
    assert (info.start, info.end, info.months) == (start, end, months)


@pytest.mark.parametrize(
    ("heading", "end"),
    [("31.12.22", date(2022, 12, 31)), ("30/06/22", date(2022, 6, 30)), ("December 31, 20221", date(2022, 12, 31)),
     ("31 December 20211", date(2021, 12, 31))],
)
def test_short_years_and_footnote_marks(heading: str, end: date) -> None:
    """dd.mm.yy is this century's; a footnote digit printed against a year ("20211") is not part of it."""
    assert read_heading(heading).end == end


def test_a_footnoted_bare_year_is_the_year() -> None:
    assert read_heading("20211").year == 2021
    assert read_heading("20210").year is None  # no footnote is numbered 0: an amount, not a year


def test_a_title_listing_one_date_per_year_dates_each_column() -> None:
    """"for the years ended December 31, 2022, December 25, 2021 and December 26, 2020" over bare years."""
    context = read_heading("For the fiscal years ended December 31, 2022, December 25, 2021 and December 26, 2020")
    periods = resolve([read_heading(y) for y in ("2022", "2021", "2020")], context, flow=True)
    assert [p.key for p in periods] == ["2022-12-31", "2021-12-25", "2020-12-26"]


def test_a_title_with_several_days_and_none_for_the_year_leaves_it_undated() -> None:
    context = read_heading("As of June 30, 2023 and December 31, 2022")
    periods = resolve([read_heading("2021")], context, flow=False)
    assert periods[0].end is None


def test_siblings_date_a_bare_year_only_when_they_agree() -> None:
    """"December 31, 2022 | 2021" dates 2021 on December 31; "June 30, 2023 | December 31, 2022 | 2021" does not."""
    agree = resolve([read_heading("December 31, 2022"), read_heading("2021")], PeriodInfo(), flow=False)
    assert agree[1].end == date(2021, 12, 31)
    differ = resolve([read_heading(h) for h in ("June 30, 2023", "December 31, 2022", "2021")], PeriodInfo(),
                     flow=False)
    assert differ[2].end is None


def test_a_range_on_a_balance_sheet_is_an_instant() -> None:
    periods = resolve([read_heading("1 January to 31 December 2022")], PeriodInfo(), flow=False)
    assert (periods[0].start, periods[0].end, periods[0].months) == (None, date(2022, 12, 31), None)


@pytest.mark.parametrize(
    ("headings", "keys", "dated"),
    [
        (["Revenue 2022", "Capital 2022", "Total 2022"], ["revenue 2022-03-31", "capital 2022-03-31", "2022-03-31"], 1),
        (["Underlying 2022", "Statutory 2022"], ["underlying 2022-03-31", "2022-03-31"], 1),
        (["2022 Group", "2022 Company"], ["2022-03-31", "company 2022-03-31"], 1),
        # a currency in each column's heading, by sign or by code, names no part
        (["Group 2022 A$", "Company 2022 A$"], ["2022-03-31", "company 2022-03-31"], 1),
        (["Group 2022 HK$'000", "Company 2022 HK$'000"], ["2022-03-31", "company 2022-03-31"], 1),
        (["Group 2022 AUD", "Company 2022 AUD"], ["2022-03-31", "company 2022-03-31"], 1),
        (["Revenue 2022 £", "Capital 2022 £", "Total 2022 £"],
         ["revenue 2022-03-31", "capital 2022-03-31", "2022-03-31"], 1),
        (["2022", "2022 Restated"], ["2022-03-31/12m", "2022-03-31/12m/restated"], 2),
        (["Actual 2022", "Budget 2022"], ["2022-03-31/12m", "2022-03-31/12m#2"], 2),
        (["Group 2022", "2022"], ["2022-03-31/12m", "2022-03-31/12m#2"], 2),
    ],
)
def test_parts_of_a_period_are_not_periods(headings: list[str], keys: list[str], dated: int) -> None:
    """Columns under one date that show its parts lose the date to the column that is the whole; with no single
    whole (actual and budget, a restatement) they stay periods with distinct keys."""
    context = read_heading("for the year ended 31 March 2022")
    periods = resolve([read_heading(h) for h in headings], context, flow=True)
    assert [p.key for p in periods] == keys
    assert sum(p.end is not None for p in periods) == dated


@pytest.mark.parametrize(("text", "end"), [
    ("Three Months Ended une 30, 2023", date(2023, 6, 30)),  # OCR lost the J of June
    ("uly 1, 2023", date(2023, 7, 1)),
    ("December 34 2022", None),  # a day no month has: a misread day dates nothing, not the month's end
    ("34 December 2022", None),
    ("Unemployment 2022", None),  # "une" only as a word of its own
])
def test_ocr_readings_of_a_heading(text: str, end: date | None) -> None:
    assert read_heading(text).end == end


@pytest.mark.parametrize(("labels", "ends"), [
    # a column whose day lost its month ("July 1" read as "1") takes no neighbour's day
    (["Three Months Ended 1 2023", "Three Months Ended June 25 2022"], [None, date(2022, 6, 25)]),
    (["? 2023", "June 25 2022"], [None, date(2022, 6, 25)]),
    (["13 Weeks Ended 2023", "13 Weeks Ended June 25 2022"], [date(2023, 6, 25), date(2022, 6, 25)]),  # a length
])
def test_an_unreadable_heading_takes_no_other_columns_date(labels: list[str], ends: list[date | None]) -> None:
    periods = resolve([read_heading(t) for t in labels], PeriodInfo(), flow=True)
    assert [p.end for p in periods] == ends


QUARTER_ENDS = {date(2023, 7, 1), date(2022, 9, 24), date(2022, 6, 25)}
YEAR_ENDS = {date(2022, 12, 31), date(2021, 12, 31), date(2020, 12, 31)}


@pytest.mark.parametrize(("label", "ends", "end"), [
    # a year and a day read beside a month OCR lost ("July 1, 2023" read as "8 1 2023", "1 2023")
    ("Three Months Ended 1 8 2023", QUARTER_ENDS, date(2023, 7, 1)),
    ("Nine Months Ended 1 2023", QUARTER_ENDS, date(2023, 7, 1)),
    # a day no month has ("December 34"): the year and the month still name one end
    ("December 34 2022", YEAR_ENDS, date(2022, 12, 31)),
    ("For the Year Ended December 34 2021", YEAR_ENDS, date(2021, 12, 31)),
    ("13 Weeks Ended 25 2022", QUARTER_ENDS, date(2022, 6, 25)),  # "13" is the length, "25" the day
    # undated: a bare year (dated elsewhere, with its own care), no year, a day that names no end of that year,
    # a month and year that name several, two years, an end in January
    ("2022", YEAR_ENDS, None),
    ("Year Ended December 31 20D", YEAR_ENDS, None),
    ("Three Months Ended 8 2023", QUARTER_ENDS, None),
    ("June 2022", {date(2022, 6, 25), date(2022, 6, 30)}, None),
    ("December 2022 2021", YEAR_ENDS, None),
    ("January 2023", {date(2023, 1, 28)}, None),
])
def test_an_undated_heading_takes_the_one_document_end_it_agrees_with(label: str, ends: set[date],
                                                                       end: date | None) -> None:
    """What OCR left of a column's date (a year and a month, or a year and a day) names the filing's one period
    end that agrees with it, or none: never a guess between several."""
    assert end_among(label, ends) == end
