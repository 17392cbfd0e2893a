"""The standard spread, Ratios and Mapping sheets: the suggested mapping and the analyst's saved choices, fiscal-year
and LTM columns, formulas recalculated by LibreOffice, and a generated three-filing series with a 4-for-1 split and
renamed lines; Costco against the hand calculation in the README."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from finsheet.consolidate.alignment import consolidate
from finsheet.consolidate.mapping import ConsolidationSettings, Overrides
from finsheet.consolidate.model import Consolidation
from finsheet.consolidate.spread import build_spread, choose, spread_periods
from finsheet.export.workbook import WorkbookFormulas, write_workbook
from finsheet.model import Document, LineItem, Period, Statement, StatementType

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"
IS, BS, CF = StatementType.INCOME, StatementType.BALANCE, StatementType.CASH_FLOW
Recalculate = Callable[[Path, Path], Path]
"""The `recalculate` fixture (conftest.py): LibreOffice's recalculated copy of a workbook."""
ERRORS = ("#REF!", "#DIV/0!", "#VALUE!", "#NAME?", "#N/A", "#NUM!", "#NULL!", "Err:")


# --------------------------------------------------------------------------- helpers


def assert_recalculates(recalculated: Path, formulas: WorkbookFormulas, sheets: set[str]) -> None:
    """Every formula of `sheets`, recalculated by LibreOffice into `recalculated`, equals finsheet's value; no cell
    is an error."""
    result = load_workbook(recalculated, data_only=True)
    checked = 0
    for (name, coord), expected in formulas.expected.items():
        if name not in sheets:
            continue
        got = result[name][coord].value
        where = f"{name}!{coord} -> {got!r}, finsheet {expected!r}"
        if expected is None:
            assert got in (None, ""), where
        else:
            assert isinstance(got, int | float) and got == pytest.approx(expected, rel=1e-9, abs=1e-9), where
        checked += 1
    assert checked > 0
    for ws in result.worksheets:
        for row in ws.iter_rows(values_only=True):
            bad = [v for v in row if isinstance(v, str) and v.startswith(ERRORS)]
            assert not bad, (ws.title, bad)


def grid(ws: Worksheet) -> dict[str, dict[str, object]]:
    """Row label -> {column header -> value} of a Spread/Ratios sheet."""
    headers = [c.value for c in ws[3]]
    return {str(row[0]): {str(h): v for h, v in zip(headers, row, strict=False)}
            for row in ws.iter_rows(min_row=4, values_only=True) if row[0]}


def statement(kind: StatementType, periods: list[Period], rows: list[tuple], *, scale: int = 1_000) -> Statement:
    """rows: (label, values in `periods` order, section[, is_total])."""
    items = []
    for n, (label, values, section, *total) in enumerate(rows):
        vals = {p.key: v for p, v in zip(periods, values, strict=True)}
        items.append(LineItem(label=label, section=section, is_total=bool(total and total[0]), page=3 + n,
                              box=(0.0, 0.0, 1.0, 1.0), values=vals,
                              raw={k: f"{v:,}" for k, v in vals.items() if v is not None}))
    return Statement(type=kind, title=kind.display_name, pages=[3], confidence=1.0, scale=scale, currency="USD",
                     periods=periods, items=items)


def annual(*years: int) -> list[Period]:
    return [Period(key=f"{y}-12-31", label=f"Year ended December 31, {y}", end=date(y, 12, 31), months=12)
            for y in years]


def balance_dates(*years: int) -> list[Period]:
    return [Period(key=f"{y}-12-31", label=f"December 31, {y}", end=date(y, 12, 31)) for y in years]


def ten_k() -> Document:
    """FY2021 and FY2020: costs printed as deductions, debt in two lines, capex negative."""
    years = annual(2021, 2020)
    income = statement(IS, years, [
        ("Revenues", [1_000.0, 800.0], ["Revenue"]),
        ("Cost of revenues", [-600.0, -500.0], ["Costs"]),
        ("Gross profit", [400.0, 300.0], [], True),
        ("Research and development", [-50.0, -40.0], ["Costs"]),
        ("Selling, general and administrative", [-150.0, -120.0], ["Costs"]),
        ("Operating income", [200.0, 140.0], [], True),
        ("Interest expense", [-20.0, -20.0], ["Other"]),
        ("Income tax expense", [-45.0, -30.0], []),
        ("Net income", [135.0, 90.0], [], True),
    ])
    balance = statement(BS, balance_dates(2021, 2020), [
        ("Cash and cash equivalents", [300.0, 250.0], ["Assets", "Current assets"]),
        ("Accounts receivable, net", [120.0, 100.0], ["Assets", "Current assets"]),
        ("Inventories", [90.0, 80.0], ["Assets", "Current assets"]),
        ("Property and equipment, net", [700.0, 650.0], ["Assets"]),
        ("Goodwill", [100.0, 100.0], ["Assets"]),
        ("Total assets", [1_310.0, 1_180.0], ["Assets"], True),
        ("Accounts payable", [110.0, 95.0], ["Liabilities", "Current liabilities"]),
        ("Current portion of long-term debt", [50.0, 50.0], ["Liabilities", "Current liabilities"]),
        ("Long-term debt", [400.0, 450.0], ["Liabilities"]),
        ("Operating lease liabilities", [60.0, 65.0], ["Liabilities"]),
        ("Total liabilities", [620.0, 660.0], ["Liabilities"], True),
        ("Total stockholders' equity", [690.0, 520.0], ["Equity"], True),
    ])
    cash = statement(CF, years, [
        ("Net income", [135.0, 90.0], ["Operating activities"]),
        ("Depreciation and amortization", [70.0, 60.0], ["Operating activities"]),
        ("Net cash provided by operating activities", [240.0, 170.0], ["Operating activities"], True),
        ("Purchases of property and equipment", [-110.0, -90.0], ["Investing activities"]),
    ])
    return Document(file="acme-10k-2021.pdf", sha256="k", pages=80, company="ACME",
                    statements=[income, balance, cash])


def ten_q() -> Document:
    """The six months to 30 June 2022 and 2021 (and the quarter), with the balance sheet at 30 June 2022."""
    periods = [Period(key="2022-06-30/6m", label="Six months ended June 30, 2022", end=date(2022, 6, 30), months=6),
               Period(key="2021-06-30/6m", label="Six months ended June 30, 2021", end=date(2021, 6, 30), months=6),
               Period(key="2022-06-30/3m", label="Three months ended June 30, 2022", end=date(2022, 6, 30),
                      months=3)]
    income = statement(IS, periods, [
        ("Revenues", [560.0, 470.0, 290.0], ["Revenue"]),
        ("Cost of revenues", [-330.0, -285.0, -170.0], ["Costs"]),
        ("Operating income", [120.0, 90.0, 60.0], [], True),
        ("Net income", [80.0, 60.0, 40.0], [], True),
    ])
    balance = statement(BS, balance_dates(2022)[:0] + [Period(key="2022-06-30", label="June 30, 2022",
                                                             end=date(2022, 6, 30))], [
        ("Cash and cash equivalents", [280.0], ["Assets", "Current assets"]),
        ("Total stockholders' equity", [740.0], ["Equity"], True),
    ])
    cash = statement(CF, periods[:2], [
        ("Net cash provided by operating activities", [130.0, 100.0], ["Operating activities"], True),
        ("Purchases of property and equipment", [-60.0, -50.0], ["Investing activities"]),
    ])
    return Document(file="acme-10q-2022q2.pdf", sha256="q", pages=30, company="ACME",
                    statements=[income, balance, cash])


# --------------------------------------------------------------------------- mapping and values


def test_suggested_mapping_and_values() -> None:
    """Revenue, costs (deductions shown positive), derived lines, debt in two lines and FCF from the suggestion."""
    result = consolidate([ten_k()])
    spread = build_spread(result)
    labels = {a.id: a.label for st in result.statements.values() for a in st.accounts}
    assert [labels[a] for a, _ in spread.mapping["debt"].accounts] == ["Current portion of long-term debt",
                                                                       "Long-term debt"]
    assert spread.mapping["cost_of_sales"].accounts[0][1] == -1
    assert spread.mapping["da"].accounts and labels[spread.mapping["da"].accounts[0][0]] == \
        "Depreciation and amortization"
    assert [p.label for p in spread.periods] == ["FY2020", "FY2021"]
    expect = {"revenue": 1_000, "cost_of_sales": 600, "gross_profit": 400, "rnd": 50, "sga": 150, "ebit": 200,
              "da": 70, "ebitda": 270, "interest": 20, "tax": 45, "net_income": 135, "cash": 300, "debt": 450,
              "leases": 60, "net_debt": 150, "equity": 690, "operating_cash_flow": 240, "capex": 110,
              "free_cash_flow": 130, "goodwill": 100, "receivables": 120, "inventory": 90, "ppe": 700,
              "payables": 110, "total_assets": 1_310}
    assert {k: spread.value(k, "FY2021") for k in expect} == expect
    assert spread.ratio("gross_margin", "FY2021") == pytest.approx(0.4)
    assert spread.ratio("revenue_growth", "FY2021") == pytest.approx(0.25)
    assert spread.ratio("net_debt_to_ebitda", "FY2021") == pytest.approx(150 / 270)
    assert spread.ratio("interest_cover", "FY2021") == pytest.approx(10)
    assert spread.ratio("roe", "FY2021") == pytest.approx(135 / ((690 + 520) / 2))
    assert spread.ratio("dso", "FY2021") == pytest.approx(120 / 1_000 * 365)
    assert spread.ratio("dpo", "FY2021") == pytest.approx(110 / 600 * 365)
    assert spread.ratio("roe", "FY2020") is None  # no opening balance


def test_analyst_choice_overrides_the_suggestion() -> None:
    """Choosing the lines of a standard line (or none) replaces the suggestion; None restores it."""
    base = consolidate([ten_k()])
    ids = {a.label: a.id for a in base.statements[BS].accounts}
    overrides = choose(Overrides(), "debt", [ids["Long-term debt"], ids["Operating lease liabilities"]])
    overrides = choose(overrides, "goodwill", [])
    spread = build_spread(consolidate([ten_k()], overrides=overrides))
    assert spread.value("debt", "FY2021") == 460 and spread.mapping["debt"].chosen
    assert spread.value("goodwill", "FY2021") is None
    restored = choose(overrides, "debt", None)
    assert build_spread(consolidate([ten_k()], overrides=restored)).value("debt", "FY2021") == 450
    with pytest.raises(KeyError):
        choose(Overrides(), "gross_profit", [])  # derived, never mapped


def test_ltm_from_a_10k_and_a_later_10q() -> None:
    """LTM = FY2021 + six months 2022 − six months 2021; balances at 30 June 2022."""
    spread = build_spread(consolidate([ten_k(), ten_q()]))
    assert [p.key for p in spread.periods] == ["FY2020", "FY2021", "LTM 2022-06-30"]
    ltm = "LTM 2022-06-30"
    assert spread.value("revenue", ltm) == 1_000 + 560 - 470
    assert spread.value("cost_of_sales", ltm) == 600 + 330 - 285
    assert spread.value("net_income", ltm) == 135 + 80 - 60
    assert spread.value("cash", ltm) == 280
    # The cash flow's six-month columns (keyed apart from the income statement's) count too.
    assert spread.value("free_cash_flow", ltm) == (240 + 130 - 100) - (110 + 60 - 50)
    assert spread.value("sga", ltm) is None  # the 10-Q does not print it: no LTM rather than a wrong one
    assert spread.ratio("revenue_growth", ltm) is None


def test_no_ltm_without_the_prior_year_to_date() -> None:
    """A 10-Q without the comparative year-to-date gives no LTM column."""
    q = ten_q()
    income = q.statements[0]
    income.periods = [p for p in income.periods if p.key != "2021-06-30/6m"]
    for item in income.items:
        item.values.pop("2021-06-30/6m")
    assert [p.key for p in spread_periods(consolidate([ten_k(), q]))] == ["FY2020", "FY2021"]


def test_53_week_years_flagged() -> None:
    """A year the heading calls 53 weeks, or 371 days after the previous year end, is flagged."""
    def year(end: date, label: str) -> Period:
        return Period(key=end.isoformat(), label=label, end=end, months=12)

    periods = [year(date(2023, 1, 28), "52 Weeks Ended January 28, 2023"),
               year(date(2024, 2, 3), "Fiscal 2023"), year(date(2025, 2, 1), "Fiscal 2024")]
    doc = Document(file="r.pdf", sha256="r", pages=1, statements=[
        statement(IS, periods, [("Net sales", [10.0, 11.0, 12.0], [])])])
    labels = [p.label for p in spread_periods(consolidate([doc]))]
    assert labels == ["FY2023", "FY2024 (53 weeks)", "FY2025"]


# --------------------------------------------------------------------------- the workbook


@pytest.fixture(scope="module")
def acme_workbook(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, WorkbookFormulas, Consolidation]:
    result = consolidate([ten_k(), ten_q()])
    path = tmp_path_factory.mktemp("spread") / "acme.xlsx"
    return path, write_workbook(result, path), result


@pytest.mark.slow
def test_spread_and_ratios_recalculate(acme_workbook: tuple[Path, WorkbookFormulas, Consolidation],
                                       tmp_path: Path, recalculate: Recalculate) -> None:
    """Every Spread and Ratios formula, recalculated by LibreOffice, equals finsheet's figure; no error cells."""
    path, formulas, _ = acme_workbook
    recalculated = recalculate(path, tmp_path)
    assert_recalculates(recalculated, formulas, {"Spread", "Ratios"})
    spread = grid(load_workbook(recalculated, data_only=True)["Spread"])
    assert spread["Revenue"]["LTM 2022-06-30"] == 1_090 and spread["Free cash flow"]["FY2021"] == 130
    ratios = grid(load_workbook(recalculated, data_only=True)["Ratios"])
    assert ratios["Gross margin"]["FY2021"] == pytest.approx(0.4)


def test_sheets_in_place_and_spread_formulas(acme_workbook: tuple[Path, WorkbookFormulas, Consolidation]) -> None:
    """Spread and Ratios follow the statements; cells refer to the as-reported sheets, negated for deductions."""
    path, _, _ = acme_workbook
    wb = load_workbook(path)
    names = wb.sheetnames
    assert names.index("Spread") == 3 and names.index("Ratios") == 4  # after the three statement sheets
    assert names.index("Mapping") == names.index("Sources") + 1
    ws = wb["Spread"]
    assert isinstance(ws, Worksheet)
    rows = {ws.cell(row=r, column=1).value: r for r in range(4, ws.max_row + 1)}
    cost = ws.cell(row=rows["Cost of sales"], column=3).value
    assert isinstance(cost, str) and cost.startswith("=-'Income statement'!")
    debt = ws.cell(row=rows["Debt (current and long-term)"], column=3).value
    assert isinstance(debt, str) and debt.count("'Balance sheet'!") == 2
    ltm = ws.cell(row=rows["Revenue"], column=4).value
    assert isinstance(ltm, str) and ltm.count("'Income statement'!") == 3 and "-" in ltm


def test_mapping_sheet_lists_every_row(acme_workbook: tuple[Path, WorkbookFormulas, Consolidation]) -> None:
    """Every row of every statement sheet has at least one printed line on the Mapping sheet."""
    path, _, result = acme_workbook
    ws = load_workbook(path)["Mapping"]
    listed = {(r[0], r[1]) for r in ws.iter_rows(min_row=4, values_only=True) if isinstance(r[1], int)}
    rows = sum(len(st.accounts) for st in result.statements.values())
    assert len({x for x in listed if x[0] != "Spread"}) == rows
    revenue = [r for r in ws.iter_rows(min_row=4, values_only=True) if r[0] == "Income statement" and
               r[2] == "Revenues"]
    assert {r[3] for r in revenue} == {"acme-10k-2021.pdf", "acme-10q-2022q2.pdf"}


def test_spread_choice_is_saved_and_reopened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The analyst's spread mapping is saved with the consolidation's overrides and applied when it reopens."""
    from finsheet.jobs import gather
    from finsheet.settings import load_settings
    from finsheet.store import Store, UserRef

    monkeypatch.setenv("FINSHEET_DATA_DIR", str(tmp_path / "data"))
    viewer = UserRef(username="ana")
    with Store.open(load_settings()) as store:
        doc = ten_k()
        record, _ = store.add_document(sha256=doc.sha256, name=doc.file, size=1, pages=doc.pages, owner="ana")
        store.save_extraction(record.id, doc, engine="local", seconds=0.1)
        gathered = gather.from_store(store, viewer, company="ACME")
        ids = {a.label: a.id for a in gathered.consolidation.statements[BS].accounts}
        gathered.consolidation.overrides = choose(gathered.consolidation.overrides, "debt", [ids["Long-term debt"]])
        gather.save(store, viewer, gathered, name="ACME")
        again = gather.from_store(store, viewer, company="ACME")
    assert again.consolidation.overrides.spread == {"debt": [ids["Long-term debt"]]}
    assert build_spread(again.consolidation).value("debt", "FY2021") == 400


# --------------------------------------------------------------------------- generated filings: split, renames

SALES = {2017: 9_000, 2018: 10_000, 2019: 11_000, 2020: 12_500, 2021: 14_000}
EPS = {2017: 4.12, 2018: 4.60, 2019: 5.20, 2020: 6.08, 2021: 7.00}  # before the split
SHARES = {2017: 400_000, 2018: 401_000, 2019: 402_500, 2020: 403_000, 2021: 404_200}


def _pdf(year: int, ratio: int, cost_label: str, other_label: str) -> bytes:
    """A 10-K's income statement (three years, EPS and share counts on a `ratio` basis) and balance sheet."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    def page(c: canvas.Canvas, title: str, years: list[int], rows: list[tuple[str, int, list | None]]) -> None:
        y = 720.0
        c.setFont("Helvetica-Bold", 11)
        for line in ("ACME SPLITCO INC.", title, "(in millions, except per share data)"):
            c.drawCentredString(306, y, line)
            y -= 16
        c.setFont("Helvetica-Bold", 9)
        xs = [380, 460, 540][: len(years)]
        for x, yr in zip(xs, years, strict=True):
            c.drawRightString(x, y, f"December 31, {yr}")
        y -= 18
        for label, indent, values in rows:
            c.setFont("Helvetica-Bold" if label.startswith("Total") else "Helvetica", 9)
            c.drawString(72 + 12 * indent, y, label)
            for x, v in zip(xs, values or [], strict=False):
                c.drawRightString(x, y, f"{v:,.2f}" if isinstance(v, float) else f"{v:,}")
            y -= 14
        c.showPage()

    years, bs_years = [year, year - 1, year - 2], [year, year - 1]
    cost = {y: SALES[y] * 6 // 10 for y in SALES}
    sga = {y: SALES[y] * 17 // 100 for y in SALES}
    tax = {y: SALES[y] * 4 // 100 for y in SALES}
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=True)
    page(c, "CONSOLIDATED STATEMENTS OF INCOME", years, [
        ("Net sales", 0, [SALES[y] for y in years]),
        (cost_label, 0, [cost[y] for y in years]),
        ("Gross profit", 0, [SALES[y] - cost[y] for y in years]),
        ("Selling, general and administrative", 0, [sga[y] for y in years]),
        ("Operating income", 0, [SALES[y] - cost[y] - sga[y] for y in years]),
        ("Provision for income taxes", 0, [tax[y] for y in years]),
        ("Net income", 0, [SALES[y] - cost[y] - sga[y] - tax[y] for y in years]),
        ("Net income per common share:", 0, None),
        ("Basic", 1, [round(EPS[y] / ratio, 2) for y in years]),
        ("Diluted", 1, [round(EPS[y] * 0.99 / ratio, 2) for y in years]),
        ("Shares used in calculation (000's):", 0, None),
        ("Basic", 1, [SHARES[y] * ratio for y in years]),
        ("Diluted", 1, [(SHARES[y] + 2_000) * ratio for y in years]),
    ])
    page(c, "CONSOLIDATED BALANCE SHEETS", bs_years, [
        ("ASSETS", 0, None),
        ("Cash and cash equivalents", 1, [1_000 + 100 * (y - 2017) for y in bs_years]),
        ("Receivables, net", 1, [800 + 10 * (y - 2017) for y in bs_years]),
        ("Total current assets", 1, [1_800 + 110 * (y - 2017) for y in bs_years]),
        (other_label, 0, [500 + 25 * (y - 2017) for y in bs_years]),
        ("Total assets", 0, [2_300 + 135 * (y - 2017) for y in bs_years]),
        ("LIABILITIES AND EQUITY", 0, None),
        ("Accounts payable", 1, [700 for _ in bs_years]),
        ("Long-term debt", 1, [600 for _ in bs_years]),
        ("Total liabilities", 0, [1_300 for _ in bs_years]),
        ("Total stockholders' equity", 0, [1_000 + 135 * (y - 2017) for y in bs_years]),
        ("Total liabilities and equity", 0, [2_300 + 135 * (y - 2017) for y in bs_years]),
    ])
    c.save()
    return buf.getvalue()


@pytest.fixture(scope="module")
def split_series(tmp_path_factory: pytest.TempPathFactory) -> tuple[Consolidation, Path, WorkbookFormulas]:
    """Three generated 10-Ks: 'Cost of goods sold' and 'OTHER ASSETS' renamed in 2020, a 4-for-1 split in 2021."""
    from finsheet.extraction.pipeline import extract

    work = tmp_path_factory.mktemp("series")
    docs = []
    for year, ratio, cost, other in [(2019, 1, "Cost of goods sold", "OTHER ASSETS"),
                                     (2020, 1, "Cost of sales", "Other long-term assets"),
                                     (2021, 4, "Cost of sales", "Other long-term assets")]:
        path = work / f"acme-{year}.pdf"
        path.write_bytes(_pdf(year, ratio, cost, other))
        docs.append(extract(path))
    result = consolidate(docs)
    out = work / "acme.xlsx"
    return result, out, write_workbook(result, out)


def _row(result: Consolidation, kind: StatementType, label: str, section: str = "") -> list[float | None]:
    st = result.statements[kind]
    [i] = [n for n, a in enumerate(st.accounts) if a.label == label and section in "/".join(a.section)]
    return [st.frame[p.key][i] for p in st.periods]


@pytest.mark.slow
def test_generated_series_split_and_renames(split_series: tuple[Consolidation, Path, WorkbookFormulas],
                                            tmp_path: Path, recalculate: Recalculate) -> None:
    """One row each for the renamed lines; EPS and shares of 2017–2020 on the post-split basis, with a note in
    the Notes sheet and the printed figures in Sources; every spread and ratio formula recalculates."""
    result, path, formulas = split_series
    assert [s.name for s in result.splits] == ["4-for-1"]
    income = result.statements[IS]
    assert [p.key for p in income.periods] == [f"{y}-12-31" for y in range(2017, 2022)]
    labels = [a.label for a in income.accounts]
    assert "Cost of goods sold" not in labels
    assert _row(result, IS, "Cost of sales") == [SALES[y] * 6 // 10 for y in range(2017, 2022)]
    assert _row(result, BS, "Other long-term assets") == [500 + 25 * (y - 2017) for y in range(2018, 2022)]
    basic = _row(result, IS, "Basic", "Net income per common share")
    assert basic[:2] == pytest.approx([EPS[2017] / 4, EPS[2018] / 4])
    assert basic[2:] == pytest.approx([round(EPS[y] / 4, 2) for y in (2019, 2020, 2021)])
    shares = _row(result, IS, "Basic", "Shares used")
    assert shares == [SHARES[y] * 4 for y in range(2017, 2022)]
    assert not [r for r in result.restatements if r.label == "Basic"]
    wb = load_workbook(path)
    notes = [r[0] for r in wb["Notes"].iter_rows(values_only=True) if r and isinstance(r[0], str)]
    assert any("4-for-1 stock split" in n and "acme-2020.pdf and acme-2021.pdf" in n for n in notes)
    sources = [r for r in wb["Sources"].iter_rows(min_row=4, values_only=True)
               if r[1] == "Basic" and r[2] == "2017-12-31" and r[5] == "acme-2019.pdf"]
    assert sorted((r[4], r[3]) for r in sources) == [("4.12", pytest.approx(1.03)), ("400,000", 1_600_000)]
    mapping = [r for r in wb["Mapping"].iter_rows(min_row=4, values_only=True)
               if r[0] == "Income statement" and r[2] == "Cost of sales"]
    assert {(r[3], r[5]) for r in mapping} == {("acme-2019.pdf", "Cost of goods sold"),
                                              ("acme-2020.pdf", "Cost of sales"), ("acme-2021.pdf", "Cost of sales")}
    assert_recalculates(recalculate(path, tmp_path), formulas, {"Spread", "Ratios"})


# --------------------------------------------------------------------------- Costco, against the README

COSTCO = [SAMPLES / "series" / "COSTCO_2019_10K.pdf", SAMPLES / "series" / "COSTCO_2020_10K.pdf",
          SAMPLES / "pdfs" / "COSTCO_2021_10K.pdf"]
# The hand calculation in the README (USD millions; from the printed statements, see /work/notes/spread-readme.md).
HAND = {
    "FY2017": {"revenue": 129_025, "gross_margin": 17_143 / 129_025, "ebit": 4_111, "net_income": 2_679,
               "free_cash_flow": 6_726 - 2_502, "net_debt_to_ebitda": None},
    "FY2018": {"revenue": 141_576, "gross_margin": 18_424 / 141_576, "ebit": 4_480, "net_income": 3_134,
               "free_cash_flow": 5_774 - 2_969, "net_debt_to_ebitda": (90 + 6_487 - 6_055) / (4_480 + 1_437)},
    "FY2019": {"revenue": 152_703, "gross_margin": 19_817 / 152_703, "ebit": 4_737, "net_income": 3_659,
               "free_cash_flow": 6_356 - 2_998, "net_debt_to_ebitda": (1_699 + 5_124 - 8_384) / (4_737 + 1_492)},
    "FY2020": {"revenue": 166_761, "gross_margin": 21_822 / 166_761, "ebit": 5_435, "net_income": 4_002,
               "free_cash_flow": 8_861 - 2_810, "net_debt_to_ebitda": (95 + 7_514 - 12_277) / (5_435 + 1_645)},
    "FY2021": {"revenue": 195_929, "gross_margin": 25_245 / 195_929, "ebit": 6_708, "net_income": 5_007,
               "free_cash_flow": 8_958 - 3_588, "net_debt_to_ebitda": (799 + 6_692 - 11_258) / (6_708 + 1_781)},
}


@pytest.fixture(scope="module")
def costco(tmp_path_factory: pytest.TempPathFactory) -> tuple[Consolidation, Path, WorkbookFormulas]:
    if not all(p.is_file() for p in COSTCO):
        pytest.skip("../shared/samples is absent")
    from finsheet.extraction.pipeline import extract

    result = consolidate([extract(p) for p in COSTCO], settings=ConsolidationSettings(months=12))
    path = tmp_path_factory.mktemp("costco") / "costco.xlsx"
    return result, path, write_workbook(result, path)


@pytest.mark.samples
@pytest.mark.slow
def test_costco_spread_matches_the_hand_calculation(costco: tuple[Consolidation, Path, WorkbookFormulas],
                                                    tmp_path: Path, recalculate: Recalculate) -> None:
    """Revenue, gross margin, EBIT, net income, FCF and net debt / EBITDA per fiscal year as in the README, in
    finsheet's figures and in the workbook LibreOffice recalculates; FY2017 flagged as 53 weeks."""
    result, path, formulas = costco
    spread = build_spread(result)
    assert [p.label for p in spread.periods] == ["FY2017 (53 weeks)", "FY2018", "FY2019", "FY2020", "FY2021"]
    recalculated = recalculate(path, tmp_path)
    assert_recalculates(recalculated, formulas, {"Spread", "Ratios"})
    sheet, ratios = (grid(load_workbook(recalculated, data_only=True)[n]) for n in ("Spread", "Ratios"))
    header = {p.key: p.label for p in spread.periods}
    for year, figures in HAND.items():
        for key, expected in figures.items():
            ratio = key in ("gross_margin", "net_debt_to_ebitda")
            got = spread.ratio(key, year) if ratio else spread.value(key, year)
            assert got == (None if expected is None else pytest.approx(expected)), (year, key)
        assert sheet["Revenue"][header[year]] == figures["revenue"]
        assert sheet["Free cash flow"][header[year]] == figures["free_cash_flow"]
        assert ratios["Gross margin"][header[year]] == pytest.approx(figures["gross_margin"])


@pytest.mark.samples
@pytest.mark.slow
def test_costco_renamed_lines_are_one_row(costco: tuple[Consolidation, Path, WorkbookFormulas]) -> None:
    """'OTHER ASSETS' / 'OTHER LIABILITIES' (2019 10-K) are the later 'Other long-term assets / liabilities': one
    row each from fiscal 2018 to 2021, and the Mapping sheet names all three filings' lines."""
    result, path, _ = costco
    balance = result.statements[BS]
    for old, label, values in (("OTHER ASSETS", "Other long-term assets", [860, 1_025, 2_841, 3_381]),
                               ("OTHER LIABILITIES", "Other long-term liabilities", [1_314, 1_455, 1_935, 2_415])):
        [i] = [n for n, a in enumerate(balance.accounts) if a.label == label]
        assert [balance.frame[p.key][i] for p in balance.periods] == values
        assert [s.label for s in balance.lines[balance.accounts[i].id]] == [old, label, label]
    mapping = [r for r in load_workbook(path)["Mapping"].iter_rows(min_row=4, values_only=True)
               if r[2] == "Other long-term assets"]
    assert [r[3] for r in mapping] == ["COSTCO_2019_10K.pdf", "COSTCO_2020_10K.pdf", "COSTCO_2021_10K.pdf"]


def test_pdf_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    """A printed label beginning with '=' reaches the Mapping and Spread sheets as text, never as a formula."""
    doc = ten_k()
    doc.statements[0].items[0].label = '=HYPERLINK("http://example.invalid","Revenues")'
    result = consolidate([doc])
    path = tmp_path / "x.xlsx"
    write_workbook(result, path)
    wb = load_workbook(path)
    cells = [c for ws_name in ("Mapping", "Spread") for row in wb[ws_name].iter_rows() for c in row
             if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert {c.parent.title for c in cells} == {"Mapping"}  # the spread names it only through its mapping
    assert cells and all(c.data_type == "s" for c in cells)


def test_signs_follow_the_nature_of_the_amount() -> None:
    """Liabilities printed negative (British style) show positive; a tax credit printed positive is a negative
    charge; a loss keeps its sign."""
    years = annual(2022, 2021)
    income = statement(IS, years, [("Revenue", [500.0, 400.0], []), ("Income tax credit", [30.0, 20.0], []),
                                   ("Loss for the year", [-70.0, -90.0], [], True)])
    balance = statement(BS, balance_dates(2022, 2021), [
        ("Trade and other payables", [-80.0, -60.0], ["Current liabilities"]),
        ("Bank loans", [-200.0, -250.0], ["Non-current liabilities"]),
        ("Total equity", [-15.0, 10.0], ["Equity"], True)])
    spread = build_spread(consolidate([Document(file="uk.pdf", sha256="u", pages=9, statements=[income, balance])]))
    got = {k: spread.value(k, "FY2022") for k in ("payables", "debt", "tax", "net_income", "equity")}
    assert got == {"payables": 80, "debt": 200, "tax": -30, "net_income": -70, "equity": -15}
