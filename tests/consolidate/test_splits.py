"""Stock splits found from restated per-share and share figures: earlier years shown split-adjusted, money and
printed text untouched, a note; restatements that are not splits left alone."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from finsheet.consolidate.alignment import consolidate
from finsheet.consolidate.analysis import CAGR_COLUMN, analyse
from finsheet.model import Document, LineItem, Period, Statement, StatementType, Unit

IS = StatementType.INCOME
END = {y: date(y, 12, 31) for y in range(2015, 2023)}
EPS = {2017: 6.08, 2018: 7.09, 2019: 8.26, 2020: 9.02, 2021: 11.27}  # pre-split basis
SHARES = {2017: 440_937.0, 2018: 441_834.0, 2019: 442_923.0, 2020: 443_901.0, 2021: 444_346.0}  # thousands
INCOME = {2017: 2_679.0, 2018: 3_134.0, 2019: 3_659.0, 2020: 4_002.0, 2021: 5_007.0}


def income(year: int, ratio: Fraction = Fraction(1), *, eps: dict[int, float] = EPS) -> Statement:
    """A filing's income statement: net income, diluted EPS and diluted shares for three years, on a basis of
    `ratio` new shares per share (EPS rounded to the cent as a filing prints it)."""
    years = [year, year - 1, year - 2]
    periods = [Period(key=END[y].isoformat(), label=str(y), end=END[y], months=12) for y in years]

    def item(label: str, values: list[float], unit: Unit | None, n: int) -> LineItem:
        vals = {p.key: v for p, v in zip(periods, values, strict=True)}
        return LineItem(label=label, section=["Per share"] if unit else [], page=40, box=(0.0, n, 1.0, n + 1.0),
                        values=vals, unit=unit, raw={k: f"{v:,}" for k, v in vals.items()})

    return Statement(type=IS, title="Income", pages=[40], confidence=1.0, scale=1_000_000, currency="USD",
                     periods=periods, items=[
                         item("Net income", [INCOME[y] for y in years], None, 0),
                         item("Diluted", [round(eps[y] / float(ratio), 2) for y in years], "per_share", 1),
                         item("Diluted shares", [round(SHARES[y] * float(ratio)) for y in years], "shares", 2),
                     ])


def filing(year: int, statement: Statement) -> Document:
    return Document(file=f"acme-{year}.pdf", sha256=str(year), pages=90, company="ACME", statements=[statement])


def values(result: object, label: str) -> list[float | None]:
    from finsheet.consolidate.model import Consolidation

    assert isinstance(result, Consolidation)
    st = result.statements[IS]
    i = [a.label for a in st.accounts].index(label)
    return [st.frame[p.key][i] for p in st.periods]


def test_four_for_one_split_adjusts_earlier_years() -> None:
    """A 4-for-1 split reprinted in the 2021 filing: 2017 and 2018 (only in older filings) are shown ÷ 4 for EPS
    and × 4 for shares; net income is untouched; the printed figures stay in Sources; a note says so."""
    four = Fraction(4)
    docs = [filing(2019, income(2019)), filing(2020, income(2020)), filing(2021, income(2021, four))]
    result = consolidate(docs)
    [split] = result.splits
    assert (split.name, split.older, split.newer) == ("4-for-1", "acme-2020.pdf", "acme-2021.pdf")
    assert split.adjusted == ["acme-2019.pdf", "acme-2020.pdf"]
    assert "4-for-1 stock split" in split.note and "divided by 4" in split.note
    eps = values(result, "Diluted")
    assert eps == pytest.approx([6.08 / 4, 7.09 / 4, *(round(EPS[y] / 4, 2) for y in (2019, 2020, 2021))])
    assert values(result, "Diluted shares") == [SHARES[2017] * 4, SHARES[2018] * 4, *(
        round(SHARES[y] * 4) for y in (2019, 2020, 2021))]
    assert values(result, "Net income") == [INCOME[y] for y in range(2017, 2022)]
    # No restatement for a figure that only moved by the split.
    assert result.restatements == []
    st = result.statements[IS]
    i = [a.label for a in st.accounts].index("Diluted")
    assert [s.raw for s in st.sources[(st.accounts[i].id, "2017-12-31")]] == ["6.08"]
    # EPS growth over the span is the real one, not the −17 % a mixed basis would show.
    cagr = analyse(st)[CAGR_COLUMN][i]
    assert cagr == pytest.approx((2.82 / (6.08 / 4)) ** 0.25 - 1) and cagr > 0.15


def test_split_between_older_filings_chains_to_the_newest_basis() -> None:
    """A 2-for-1 between the 2019 and 2020 filings and a 3-for-1 between 2020 and 2021: 2017 is shown ÷ 6."""
    docs = [filing(2019, income(2019)), filing(2020, income(2020, Fraction(2))),
            filing(2021, income(2021, Fraction(6)))]
    result = consolidate(docs)
    assert [s.name for s in result.splits] == ["2-for-1", "3-for-1"]  # oldest first
    assert values(result, "Diluted")[0] == pytest.approx(6.08 / 6)
    assert values(result, "Diluted shares")[0] == SHARES[2017] * 6


def test_reverse_split() -> None:
    """A 1-for-10 reverse split multiplies the earlier EPS by 10 and divides share counts by 10."""
    docs = [filing(2020, income(2020)), filing(2021, income(2021, Fraction(1, 10)))]
    result = consolidate(docs)
    assert [s.name for s in result.splits] == ["1-for-10"]
    assert values(result, "Diluted")[0] == pytest.approx(EPS[2018] * 10)
    assert values(result, "Diluted shares")[0] == pytest.approx(SHARES[2018] / 10)


@pytest.mark.parametrize(
    "restated",
    [
        {**EPS, 2019: 8.10, 2020: 8.90},  # a restatement, not a split: ratios 1.02 and 1.01
        {**EPS, 2019: 8.26 / 4, 2020: 9.02 / 3},  # no uniform ratio
    ],
)
def test_restatements_that_are_not_splits(restated: dict[int, float]) -> None:
    """EPS reprinted by a ratio that is not uniform, or not a split ratio, is a restatement: nothing adjusted."""
    docs = [filing(2020, income(2020)), filing(2021, income(2021, eps=restated))]
    result = consolidate(docs)
    assert result.splits == []
    assert values(result, "Diluted")[0] == EPS[2018]
    assert any(r.label == "Diluted" for r in result.restatements)


def test_split_found_when_the_per_share_heading_changes() -> None:
    """The EPS lines moved under another heading in the newer filing: the split is still found by their names."""
    new = income(2021, Fraction(4))
    for item in new.items:
        if item.unit:
            item.section = ["Earnings per share"]
    result = consolidate([filing(2020, income(2020)), filing(2021, new)])
    assert [s.name for s in result.splits] == ["4-for-1"]


def test_eps_alone_by_an_odd_ratio_is_not_a_split() -> None:
    """EPS reprinted at 4/5 with no share counts to confirm it is left as a restatement."""
    def eps_only(year: int, factor: float) -> Statement:
        st = income(year)
        st.items = [i if i.unit != "per_share" else i.model_copy(update={"values": {k: round(v * factor, 2)
                    for k, v in i.values.items() if v is not None}}) for i in st.items if i.unit != "shares"]
        return st

    result = consolidate([filing(2020, eps_only(2020, 1.0)), filing(2021, eps_only(2021, 0.8))])
    assert result.splits == []
