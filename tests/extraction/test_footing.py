"""A scanned figure read again by its statement's arithmetic (`footing.read_by_footing`): where a footing fails and
one figure in it is what OCR could have misread for the value that makes it hold (where several could, the only one
OCR doubted, or the one every failed footing of its period names), that value is read, shown doubtful with what OCR
read; anything less certain is left as read."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pdf_pages import render, two_columns
from reportlab.pdfgen import canvas

from finsheet import StatementType, extract
from finsheet.bench_ocr import scanned_copy
from finsheet.extraction.footing import misread_as, read_by_footing
from finsheet.model import LOW_CONFIDENCE, LineItem, Period, Statement

BOX = (0.0, 0.0, 1.0, 1.0)
YEARS = [Period(key="2023", label="2023"), Period(key="2022", label="2022")]

# (label, 2023, 2022, total): a balance sheet whose every footing holds
BALANCE = [
    ("Cash", "1,569", "1,505", False), ("Receivables", "1,692", "1,638", False),
    ("Inventories", "1,867", "1,820", False), ("Total current assets", "5,128", "4,963", True),
    ("Property", "3,393", "3,606", False), ("Total assets", "8,521", "8,569", True),
    ("Payables", "3,982", "3,653", False), ("Long-term debt", "1,134", "1,100", False),
    ("Total liabilities", "5,116", "4,753", True), ("Total equity", "3,405", "3,816", True),
    ("Total liabilities and equity", "8,521", "8,569", True),
]


def _value(raw: str) -> float:
    negative = raw.startswith("(") or raw.endswith(")")
    value = float(raw.strip("()$").replace(",", ""))
    return -value if negative else value


def _balance_sheet(misread: dict[str, str], extra: list[tuple[str, str, str, bool]] | None = None, *,
                   earlier: dict[str, str] | None = None) -> Statement:
    """The balance sheet with some 2023 figures (and `earlier`, some 2022 ones) printed as OCR misread them."""
    rows = list(BALANCE)
    if extra:
        rows[3:3] = extra
    items = []
    for label, now, before, total in rows:
        raw = {"2023": misread.get(label, now), "2022": (earlier or {}).get(label, before)}
        items.append(LineItem(label=label, page=1, box=BOX, is_total=total, raw=raw,
                              values={k: _value(v) for k, v in raw.items()}))
    return Statement(type=StatementType.BALANCE, title="Balance sheet", pages=[1], confidence=1.0, periods=YEARS,
                     items=items)


def _scanned(st: Statement, doubted: dict[str, float]) -> dict[tuple[int, str], float]:
    """OCR's confidence in every figure: sure (0.95) except the 2023 figures of the lines in `doubted`."""
    return {(row, key): doubted.get(it.label, 0.95) if key == "2023" else 0.95
            for row, it in enumerate(st.items) for key in it.values}


def _line(st: Statement, label: str) -> LineItem:
    return next(it for it in st.items if it.label == label)


@pytest.mark.parametrize(("label", "misread", "truth"), [
    ("Inventories", "1,667", 1867.0),  # a digit misread
    ("Inventories", "867", 1867.0),  # a digit lost
    ("Receivables", "1,6922", 1692.0),  # a digit read twice
    ("Cash", "(1,569)", 1569.0),  # a speck read as brackets
])
def test_the_one_figure_ocr_doubted_is_read_as_its_footing_gives_it(label: str, misread: str, truth: float) -> None:
    st = _balance_sheet({label: misread})
    read_by_footing(st, _scanned(st, {label: 0.55}))
    line = _line(st, label)
    assert line.values["2023"] == truth
    assert line.confidence < LOW_CONFIDENCE  # shown to the analyst: the arithmetic chose it, the page did not say it
    assert f"OCR read '{misread}'" in (line.note or "")
    assert line.raw["2023"] == misread  # what OCR read is kept as it was
    assert all(it.values["2022"] == _value(it.raw["2022"]) for it in st.items)  # the other period is untouched


def test_when_several_figures_could_be_the_misread_one_and_ocr_was_sure_of_all_they_are_left_as_read() -> None:
    """Cash (1,769) and Receivables (1,892) are one digit away from what the footing wants as well as Inventories:
    with no figure OCR doubted, the arithmetic cannot single one out."""
    st = _balance_sheet({"Inventories": "1,667"})
    read_by_footing(st, _scanned(st, {}))
    assert _line(st, "Inventories").values["2023"] == 1667.0 and _line(st, "Inventories").confidence == 1.0


@pytest.mark.parametrize("sure", [True, False])
def test_a_figure_ocr_was_sure_of_read_again_by_one_footing_leaves_that_footing_doubtful(sure: bool) -> None:
    """"3,893" for 3,393 breaks one footing (Total assets), and it alone there could have been misread so: it is read
    as 3,393. Where OCR was sure of it, one misread figure is the likeliest story but not the only one (a total and a
    line misread surely, which reading a third figure again would make foot), so the footing's other lines are shown
    doubtful too; where OCR doubted it, they stay as they were."""
    st = _balance_sheet({"Property": "3,893"})
    read_by_footing(st, _scanned(st, {} if sure else {"Property": 0.55}))
    assert _line(st, "Property").values["2023"] == 3393.0
    assert _line(st, "Property").confidence < LOW_CONFIDENCE
    others = [_line(st, label) for label in ("Total current assets", "Total assets")]
    assert all((it.confidence < LOW_CONFIDENCE) == sure for it in others), [it.confidence for it in others]
    assert all(("'Property' read again" in (it.note or "")) == sure for it in others)
    assert _line(st, "Cash").confidence == 1.0  # in no footing the reading made hold


def test_the_one_figure_every_failed_footing_of_its_period_could_have_misread_is_read_so() -> None:
    """"5,138" for 5,128 breaks two footings. In each, another figure too is one digit from what it wants (Cash or
    Inventories in one, Property in the other), and OCR was sure of all: only the total is in both, and both give
    it 5,128."""
    st = _balance_sheet({"Total current assets": "5,138"})
    read_by_footing(st, _scanned(st, {}))
    assert _line(st, "Total current assets").values["2023"] == 5128.0
    assert [it.values["2023"] for it in st.items if it.label != "Total current assets"] == [
        _value(raw) for label, raw, _, _ in BALANCE if label != "Total current assets"]


def test_a_figure_too_short_to_judge_in_the_footing_keeps_the_others_as_read() -> None:
    """A two-digit figure OCR doubted could be the misread one as well, though no resemblance can show it."""
    st = _balance_sheet({"Inventories": "1,667", "Total current assets": "5,173"},
                        extra=[("Other current assets", "45", "40", False)])
    read_by_footing(st, _scanned(st, {"Inventories": 0.55, "Other current assets": 0.55}))
    assert _line(st, "Inventories").values["2023"] == 1667.0


def test_a_value_ocr_could_not_have_read_so_is_not_taken() -> None:
    """The footing wants 1,867 of "1,234": two digits differ, no misreading explains it."""
    st = _balance_sheet({"Inventories": "1,234"})
    read_by_footing(st, _scanned(st, {"Inventories": 0.55}))
    assert _line(st, "Inventories").values["2023"] == 1234.0


def test_a_text_layer_figure_is_never_changed() -> None:
    """A text layer holds the figure as printed; a footing it breaks is the statement's own to show."""
    st = _balance_sheet({"Inventories": "1,667"})
    read_by_footing(st, {})
    assert _line(st, "Inventories").values["2023"] == 1667.0


def test_a_total_ocr_misread_is_read_from_its_lines() -> None:
    """A total that another footing does not confirm: "Total liabilities" misread foots from its two lines (its
    own balance identity uses the grand total, which holds)."""
    st = _balance_sheet({"Total liabilities": "5,416"})
    read_by_footing(st, _scanned(st, {"Total liabilities": 0.6}))
    assert _line(st, "Total liabilities").values["2023"] == 5116.0


@pytest.mark.parametrize(("raw", "value", "could"), [
    ("184", 15.4, True), ("274", 277.4, True), ("941.5)", -1941.5, True), ("$8,240", 58240.0, True),
    ("1,872", -1872.0, True), ("(1,872)", 1872.0, True), ("2.7155", 2715.5, True), ("1.40", 1.4, True),
    ("(1,679)", -1673.0, True), ("1,872", -1873.0, False), ("(1,679)", 1673.0, False), ("15.4", 15.43, False),
    ("1,234", 5678.0, False), ("1,234", 0.0, False), ("12,345", 1234.0, True), ("12,345", 123.0, False),
])
def test_what_ocr_could_have_misread(raw: str, value: float, could: bool) -> None:
    """The same sign with the digits one edit away, or the same digits with the sign lost; never a value with more
    decimals than a statement prints."""
    assert misread_as(raw, value) is could


# --------------------------------------------------------------------------- a scan, end to end

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")

# (label, 2023, 2022): an income statement whose every footing holds; the total of expenses is printed as given
INCOME = [
    ("Revenue", "262,650", "258,002"), ("Cost of sales", "(62,801)", "(64,308)"),
    ("Gross profit", "199,849", "193,694"),
    ("Distribution costs", "(78,732)", "(77,344)"), ("Administrative expenses", "(84,517)", "(83,816)"),
    ("Total expenses", "{y2023}", "{y2022}"), ("Operating profit", "36,600", "32,534"),
    ("Finance costs", "(949)", "(577)"), ("Profit before tax", "35,651", "31,957"), ("Tax", "(7,100)", "(6,200)"),
    ("Profit for the year", "28,551", "25,757"),
]
TOTALS = {"2023": "(163,249)", "2022": "(161,160)"}


def _income_statement(totals: dict[str, str]) -> bytes:
    def draw(c: canvas.Canvas) -> None:
        c.setFont("Helvetica-Bold", 12)
        c.drawString(72, 720, "Income Statement")
        c.setFont("Helvetica", 10)
        c.drawString(72, 705, "for the year ended 31 December 2023 (in thousands)")
        rows = [(label, now.format(y2023=totals["2023"], y2022=totals["2022"]),
                 before.format(y2023=totals["2023"], y2022=totals["2022"])) for label, now, before in INCOME]
        two_columns(c, ("2023", "2022"), rows, 680, columns=(430, 520), size=10)

    return render(draw)


@needs_tesseract
@pytest.mark.parametrize(("year", "printed"), [("2023", "(16,249)"), ("2022", "(11,160)")])
def test_a_scanned_total_missing_a_digit_is_read_from_the_footings_it_breaks(
    tmp_path: Path, year: str, printed: str
) -> None:
    """Printed (as a poor scan reads it) without one digit, the total of expenses breaks both footings it takes part
    in; it alone could have been misread so, and both give it the same value: it is read so, and shown doubtful. The
    same page as a text layer keeps what is printed, and its footings fail."""
    pdf = tmp_path / "is.pdf"
    pdf.write_bytes(_income_statement({**TOTALS, year: printed}))
    [scan] = [s for s in extract(scanned_copy(pdf, [1])).statements if s.type == StatementType.INCOME]
    total = _line(scan, "Total expenses")
    assert total.values[f"{year}-12-31"] == -_value(TOTALS[year].strip("()"))
    assert total.confidence < LOW_CONFIDENCE and f"OCR read '{printed}'" in (total.note or "")
    assert all(c.ok is not False for c in scan.checks)
    [text] = [s for s in extract(pdf).statements if s.type == StatementType.INCOME]
    assert _line(text, "Total expenses").values[f"{year}-12-31"] == _value(printed)
    assert any(c.ok is False for c in text.checks)


@pytest.mark.parametrize(("now", "before"), [("5,728", "4,983"), ("15,128", "4,963"), ("(5,128)", "4,96")])
def test_a_total_misread_in_every_period_is_read_as_the_lines_above_it_add_up(now: str, before: str) -> None:
    """A rule over a total's figures read into each ("5,728" and "4,983" for 5,128 and 4,963): no run of lines adds up
    to it in any period, so no footing fails to name it, yet Cash, Receivables and Inventories add up, in both
    periods, to what OCR could have read so. A period read right stays as read."""
    st = _balance_sheet({"Total current assets": now}, earlier={"Total current assets": before})
    read_by_footing(st, _scanned(st, {}))
    total = _line(st, "Total current assets")
    assert total.values == {"2023": 5128.0, "2022": 4963.0}
    assert total.confidence < LOW_CONFIDENCE and f"OCR read '{now}'" in (total.note or "")
    assert [it.values for it in st.items if it is not total] == [
        {"2023": _value(a), "2022": _value(b)} for label, a, b, _ in BALANCE if label != "Total current assets"]


def test_a_total_bracketed_in_every_period_is_the_block_deducted_not_a_misreading() -> None:
    """A UK balance sheet brackets the subtotal it deducts ("(43,109)" under creditors due after a year and
    provisions) though its lines are positive: brackets in every period are printed, and the total is left as read.
    (A bracket pair in one period only may be a misreading: see the test above.)"""
    st = _balance_sheet({"Total current assets": "(5,128)"}, earlier={"Total current assets": "(4,963)"})
    read_by_footing(st, _scanned(st, {}))
    assert _line(st, "Total current assets").values == {"2023": -5128.0, "2022": -4963.0}


@pytest.mark.parametrize(("now", "before"), [("5,728", "4,123"), ("5,728", "49")])
def test_a_total_the_lines_above_explain_in_one_period_only_is_left_as_read(now: str, before: str) -> None:
    """"4,123" is two digits from 4,963 and "49" too short to judge: one period's resemblance is no proof."""
    st = _balance_sheet({"Total current assets": now}, earlier={"Total current assets": before})
    read_by_footing(st, _scanned(st, {}))
    assert _line(st, "Total current assets").values == {"2023": 5728.0, "2022": _value(before)}



# (label, 2024, 2023, total, OCR's confidence in the 2024 figure): an income statement as a worn scan read it, two
# of its lines misread: "Income from operations" 11,730.2 as "12,7302" (its point restored, a digit wrong), and the
# 2023 "Selling, general and administrative" (5,921.3) as "5,922.3)". No footing is decided, with two periods of which
# at most one adds up.
WORN_INCOME = [
    ("Gross margin", "21,748.8", "20,180.7", True, 0.96),
    ("Selling, general and administrative", "(7,273.1)", "5,922.3)", False, 0.39),
    ("Research and development", "(2,745.5)", "(2,267.9)", False, 0.71),
    ("Income from operations", "12,730.2", "11,991.5", True, 0.5),
    ("Interest expense", "(965.7)", "(475.6)", False, 0.96),
    ("Other income (expense), net", "105.8", "27.2", False, 0.96),
    ("Income before income taxes", "10,870.3", "11,543.1", True, 0.96),
    ("Income tax (expense) benefit", "(2,616.9)", "(2,119.4)", False, 0.96),
    ("Net income", "8,253.4", "9,423.7", True, 0.96),
]


def test_a_total_one_period_of_which_a_misread_line_breaks_is_left_as_read() -> None:
    """"Income before income taxes" prints 10,870.3 in 2024, one digit from what the lines above now add up to
    (11,870.3, the misread operating income carried down), and adds up in 2023. One period's resemblance says
    nothing of which figure OCR misread there: the total, and the totals under it, stay as printed (a right figure
    is never read wrong), where a total misread in every period is read as its lines add up."""
    periods = [Period(key="2024", label="2024"), Period(key="2023", label="2023")]
    items = [LineItem(label=label, page=1, box=BOX, is_total=total, raw={"2024": now, "2023": before},
                      values={"2024": _value(now), "2023": _value(before)})
             for label, now, before, total, _ in WORN_INCOME]
    st = Statement(type=StatementType.INCOME, title="Income statement", pages=[1], confidence=1.0, periods=periods,
                   items=items)
    confidence = {(row, key): WORN_INCOME[row][4] if key == "2024" else 0.95
                  for row in range(len(items)) for key in ("2024", "2023")}
    read_by_footing(st, confidence)
    assert [it.values["2024"] for it in st.items[6:]] == [10870.3, -2616.9, 8253.4]
    assert not any("read by" in (it.note or "") for it in st.items[6:])
