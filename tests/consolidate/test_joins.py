"""Lines joined across filings on figure evidence (renamed lines, labels whose figures change every year, chains of
three filings, headings) and the guards against false joins; the source lines behind each row."""

from __future__ import annotations

from datetime import date

import pytest

from finsheet.consolidate.alignment import consolidate
from finsheet.consolidate.mapping import Merge, Overrides, normalise
from finsheet.consolidate.model import ConsolidatedStatement, Consolidation
from finsheet.model import Document, LineItem, Period, Statement, StatementType

IS, BS, CF = StatementType.INCOME, StatementType.BALANCE, StatementType.CASH_FLOW
END = {y: date(y, 12, 31) for y in range(2016, 2023)}


def statement(kind: StatementType, years: list[int], rows: list[tuple], *, scale: int = 1_000) -> Statement:
    """rows: (label, values newest first, section[, is_total]); a value list of Nones is a heading."""
    months = None if kind == BS else 12
    periods = [Period(key=END[y].isoformat(), label=str(y), end=END[y], months=months) for y in years]
    items = []
    for n, (label, values, section, *total) in enumerate(rows):
        vals = {p.key: v for p, v in zip(periods, values, strict=True)}
        items.append(LineItem(label=label, section=section, is_total=bool(total and total[0]), page=5 + n,
                              box=(0.0, 0.0, 1.0, 1.0), values=vals,
                              raw={k: f"{v:,.0f}" for k, v in vals.items() if v is not None}))
    return Statement(type=kind, title=kind.display_name, pages=[5], confidence=1.0, scale=scale, currency="USD",
                     periods=periods, items=items)


def filing(year: int, *statements: Statement) -> Document:
    return Document(file=f"acme-{year}.pdf", sha256=str(year), pages=90, company="ACME", statements=list(statements))


def labels(st: ConsolidatedStatement) -> list[str]:
    return [a.label for a in st.accounts]


def row(st: ConsolidatedStatement, label: str) -> list[float | None]:
    i = labels(st).index(label)
    return [st.frame[p.key][i] for p in st.periods]


REV, EXP = ["Revenue"], ["Costs and expenses"]


def income(year: int, cost_label: str, costs: list[float]) -> Statement:
    years = [year, year - 1, year - 2]
    revenue = [10_000.0 + 1_000 * (y - 2016) for y in years]
    return statement(IS, years, [("Revenue", revenue, REV, True), (cost_label, costs, EXP)])


COSTS = {2016: 6_010.0, 2017: 6_420.0, 2018: 6_935.0, 2019: 7_318.0, 2020: 7_844.0, 2021: 8_309.0}


def costs(year: int) -> list[float]:
    return [COSTS[y] for y in (year, year - 1, year - 2)]


def test_renamed_line_joined_on_its_figures() -> None:
    """'Cost of goods sold' (2019 filing) and 'Cost of sales' (2020) print the same figures: one row, newest label."""
    result = consolidate([filing(2019, income(2019, "Cost of goods sold", costs(2019))),
                          filing(2020, income(2020, "Cost of sales", costs(2020)))])
    st = result.statements[IS]
    assert "Cost of goods sold" not in labels(st)
    assert row(st, "Cost of sales") == [COSTS[y] for y in range(2017, 2021)]
    [joined] = [s for s in result.suggestions if s.applied]
    assert joined.agree == ["2018-12-31/12m", "2019-12-31/12m"] and joined.score < 80  # labels alone would not do


def test_chain_across_three_filings_is_one_row() -> None:
    """Three names over three filings (each pair agreeing on the years they share) make one row of six years,
    though the first and last filing also share a year (a triangle, not only a chain)."""
    docs = [filing(2018, income(2018, "Cost of goods sold", costs(2018))),
            filing(2019, income(2019, "Cost of sales", costs(2019))),
            filing(2020, income(2020, "Cost of revenue", costs(2020)))]
    st = consolidate(docs).statements[IS]
    assert labels(st) == ["Revenue", "Cost of revenue"]
    assert row(st, "Cost of revenue") == [COSTS[y] for y in range(2016, 2021)]
    lines = st.lines[st.accounts[1].id]
    assert [(s.document, s.label) for s in lines] == [("acme-2018.pdf", "Cost of goods sold"),
                                                      ("acme-2019.pdf", "Cost of sales"),
                                                      ("acme-2020.pdf", "Cost of revenue")]
    assert lines[0].periods == ("2016-12-31",) and lines[2].periods == ("2018-12-31", "2019-12-31", "2020-12-31")


def test_figures_that_change_every_year_are_left_out_of_the_label() -> None:
    """A capex line whose label carries 'net of $X' and a common stock line with share counts keep one id."""
    def cash_flow(year: int, proceeds: int, capex: list[float]) -> Statement:
        return statement(CF, [year, year - 1], [
            (f"Additions to property and equipment (net of ${proceeds} and ${proceeds - 3} of proceeds)", capex,
             ["Investing activities"]),
        ])

    def balance(year: int, shares: str, stock: list[float]) -> Statement:
        return statement(BS, [year, year - 1], [
            (f"Common stock $0.01 par value; {shares} shares issued and outstanding", stock, ["Equity"])])

    result = consolidate([filing(2020, cash_flow(2020, 12, [-900.0, -800.0]), balance(2020, "441,255,000", [4, 4])),
                          filing(2021, cash_flow(2021, 15, [-950.0, -900.0]), balance(2021, "441,825,000", [4, 4]))])
    assert len(result.statements[CF].accounts) == 1 and len(result.statements[BS].accounts) == 1
    assert row(result.statements[CF], result.statements[CF].accounts[0].label) == [-800.0, -900.0, -950.0]
    assert result.restatements == [] and result.suggestions == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Receivables, net of allowance of $5 and $4", "receivables"),
     ("Preferred stock (100,000 shares authorized; none issued)", "preferred stock"),
     ("Other assets (Note 5)", "other assets"),
     ("5.25% Senior notes due 2027", "5 25% senior notes due 2027")],
)
def test_varying_parts_of_labels(text: str, expected: str) -> None:
    """Parentheticals with figures or note references and 'net of $X' clauses go; years of a maturity stay."""
    assert normalise(text) == expected


def test_heading_is_not_an_account() -> None:
    """'OTHER ASSETS' with figures (2019) joins 'Other long-term assets' (2020); the 2020 'OTHER ASSETS' heading
    above it stays a heading row of its own (the Costco case)."""
    old = statement(BS, [2019, 2018], [("OTHER ASSETS", [1_025.0, 860.0], ["Assets"]),
                                       ("Total assets", [5_025.0, 4_860.0], ["Assets"], True)])
    new = statement(BS, [2020, 2019], [("OTHER ASSETS", [None, None], ["Assets"]),
                                       ("Other long-term assets", [2_841.0, 1_025.0], ["Assets", "Other assets"]),
                                       ("Total assets", [6_841.0, 5_025.0], ["Assets"], True)])
    st = consolidate([filing(2019, old), filing(2020, new)]).statements[BS]
    assert labels(st) == ["OTHER ASSETS", "Other long-term assets", "Total assets"]
    assert row(st, "OTHER ASSETS") == [None, None, None]
    assert row(st, "Other long-term assets") == [860.0, 1_025.0, 2_841.0]


@pytest.mark.parametrize(
    ("old_rows", "new_rows", "why"),
    [
        ([("Deferred charges", [0.0, 0.0], EXP)], [("Prepaid items", [5.0, 0.0], EXP)], "a figure of 0"),
        ([("Deferred charges", [7.0, 6.0], EXP)], [("Prepaid items", [9.0, 7.0], EXP)], "one tiny figure"),
        ([("Deferred charges", [700.0, 600.0], EXP)],
         [("Prepaid items", [900.0, 700.0], EXP), ("Tooling", [50.0, 700.0], EXP)],
         "the figure under two lines of the newer filing"),
        ([("Deferred charges", [700.0, 600.0], EXP), ("Tooling", [700.0, 20.0], EXP)],
         [("Prepaid items", [900.0, 700.0], EXP)], "the figure under two lines of the older filing"),
        ([("Deferred charges", [700.0, 600.0], EXP)], [("Prepaid items", [900.0, 700.0], ["Revenue"])],
         "another part of the statement"),
    ],
)
def test_no_join_without_evidence(old_rows: list[tuple], new_rows: list[tuple], why: str) -> None:
    """Unrelated labels are not joined on {why}."""
    old = statement(IS, [2020, 2019], old_rows)
    new = statement(IS, [2021, 2020], new_rows)
    result = consolidate([filing(2020, old), filing(2021, new)])
    assert not [s for s in result.suggestions if s.applied], why
    assert {"Deferred charges", "Prepaid items"} <= set(labels(result.statements[IS]))


def test_two_lines_of_one_filing_are_never_joined() -> None:
    """Two lines of one filing agreeing with one line of the next stay three rows; the same figures spread over
    three filings (one line each) are one row."""
    both = statement(IS, [2020, 2019], [("Deferred charges", [700.0, 600.0], EXP),
                                        ("Prepaid items", [700.0, 600.0], EXP)])
    new = statement(IS, [2021, 2020], [("Prepaid costs", [900.0, 700.0], EXP)])
    result = consolidate([filing(2020, both), filing(2021, new)])
    assert not [s for s in result.suggestions if s.applied]
    assert {"Deferred charges", "Prepaid items", "Prepaid costs"} <= set(labels(result.statements[IS]))
    old = statement(IS, [2019, 2018], [("Deferred charges", [600.0, 500.0], EXP)])
    mid = statement(IS, [2020, 2019], [("Prepaid items", [700.0, 600.0], EXP)])
    chained = consolidate([filing(2019, old), filing(2020, mid), filing(2021, new)]).statements[IS]
    assert labels(chained) == ["Prepaid costs"] and row(chained, "Prepaid costs") == [500.0, 600.0, 700.0, 900.0]


def test_rejected_evidence_join_stays_apart() -> None:
    """The analyst's rejection of a figure-evidence join holds."""
    docs = [filing(2019, income(2019, "Cost of goods sold", costs(2019))),
            filing(2020, income(2020, "Cost of sales", costs(2020)))]
    s = next(s for s in consolidate(docs).suggestions if s.applied)
    again = consolidate(docs, overrides=Overrides(rejected=[Merge(source=s.source, target=s.target)]))
    assert {"Cost of goods sold", "Cost of sales"} <= set(labels(again.statements[IS]))


def test_every_row_lists_its_source_lines() -> None:
    """Each consolidated row names the printed lines (document, page, label) that feed it."""
    result: Consolidation = consolidate([filing(2019, income(2019, "Cost of goods sold", costs(2019))),
                                         filing(2020, income(2020, "Cost of sales", costs(2020)))])
    st = result.statements[IS]
    for account in st.accounts:
        assert st.lines[account.id], account.label
        assert {s.document for s in st.lines[account.id]} == {"acme-2019.pdf", "acme-2020.pdf"}
    cost = st.lines[st.accounts[1].id]
    assert [(s.document, s.page, s.label) for s in cost] == [("acme-2019.pdf", 6, "Cost of goods sold"),
                                                             ("acme-2020.pdf", 6, "Cost of sales")]


def test_label_match_does_not_undo_a_figure_join() -> None:
    """An old line joined on its figures to one new line is not also joined by label to another new line."""
    old = statement(IS, [2020, 2019], [("Other expenses", [700.0, 600.0], EXP)])
    new = statement(IS, [2021, 2020], [("Sundry costs", [900.0, 700.0], EXP), ("Other expense", [5.0, None], EXP)])
    result = consolidate([filing(2020, old), filing(2021, new)])
    applied = [(s.source_label, s.target_label) for s in result.suggestions if s.applied]
    assert applied == [("Other expenses", "Sundry costs")]
    assert row(result.statements[IS], "Sundry costs") == [600.0, 700.0, 900.0]
    assert row(result.statements[IS], "Other expense") == [None, None, 5.0]
