"""The workbook: live formulas recalculated by LibreOffice equal finsheet's figures, no error values, layout, the
Checks / Restatements / Sources sheets, and the `finsheet workbook` command (files and store)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from finsheet.cli import main
from finsheet.consolidate.alignment import Consolidation, consolidate
from finsheet.errors import ExportError
from finsheet.export.workbook import WorkbookFormulas, build_workbook_bytes, write_workbook
from finsheet.model import Document, LineItem, Period, Statement, StatementType, Unit

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"
IS, BS = StatementType.INCOME, StatementType.BALANCE
ENDS = {2018: date(2018, 9, 2), 2019: date(2019, 9, 1), 2020: date(2020, 8, 30), 2021: date(2021, 8, 29)}
Recalculate = Callable[[Path, Path], Path]
"""The `recalculate` fixture (conftest.py): LibreOffice's recalculated copy of a workbook."""
ERRORS = ("#REF!", "#DIV/0!", "#VALUE!", "#NAME?", "#N/A", "#NUM!", "#NULL!", "Err:")


def statement(kind: StatementType, years: list[int], rows: list[tuple], *, scale: int = 1_000_000) -> Statement:
    """rows: (label, values, section, is_total, unit)."""
    periods = [Period(key=ENDS[y].isoformat(), label=str(y), end=ENDS[y], months=12 if kind == IS else None)
               for y in years]
    items = []
    for n, (label, values, section, total, *unit) in enumerate(rows):
        vals = {p.key: v for p, v in zip(periods, values, strict=True)}
        u: Unit | None = unit[0] if unit else None
        items.append(LineItem(label=label, level=len(section) + (0 if total else 1), section=section,
                              is_total=total, page=30 + n, box=(0.0, 0.0, 1.0, 1.0), values=vals, unit=u,
                              raw={k: f"{v:,}" for k, v in vals.items() if v is not None}))
    return Statement(type=kind, title=kind.display_name, pages=[30], confidence=1.0, scale=scale, currency="USD",
                     periods=periods, items=items)


REV, OPEX, OTHER, EPS = ["Revenue"], ["Operating expenses"], ["Other income (expense)"], ["Per share"]
CA, NCA, CL, NCL, EQ = (["Assets", "Current assets"], ["Assets", "Other assets"], ["Liabilities", "Current"],
                        ["Liabilities", "Other"], ["Equity"])


def income(years: list[int], sales: list[float], preopening: list[float]) -> Statement:
    fees = [3877.0, 3541.0, 3352.0][: len(years)]
    revenue = [s + f for s, f in zip(sales, fees, strict=True)]
    costs = [0.9 * r for r in revenue]
    operating = [r - c - p for r, c, p in zip(revenue, costs, preopening, strict=True)]
    before_tax = [o - 171 + 143 for o in operating]
    return statement(IS, years, [
        ("Net sales", sales, REV, False),
        ("Membership fees", fees, REV, False),
        ("Total revenue", revenue, REV, True),
        ("Merchandise costs", costs, OPEX, False),
        ("Preopening expenses", preopening, OPEX, False),
        ("Operating income", operating, OPEX, True),
        ("Interest expense", [-171.0] * len(years), OTHER, False),
        ("Interest income and other, net", [143.0] * len(years), OTHER, False),
        ("Income before income taxes", before_tax, [], True),
        ("Provision for income taxes", [1601.0] * len(years), [], False),
        ("Net income", [b - 1601 for b in before_tax], [], True),
        ("Basic", [11.3, 9.05, 8.32][: len(years)], EPS, False, "per_share"),
        ("Diluted", [11.27, 9.02, 8.26][: len(years)], EPS, False, "per_share"),
    ])


def balance(years: list[int], cash: list[float], *, misprint: float = 0.0) -> Statement:
    n = len(years)
    ca_total = [c + 14215 for c in cash]
    assets = [t + 23492 + 100 for t in ca_total]
    cl = [16278.0] * n
    ncl = [6692.0, 7514.0][:n]
    liabilities = [a + b + 10 + 20 for a, b in zip(cl, ncl, strict=True)]
    equity = [a - b for a, b in zip(assets, liabilities, strict=True)]
    return statement(BS, years, [
        ("Cash and cash equivalents", cash, CA, False),
        ("Merchandise inventories", [14215.0] * n, CA, False),
        ("Total current assets", ca_total, CA, True),
        ("Property and equipment, net", [23492.0] * n, NCA, False),
        ("Deferred income taxes", [100.0] * n, NCA, False),
        ("Total assets", assets, ["Assets"], True),
        ("Accounts payable", cl, CL, False),
        ("Total current liabilities", cl, CL, True),
        ("Long-term debt", ncl, NCL, False),
        ("Deferred income taxes", [10.0] * n, NCL, False),
        ("Other long-term liabilities", [20.0] * n, NCL, False),
        ("Total liabilities", [v + (misprint if i == 0 else 0.0) for i, v in enumerate(liabilities)],
         ["Liabilities"], True),
        ("Total equity", equity, EQ, True),
        ("Total liabilities and equity", assets, [], True),
    ], scale=1_000_000)


def documents() -> list[Document]:
    new = Document(file="acme-2021.pdf", sha256="a" * 64, pages=80, company="ACME", statements=[
        income([2021, 2020, 2019], [192052.0, 163220.0, 149351.0], [76.0, 0.0, 86.0]),
        balance([2021, 2020], [11258.0, 12277.0], misprint=7.0),
    ])
    old = Document(file="acme-2019.pdf", sha256="b" * 64, pages=80, company="ACME", statements=[
        income([2019, 2018], [149351.0, 138434.0], [90.0, 0.0]),
        balance([2019, 2018], [8000.0, 6055.0]),
    ])
    return [old, new]


@pytest.fixture(scope="module")
def consolidation() -> Consolidation:
    return consolidate(documents())


@pytest.fixture(scope="module")
def written(consolidation: Consolidation, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, WorkbookFormulas]:
    path = tmp_path_factory.mktemp("wb") / "acme.xlsx"
    return path, write_workbook(consolidation, path)


def sheet(wb_path: Path, name: str, *, data_only: bool = False) -> Worksheet:
    ws = load_workbook(wb_path, data_only=data_only)[name]
    assert isinstance(ws, Worksheet)
    return ws


def assert_recalculates(path: Path, recalculated: Path, formulas: WorkbookFormulas) -> None:
    """Every formula cell of `path`, recalculated by LibreOffice into `recalculated`, equals finsheet's value; no cell
    anywhere is an error."""
    source = load_workbook(path)
    result = load_workbook(recalculated, data_only=True)
    for (name, coord), expected in formulas.expected.items():
        formula = source[name][coord].value
        assert isinstance(formula, str) and formula.startswith("="), (name, coord, formula)
        got = result[name][coord].value
        where = f"{name}!{coord} {formula} -> {got!r}, finsheet {expected!r}"
        if expected is None:
            assert got in (None, ""), where
        elif isinstance(expected, bool):
            assert got is expected, where
        else:
            assert isinstance(got, int | float) and not isinstance(got, bool), where
            assert got == pytest.approx(expected, rel=1e-9, abs=1e-9), where
    for ws in result.worksheets:
        for row in ws.iter_rows(values_only=True):
            bad = [v for v in row if isinstance(v, str) and v.startswith(ERRORS)]
            assert not bad, (ws.title, bad)


@pytest.mark.slow
def test_every_formula_recalculates_to_finsheet_value(
    written: tuple[Path, WorkbookFormulas], tmp_path_factory: pytest.TempPathFactory, recalculate: Recalculate
) -> None:
    """LibreOffice's results for every formula cell equal what finsheet computed, and no cell holds an error."""
    path, formulas = written
    assert len(formulas.expected) > 150
    recalculated = recalculate(path, tmp_path_factory.mktemp("lo"))
    assert_recalculates(path, recalculated, formulas)
    checks = load_workbook(recalculated, data_only=True)["Checks"]
    verdicts = [checks[f"G{r}"].value for r in range(4, checks.max_row + 1)]
    assert True in verdicts and False in verdicts  # the misprinted total liabilities fails, the rest hold
    failed = [r for r in range(4, checks.max_row + 1) if checks[f"G{r}"].value is False]
    # the printed total liabilities is 7 off its lines, and so 7 off total liabilities and equity less equity
    assert [(checks[f"B{r}"].value.split(" =")[0], checks[f"C{r}"].value) for r in failed] == [
        ("Total liabilities", "2021-08-29"), ("Total liabilities and equity", "2021-08-29")]
    identity = [r for r in range(4, checks.max_row + 1)
                if checks[f"B{r}"].value == "total assets = total liabilities and equity"]
    assert len(identity) == 4 and all(checks[f"G{r}"].value is True for r in identity)


def test_totals_are_sum_formulas_where_they_foot(written: tuple[Path, WorkbookFormulas]) -> None:
    """Total revenue is SUM of its lines, operating income is revenue less expenses, net income chains on."""
    ws = sheet(written[0], "Income statement")
    labels = {ws.cell(row=r, column=1).value: r for r in range(4, ws.max_row + 1)}
    r = labels["Total revenue"]
    assert ws[f"E{r}"].value == f"=SUM(E{labels['Net sales']}:E{labels['Membership fees']})"
    r = labels["Operating income"]
    assert ws[f"E{r}"].value == (
        f"=E{labels['Total revenue']}-SUM(E{labels['Merchandise costs']}:E{labels['Preopening expenses']})")
    r = labels["Income before income taxes"]
    assert ws[f"E{r}"].value == (
        f"=SUM(E{labels['Operating income']}:E{labels['Interest income and other, net']})")
    assert str(ws[f"E{labels['Net income']}"].value).startswith("=")
    assert isinstance(ws[f"E{labels['Basic']}"].value, float)  # per-share lines are never summed


def test_nested_totals_stand_for_their_lines() -> None:
    """A total over subtotals sums the subtotals, not the lines they already cover (Costco's equity block)."""
    from finsheet.export.footing import find_footings, signed_formula

    st = statement(BS, [2021, 2020], [
        ("Accounts payable", [100.0, 90.0], CL, False),
        ("Total current liabilities", [100.0, 90.0], CL, True),
        ("Long-term debt", [50.0, 60.0], NCL, False),
        ("Total liabilities", [150.0, 150.0], ["Liabilities"], True),
        ("Common stock", [4.0, 4.0], EQ, False),
        ("Retained earnings", [46.0, 36.0], EQ, False),
        ("Total stockholders' equity", [50.0, 40.0], EQ, True),
        ("Noncontrolling interests", [5.0, 5.0], EQ, False),
        ("Total equity", [55.0, 45.0], EQ, True),
        ("Total liabilities and equity", [205.0, 195.0], [], True),
    ])
    result = consolidate([Document(file="n.pdf", sha256="n", pages=1, statements=[st])])
    footings = find_footings(result.statements[BS]).footings
    assert footings[3].parts == ((1, 1), (2, 1))  # total current liabilities + long-term debt
    assert footings[8].parts == ((6, 1), (7, 1))
    assert footings[9].parts == ((3, 1), (8, 1))  # total liabilities + total equity
    assert signed_formula("C", footings[9].parts, 4) == "SUM(C7,C12)"


def test_total_that_does_not_foot_is_a_formula_with_the_printed_value_beside(
    written: tuple[Path, WorkbookFormulas],
) -> None:
    """A printed total 7 off its lines is still a formula over them; the printed figure and the difference sit in
    columns beside it, and a comment says so."""
    ws = sheet(written[0], "Balance sheet")
    labels = {ws.cell(row=r, column=1).value: r for r in range(4, ws.max_row + 1)}
    headers = {ws.cell(row=3, column=c).value: get_column_letter(c) for c in range(1, ws.max_column + 1)}
    r = labels["Total liabilities"]
    cell = ws[f"E{r}"]  # 2021 column, from the misprinted filing
    assert str(cell.value).startswith("=SUM(")
    assert cell.comment is not None and "difference of +7" in cell.comment.text
    printed = headers["As printed 2021-08-29 (where the total's formula differs)"]
    gap = headers["Printed less formula 2021-08-29"]
    assert ws[f"{printed}{r}"].value == 16278 + 6692 + 30 + 7
    assert ws[f"{gap}{r}"].value == f"={printed}{r}-E{r}"
    assert ws[f"{printed}{labels['Total assets']}"].value is None  # only the totals that differ are repeated
    assert str(ws[f"C{r}"].value).startswith("=SUM(")  # 2019, from the filing that foots


def test_layout(written: tuple[Path, WorkbookFormulas]) -> None:
    """Indent by level, bold totals, scale in the header, number formats, frozen panes, print titles."""
    ws = sheet(written[0], "Balance sheet")
    assert ws["A1"].value == "ACME — Balance sheet"
    assert str(ws["A2"].value).startswith("USD millions")
    assert [ws.cell(row=3, column=c).value for c in range(1, 6)] == [
        "Account", "2018-09-02", "2019-09-01", "2020-08-30", "2021-08-29"]
    labels = {ws.cell(row=r, column=1).value: r for r in range(4, ws.max_row + 1)}
    assert ws[f"A{labels['Cash and cash equivalents']}"].alignment.indent == 3
    assert ws[f"A{labels['Total assets']}"].alignment.indent == 1
    assert ws[f"A{labels['Total assets']}"].font.b and not ws[f"A{labels['Merchandise inventories']}"].font.b
    assert ws[f"B{labels['Total assets']}"].number_format == '#,##0;(#,##0);"–"'
    assert ws.freeze_panes == "B4"
    assert ws.print_title_rows == "$1:$3" and ws.print_title_cols == "$A:$A"
    assert ws.column_dimensions["A"].width >= 24
    eps = sheet(written[0], "Income statement")
    row = next(r for r in range(4, eps.max_row + 1) if eps.cell(row=r, column=1).value == "Diluted")
    assert eps[f"E{row}"].number_format.startswith("#,##0.00")


def test_deferred_taxes_twice_and_restated_cell(written: tuple[Path, WorkbookFormulas]) -> None:
    """Both 'Deferred income taxes' rows are on the sheet; a restated cell carries the earlier figure."""
    ws = sheet(written[0], "Balance sheet")
    rows = [r for r in range(4, ws.max_row + 1) if ws.cell(row=r, column=1).value == "Deferred income taxes"]
    assert len(rows) == 2
    inc = sheet(written[0], "Income statement")
    row = next(r for r in range(4, inc.max_row + 1) if inc.cell(row=r, column=1).value == "Preopening expenses")
    cell = inc[f"C{row}"]  # fiscal 2019: 86 in the 2021 filing, 90 in the 2019 filing
    assert cell.value == 86 and cell.comment is not None and "acme-2019.pdf" in cell.comment.text
    restated = sheet(written[0], "Restatements")
    found = [[c.value for c in r] for r in restated.iter_rows(min_row=4) if r[1].value == "Preopening expenses"]
    assert found and found[0][3:9] == [86, "acme-2021.pdf", 34, 90, "acme-2019.pdf", 34]
    assert found[0][10] == "restated"


def test_sources_sheet_has_every_value(consolidation: Consolidation, written: tuple[Path, WorkbookFormulas]) -> None:
    """One Sources row per printed value, with the document, page and printed text."""
    ws = sheet(written[0], "Sources")
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    values = sum(v is not None for st in consolidation.statements.values() for p in st.periods
                 for v in st.frame[p.key])
    assert len(rows) == values
    total = next(r for r in rows if r[1] == "Total revenue" and r[2] == "2018-09-02")
    assert total[3:] == (138434 + 3541, "141,975.0", "acme-2019.pdf", 32)


def test_nothing_to_write() -> None:
    """An empty consolidation is refused with a clear ExportError."""
    empty = consolidate([Document(file="x.pdf", sha256="", pages=0, error="not a PDF")])
    with pytest.raises(ExportError, match="nothing to write"):
        build_workbook_bytes(empty)


def test_statement_without_lines_still_writes(tmp_path: Path) -> None:
    """A statement with periods but no line (a parse that found nothing) gives an empty sheet, not a crash."""
    empty = Statement(type=BS, title="BS", pages=[1], confidence=1.0, periods=[
        Period(key="2021-08-29", label="2021", end=ENDS[2021])])
    docs = [Document(file="e.pdf", sha256="e", pages=1, statements=[empty, income([2021], [1.0], [0.0])])]
    path = tmp_path / "e.xlsx"
    write_workbook(consolidate(docs), path)
    assert sheet(path, "Balance sheet").max_row == 3


def test_bytes_open_as_a_workbook(consolidation: Consolidation, tmp_path: Path) -> None:
    """build_workbook_bytes gives a file openpyxl reads, with the statement and support sheets in order."""
    path = tmp_path / "x.xlsx"
    path.write_bytes(build_workbook_bytes(consolidation))
    assert load_workbook(path).sheetnames == [
        "Income statement", "Balance sheet", "Spread", "Ratios", "Checks", "Restatements", "Sources", "Mapping",
        "Notes"]


# --------------------------------------------------------------------------- the command


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["workbook", "-o", "x.xlsx"], 3, "give PDF files"),
        (["workbook", "a.pdf", "--company", "ACME", "-o", "x.xlsx"], 3, "not both"),
        (["workbook", "missing.pdf", "-o", "x.xlsx"], 2, "no such file"),
    ],
)
def test_cli_usage_errors(argv: list[str], code: int, message: str, tmp_path: Path,
                          monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Wrong arguments exit with a usage or bad-input code and one line on stderr."""
    monkeypatch.chdir(tmp_path)
    assert main(argv) == code
    assert message in capsys.readouterr().err


def test_cli_files_that_are_not_pdfs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Files that cannot be read leave nothing to consolidate: exit 2, each file named, no workbook."""
    bad = tmp_path / "notes.pdf"
    bad.write_text("not a pdf")
    out = tmp_path / "out.xlsx"
    assert main(["workbook", str(bad), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "notes.pdf: skipped" in err and not out.exists()


@pytest.fixture
def stored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A data dir whose store holds ana's two ACME filings (FINSHEET_DATA_DIR points at it)."""
    from finsheet.settings import load_settings
    from finsheet.store import Store

    monkeypatch.setenv("FINSHEET_DATA_DIR", str(tmp_path / "data"))
    with Store.open(load_settings()) as store:
        for doc in documents():
            record, _ = store.add_document(sha256=doc.sha256, name=doc.file, size=1, pages=doc.pages, owner="ana")
            store.save_extraction(record.id, doc, engine="local", seconds=0.1)
    yield tmp_path / "data"


def test_cli_company_from_the_store(stored: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`finsheet workbook --company` consolidates the stored documents of that company, with saved overrides."""
    from finsheet.jobs import gather
    from finsheet.settings import load_settings
    from finsheet.store import Store, UserRef

    viewer = UserRef(username="ana")
    with Store.open(load_settings()) as store:
        gathered = gather.from_store(store, viewer, company="ACME")
        fees = next(a.id for a in gathered.consolidation.statements[IS].accounts if a.label == "Membership fees")
        gathered.consolidation.overrides.rename[fees] = "Member fees"
        gather.save(store, viewer, gathered, name="ACME annual")
    out = tmp_path / "acme.xlsx"
    assert main(["workbook", "--company", "ACME", "--user", "ana", "-o", str(out)]) == 0
    assert "2 document(s), USD millions" in capsys.readouterr().out
    ws = sheet(out, "Income statement")
    assert "Member fees" in [ws.cell(row=r, column=1).value for r in range(4, ws.max_row + 1)]
    assert main(["workbook", "--company", "Nobody", "-o", str(out)]) == 1
    assert "no extracted document of company 'Nobody'" in capsys.readouterr().err


@pytest.mark.slow
def test_workbook_and_consolidate_jobs(stored: Path) -> None:
    """The queue runs "consolidate" (saving it) and "workbook" jobs; the workbook lands in the data dir."""
    from finsheet.jobs.queue import JobQueue
    from finsheet.logs import close_logging
    from finsheet.settings import load_settings
    from finsheet.store import JobState, Store, UserRef

    settings = load_settings()
    with Store.open(settings) as store:
        queue = JobQueue(store, settings, workers=1, log_stderr=False).start()
        try:
            first = queue.submit("consolidate", {"company": "ACME", "name": "ACME annual"}, owner="ana")
            second = queue.submit("workbook", {"company": "ACME"}, owner="ana")
            done = queue.wait([first, second], timeout=120)
        finally:
            queue.shutdown()
            close_logging()
        assert [j.state for j in done] == [JobState.COMPLETED, JobState.COMPLETED], [j.error for j in done]
        saved = store.list_consolidations(UserRef(username="ana"), "ACME")
        assert [c.id for c in saved] == [done[0].result["consolidation_id"]]
    path = Path(done[1].result["path"])
    assert path.parent == stored / "workbooks" and path.stat().st_size == done[1].result["bytes"]
    assert load_workbook(path).sheetnames[:2] == ["Income statement", "Balance sheet"]


def test_cli_files(tmp_path: Path, statement_pdf: Callable[..., bytes], capsys: pytest.CaptureFixture[str]) -> None:
    """`finsheet workbook A.pdf B.pdf -o out.xlsx` extracts, consolidates and writes; the later file wins."""
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    first.write_bytes(statement_pdf(0))
    second.write_bytes(statement_pdf(5))
    out = tmp_path / "acme.xlsx"
    code = main(["workbook", str(first), str(second), "-o", str(out)])
    printed = capsys.readouterr()
    if code == 2 and "no statement" in printed.err:
        pytest.skip("the extractor does not read the generated statements yet")
    assert code == 0, printed.err
    assert "2 document(s)" in printed.out and "thousands" in printed.out and "restated value(s)" in printed.out
    ws = sheet(out, "Balance sheet")
    rows = {ws.cell(row=r, column=1).value: r for r in range(4, ws.max_row + 1)}
    assert ws.cell(row=rows["Cash and cash equivalents"], column=3).value == 1205  # b.pdf's 2023 figure


COSTCO = [SAMPLES / "series" / "COSTCO_2019_10K.pdf", SAMPLES / "series" / "COSTCO_2020_10K.pdf",
          SAMPLES / "pdfs" / "COSTCO_2021_10K.pdf"]


@pytest.mark.samples
@pytest.mark.slow
def test_costco_workbook_recalculates(tmp_path: Path, recalculate: Recalculate) -> None:
    """Three Costco 10-Ks: every formula recalculates to finsheet's figure, revenue and total assets as printed."""
    from finsheet.consolidate.mapping import ConsolidationSettings
    from finsheet.jobs.gather import from_files

    if not all(f.is_file() for f in COSTCO):
        pytest.skip("../shared/samples is absent")
    result = from_files(COSTCO, settings=ConsolidationSettings(months=12))
    if IS not in result.statements or BS not in result.statements:
        pytest.skip("the extractor does not read the Costco filings yet")
    path = tmp_path / "costco.xlsx"
    formulas = write_workbook(result, path)
    recalculated = recalculate(path, tmp_path)
    assert_recalculates(path, recalculated, formulas)
    income = sheet(recalculated, "Income statement", data_only=True)
    rows = {str(income.cell(row=r, column=1).value).lower(): r for r in range(4, income.max_row + 1)}
    assert [income.cell(row=rows["total revenue"], column=c).value for c in range(2, 7)] == [
        129025, 141576, 152703, 166761, 195929]
    assert str(sheet(path, "Income statement")[f"F{rows['total revenue']}"].value).startswith("=SUM(")
    balance = sheet(recalculated, "Balance sheet", data_only=True)
    rows = {str(balance.cell(row=r, column=1).value).lower(): r for r in range(4, balance.max_row + 1)}
    assert [balance.cell(row=rows["total assets"], column=c).value for c in range(2, 6)] == [
        40830, 45400, 55556, 59268]
    styled = sheet(path, "Balance sheet")
    assert styled.cell(row=rows["current assets"], column=1).font.i  # a heading: italic, no figures
    assert not styled.cell(row=rows["merchandise inventories"], column=1).font.i
