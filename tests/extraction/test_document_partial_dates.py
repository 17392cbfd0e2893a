"""A column heading that keeps its year and its month or a day, where OCR lost the rest ("December 34 2022",
"Three Months Ended 1 8 2023"), is dated from the one period end the filing's other statements print that agrees
with it (`pipeline._date_partial_headings`); with none or several agreeing, or a bare year, it stays undated."""

from __future__ import annotations

from datetime import date

from finsheet.extraction.pipeline import _date_partial_headings
from finsheet.model import LineItem, Period, Statement, StatementType

T = StatementType


def _period(label: str, end: date | None, months: int | None, key: str | None = None) -> Period:
    return Period(key=key or (end.isoformat() if end else label), label=label, end=end, months=months)


def _statement(kind: T, periods: list[Period]) -> Statement:
    item = LineItem(label="Net income", page=1, box=(0.0, 0.0, 1.0, 1.0),
                    values={p.key: float(k + 1) for k, p in enumerate(periods)},
                    raw={p.key: str(k + 1) for k, p in enumerate(periods)})
    return Statement(type=kind, title=kind.display_name, pages=[1], confidence=0.9, periods=periods, items=[item])


def _balance(*ends: date) -> Statement:
    return _statement(T.BALANCE, [_period(e.strftime("%B %d, %Y"), e, None) for e in ends])


def test_a_heading_with_a_day_no_month_has_takes_the_filings_end() -> None:
    income = _statement(T.INCOME, [_period("December 34 2022", None, 12), _period("2021", date(2021, 12, 31), 12)])
    _date_partial_headings([_balance(date(2022, 12, 31), date(2021, 12, 31)), income])
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
    _date_partial_headings([income, _balance(date(2023, 7, 1), date(2022, 9, 24)), cash_flow])
    assert [(p.key, p.end, p.months) for p in income.periods] == [
        ("2023-07-01/3m", date(2023, 7, 1), 3), ("2022-06-25/3m", date(2022, 6, 25), 3),
        ("Nine Months Ended 2023", None, 9)]
    assert set(income.items[0].values) == {"2023-07-01/3m", "2022-06-25/3m", "Nine Months Ended 2023"}


def test_a_heading_that_agrees_with_two_ends_stays_undated() -> None:
    """'31 2022' (its month lost) agrees with both ends the filing prints in 2022: no date is guessed."""
    income = _statement(T.INCOME, [_period("31 2022", None, 3)])
    _date_partial_headings([_balance(date(2022, 12, 31), date(2022, 3, 31)), income])
    assert income.periods[0].end is None and income.periods[0].key == "31 2022"


def test_a_column_already_standing_for_the_period_is_not_repeated() -> None:
    income = _statement(T.INCOME, [_period("December 31, 2022", date(2022, 12, 31), None),
                                   _period("December 34 2022", None, None)])
    _date_partial_headings([_balance(date(2022, 12, 31)), income])
    assert income.periods[1].end is None
