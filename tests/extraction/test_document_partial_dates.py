"""A column heading that keeps its year and its month or a day, where OCR lost the rest ("December 34 2022",
"Three Months Ended 1 8 2023"), is dated from the one period end the filing's other statements print that agrees
with it (`document_periods.date_partial_headings`); with none or several agreeing, or a bare year, it stays undated.
So is a heading that keeps its length and year ("Six months ended 2020", `document_periods.date_bare_years`), and a day
OCR read short by a digit ("3 June 2020", `document_periods.mend_lost_day_digits`)."""

from __future__ import annotations

from datetime import date

import pytest

from finsheet.extraction.document_periods import date_bare_years, date_partial_headings, mend_lost_day_digits
from finsheet.model import LineItem, Period, Statement, StatementType

T = StatementType


def _period(label: str, end: date | None, months: int | None, key: str | None = None) -> Period:
    return Period(key=key or (end.isoformat() if end else label), label=label, end=end, months=months)


def _statement(kind: T, periods: list[Period], page: int = 1) -> Statement:
    item = LineItem(label="Net income", page=page, box=(0.0, 0.0, 1.0, 1.0),
                    values={p.key: float(k + 1) for k, p in enumerate(periods)},
                    raw={p.key: str(k + 1) for k, p in enumerate(periods)})
    return Statement(type=kind, title=kind.display_name, pages=[page], confidence=0.9, periods=periods, items=[item])


def _balance(*ends: date) -> Statement:
    return _statement(T.BALANCE, [_period(e.strftime("%B %d, %Y"), e, None) for e in ends])


def test_a_heading_with_a_day_no_month_has_takes_the_filings_end() -> None:
    income = _statement(T.INCOME, [_period("December 34 2022", None, 12), _period("2021", date(2021, 12, 31), 12)])
    date_partial_headings([_balance(date(2022, 12, 31), date(2021, 12, 31)), income])
    assert [(p.key, p.end) for p in income.periods] == [("2022-12-31", date(2022, 12, 31)),
                                                        ("2021-12-31", date(2021, 12, 31))]
    assert income.items[0].values == {"2022-12-31": 1.0, "2021-12-31": 2.0}
    assert income.items[0].raw == {"2022-12-31": "1", "2021-12-31": "2"}


def test_a_quarter_whose_month_was_lost_takes_its_end_and_keeps_its_length() -> None:
    """'Three Months Ended 1 8 2023' is July 1, 2023 (the cash flow's nine months end then): the column is dated
    with its own length, and its key names the length while a column of another length stays undated."""
    income = _statement(T.INCOME, [
        _period("Three Months Ended 1 8 2023", None, 3),
        _period("June 25, 2022", date(2022, 6, 25), 3, "2022-06-25/3m"),
        _period("Nine Months Ended 2023", None, 9),  # a bare year: not enough to date it
    ])
    cash_flow = _statement(T.CASH_FLOW, [_period("July 1, 2023", date(2023, 7, 1), 9)])
    date_partial_headings([income, _balance(date(2023, 7, 1), date(2022, 9, 24)), cash_flow])
    assert [(p.key, p.end, p.months) for p in income.periods] == [
        ("2023-07-01/3m", date(2023, 7, 1), 3), ("2022-06-25/3m", date(2022, 6, 25), 3),
        ("Nine Months Ended 2023", None, 9)]
    assert set(income.items[0].values) == {"2023-07-01/3m", "2022-06-25/3m", "Nine Months Ended 2023"}


def test_a_heading_that_agrees_with_two_ends_stays_undated() -> None:
    """'31 2022' (its month lost) agrees with both ends the filing prints in 2022: no date is guessed."""
    income = _statement(T.INCOME, [_period("31 2022", None, 3)])
    date_partial_headings([_balance(date(2022, 12, 31), date(2022, 3, 31)), income])
    assert income.periods[0].end is None and income.periods[0].key == "31 2022"


def test_a_column_already_standing_for_the_period_is_not_repeated() -> None:
    income = _statement(T.INCOME, [_period("December 31, 2022", date(2022, 12, 31), None),
                                   _period("December 34 2022", None, None)])
    date_partial_headings([_balance(date(2022, 12, 31)), income])
    assert income.periods[1].end is None


def _half_year_income() -> Statement:
    """A 10-Q's income statement: three and six months to 30 June 2020 and 2019."""
    return _statement(T.INCOME, [
        _period("Three months ended June 30, 2020", date(2020, 6, 30), 3, "2020-06-30/3m"),
        _period("Three months ended June 30, 2019", date(2019, 6, 30), 3, "2019-06-30/3m"),
        _period("Six months ended June 30, 2020", date(2020, 6, 30), 6, "2020-06-30/6m"),
        _period("Six months ended June 30, 2019", date(2019, 6, 30), 6, "2019-06-30/6m")])


def test_a_length_and_a_year_take_the_end_of_the_other_statements_columns_of_that_length() -> None:
    """'Six months ended 2020' (OCR lost '30 June') ends where the income statement's six-month columns of 2020
    end; a length no other statement prints, in a year none of its own columns ends ('Nine months ended 2018'),
    stays undated."""
    cash_flow = _statement(T.CASH_FLOW, [_period("Six months ended 2020", None, 6),
                                         _period("Six months ended 2019", None, 6),
                                         _period("Nine months ended 2018", None, 9)], page=2)
    date_bare_years([_half_year_income(), cash_flow])
    assert [(p.key, p.end, p.months) for p in cash_flow.periods] == [
        ("2020-06-30/6m", date(2020, 6, 30), 6), ("2019-06-30/6m", date(2019, 6, 30), 6),
        ("Nine months ended 2018", None, 9)]
    assert cash_flow.items[0].values == {"2020-06-30/6m": 1.0, "2019-06-30/6m": 2.0, "Nine months ended 2018": 3.0}


@pytest.mark.parametrize("scrap", ["", " ae", " ,", "‘"])
def test_a_quarter_beside_its_year_to_date_ends_on_the_same_day(scrap: str) -> None:
    """A quarterly income statement whose headings OCR read without their day and month ('Three months ended
    2022', a scrap of the date left, or a speck before it): the cash flow dates the nine months (April 30), and the
    quarter printed beside them ends on the same day, as an interim statement's quarter and year to date do."""
    label = (lambda length, year: f"{scrap}{length} months ended {year}") if scrap == "‘" else (
        lambda length, year: f"{length} months ended{scrap} {year}")
    income = _statement(T.INCOME, [_period(label("Three", 2022), None, 3), _period(label("Three", 2021), None, 3),
                                   _period(label("Nine", 2022), None, 9), _period(label("Nine", 2021), None, 9)])
    cash_flow = _statement(T.CASH_FLOW, [_period("April 30, 2022", date(2022, 4, 30), 9),
                                         _period("April 30, 2021", date(2021, 4, 30), 9)], page=2)
    date_bare_years([income, _balance(date(2022, 4, 30), date(2021, 7, 31)), cash_flow])
    assert [p.key for p in income.periods] == ["2022-04-30/3m", "2021-04-30/3m", "2022-04-30/9m", "2021-04-30/9m"]
    assert set(income.items[0].values) == {"2022-04-30/3m", "2021-04-30/3m", "2022-04-30/9m", "2021-04-30/9m"}


def test_a_length_in_a_year_its_statement_ends_twice_stays_undated() -> None:
    """Its statement's columns end on two days that year: which one the quarter shares is not said."""
    income = _statement(T.INCOME, [_period("Three months ended 2022", None, 3),
                                   _period("Six months ended June 30, 2022", date(2022, 6, 30), 6),
                                   _period("Year ended December 31, 2022", date(2022, 12, 31), 12)])
    date_bare_years([income])
    assert income.periods[0].end is None


def test_a_length_and_a_year_with_two_such_ends_that_year_stay_undated() -> None:
    """Two six-month periods ending in 2020 (a half year to June, and one to December): which one is not said."""
    other = _statement(T.INCOME, [_period("Six months ended June 30, 2020", date(2020, 6, 30), 6),
                                  _period("Six months ended December 31, 2020", date(2020, 12, 31), 6)])
    cash_flow = _statement(T.CASH_FLOW, [_period("Six months ended 2020", None, 6)], page=2)
    date_bare_years([other, cash_flow])
    assert cash_flow.periods[0].end is None


@pytest.mark.parametrize(("read", "printed"), [(date(2020, 6, 3), date(2020, 6, 30)),
                                               (date(2022, 12, 3), date(2022, 12, 31)),
                                               (date(2022, 12, 1), date(2022, 12, 31))])
def test_a_scanned_day_short_of_a_digit_takes_the_filings_end(read: date, printed: date) -> None:
    """'3 June 2020' on a scanned cash flow, where the other statements end on 30 June 2020: OCR lost a digit."""
    income = _statement(T.INCOME, [_period(printed.isoformat(), printed, 6)])
    cash_flow = _statement(T.CASH_FLOW, [_period(read.isoformat(), read, 6)], page=2)
    mend_lost_day_digits([income, cash_flow], scanned={2})
    assert [(p.key, p.end) for p in cash_flow.periods] == [(printed.isoformat(), printed)]
    assert cash_flow.items[0].values == {printed.isoformat(): 1.0}


def test_a_day_short_of_a_digit_stays_on_a_text_page_or_where_the_length_differs() -> None:
    """A text layer prints what the filing says: its day stands. A scanned column of another length than the
    statements' columns ending that day is not the same period."""
    income = _statement(T.INCOME, [_period("2020-06-30", date(2020, 6, 30), 6)])
    text = _statement(T.CASH_FLOW, [_period("2020-06-03", date(2020, 6, 3), 6)], page=2)
    other_length = _statement(T.CASH_FLOW, [_period("2020-06-03", date(2020, 6, 3), 3)], page=3)
    mend_lost_day_digits([income, text, other_length], scanned={3})
    assert text.periods[0].end == date(2020, 6, 3)
    assert other_length.periods[0].end == date(2020, 6, 3)


def test_a_day_two_ends_could_have_lost_a_digit_from_stays() -> None:
    """'1 December 2022' may be 31 or 21 December when the filing prints both: nothing is guessed."""
    balance = _balance(date(2022, 12, 31), date(2022, 12, 21))
    scanned = _statement(T.BALANCE, [_period("2022-12-01", date(2022, 12, 1), None)], page=2)
    mend_lost_day_digits([balance, scanned], scanned={2})
    assert scanned.periods[0].end == date(2022, 12, 1)


@pytest.mark.parametrize(("short", "day"), [(3, 31), (1, 31), (3, 30)])
def test_a_day_short_on_two_scanned_statements_takes_the_end_its_year_earlier_column_prints(short: int,
                                                                                             day: int) -> None:
    """'3 March 2019' beside '31 March 2020' on the scanned income statement and balance sheet alike (one heading
    style, the same digit lost on both pages), where the cash flow prints 31 March 2019: the comparative column ends
    on the day of the year its neighbour does, and both statements take the filing's end."""
    read, printed, latest = date(2019, 3, short), date(2019, 3, day), date(2020, 3, day)
    income = _statement(T.INCOME, [_period("latest", latest, 12), _period("short", read, 12)], page=3)
    balance = _statement(T.BALANCE, [_period("latest", latest, None), _period("short", read, None)], page=4)
    cash_flow = _statement(T.CASH_FLOW, [_period("latest", latest, 12), _period("printed", printed, 12)], page=6)
    mend_lost_day_digits([income, balance, cash_flow], scanned={3, 4, 6})
    assert [p.end for p in income.periods] == [latest, printed]
    assert [p.end for p in balance.periods] == [latest, printed]


def test_a_day_another_statement_prints_stays_when_no_column_beside_it_ends_on_the_longer_day() -> None:
    """'3 March 2019' printed on two statements with no column of theirs ending on the 31st: the 3rd may be what
    the filing says (a short period's end), and is not changed."""
    read, printed = date(2019, 3, 3), date(2019, 3, 31)
    income = _statement(T.INCOME, [_period("short", read, 12)], page=3)
    balance = _statement(T.BALANCE, [_period("short", read, None)], page=4)
    cash_flow = _statement(T.CASH_FLOW, [_period("printed", printed, 12)], page=6)
    mend_lost_day_digits([income, balance, cash_flow], scanned={3, 4, 6})
    assert income.periods[0].end == read and balance.periods[0].end == read
