"""Charts: trend lines, variance bars, the bridge waterfall and common-size composition, on categorical axes."""

from __future__ import annotations

from datetime import date

import pytest

from finsheet.consolidate.alignment import Consolidation, consolidate
from finsheet.errors import ExportError
from finsheet.export.charts import bridge, composition, trend, variance
from finsheet.model import Document, LineItem, Period, Statement, StatementType

IS, BS = StatementType.INCOME, StatementType.BALANCE
YEARS = {2019: date(2019, 12, 31), 2020: date(2020, 12, 31), 2021: date(2021, 12, 31)}
ROWS = [  # label, section, is_total, 2019, 2020, 2021
    ("REVENUE", ["Revenue"], False, None, None, None),
    ("Product sales", ["Revenue"], False, 80.0, 90.0, 120.0),
    ("Service fees", ["Revenue"], False, 20.0, 30.0, 30.0),
    ("Total revenue", ["Revenue"], True, 100.0, 120.0, 150.0),
    ("Cost of sales", ["Costs"], False, 60.0, 70.0, 80.0),
    ("Marketing", ["Costs"], False, 10.0, 20.0, 15.0),
    ("Operating income", ["Costs"], True, 30.0, 30.0, 55.0),
]


@pytest.fixture(scope="module")
def consolidation() -> Consolidation:
    periods = [Period(key=d.isoformat(), label=f"FY{y}", end=d, months=12) for y, d in YEARS.items()]
    items = [LineItem(label=label, section=section, is_total=total, page=5, box=(0, 0, 1, 1),
                      values={p.key: v for p, v in zip(periods, values, strict=True)})
             for label, section, total, *values in ROWS]
    st = Statement(type=IS, title="IS", pages=[5], confidence=1, scale=1000, currency="EUR", periods=periods,
                   items=items)
    return consolidate([Document(file="x.pdf", sha256="x", pages=9, statements=[st])])


def test_trend_lines(consolidation: Consolidation) -> None:
    """One line per chosen account (by label or id), over categorical period labels."""
    account_id = consolidation.statements[IS].accounts[6].id
    fig = trend(consolidation, IS, ["total revenue", account_id])
    assert [t.name for t in fig.data] == ["Total revenue", "Operating income"]
    assert list(fig.data[0].x) == ["2019-12-31", "2020-12-31", "2021-12-31"]
    assert list(fig.data[1].y) == [30.0, 30.0, 55.0]
    assert fig.layout.xaxis.type == "category"
    assert fig.layout.yaxis.title.text == "EUR thousands"


def test_variance_bars_largest_first(consolidation: Consolidation) -> None:
    """Changes between two periods, largest at the top, coloured by direction; unchanged lines left out."""
    fig = variance(consolidation, IS, "2020-12-31", "2021-12-31")
    bars = fig.data[0]
    assert list(bars.y) == ["Marketing", "Cost of sales", "Product sales"]
    assert list(bars.x) == [-5.0, 10.0, 30.0]
    assert bars.marker.color[0] != bars.marker.color[2]


def test_bridge_through_the_lines_of_a_total(consolidation: Consolidation) -> None:
    """Operating income 2020 → 2021 steps through revenue up, costs up (down), marketing down (up)."""
    fig = bridge(consolidation, IS, "2020-12-31", "2021-12-31", total="Operating income")
    w = fig.data[0]
    assert list(w.x) == ["Operating income 2020-12-31", "Total revenue", "Cost of sales", "Marketing",
                         "Operating income 2021-12-31"]
    assert list(w.y) == [30.0, 30.0, -10.0, 5.0, 55.0]
    assert list(w.measure) == ["absolute", "relative", "relative", "relative", "total"]
    assert fig.layout.xaxis.type == "category"


def test_composition_shares_of_revenue(consolidation: Consolidation) -> None:
    """Revenue lines (not the heading) as stacked shares of total revenue, adding up to 100 % each year."""
    fig = composition(consolidation, IS)
    assert [t.name for t in fig.data] == ["Product sales", "Service fees"]
    for i in range(3):
        assert sum(t.y[i] for t in fig.data) == pytest.approx(1.0)
    assert fig.data[0].y[0] == pytest.approx(0.8)
    assert fig.layout.barmode == "relative" and fig.layout.yaxis.tickformat == ".0%"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: trend(c, IS, ["Goodwill"]), "no account 'Goodwill'"),
        (lambda c: variance(c, IS, "2018-12-31", "2021-12-31"), "no period '2018-12-31'"),
        (lambda c: trend(c, BS, ["Total assets"]), "no balance sheet"),
        (lambda c: bridge(c, IS, "2019-12-31", "2021-12-31", total="Nope"), "no account 'Nope'"),
    ],
)
def test_bad_requests_raise_export_error(consolidation: Consolidation, call: object, message: str) -> None:
    """Unknown accounts, periods or statements give a clear ExportError."""
    with pytest.raises(ExportError, match=message):
        call(consolidation)  # type: ignore[operator]
