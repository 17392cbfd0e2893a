"""Per-share figures split by operations: under a per-share heading ("Income per share - basic:"), "Continuing
operations" and "Discontinued operations" are per-share figures (never scaled as money); on a scan, such a figure
read without its point is read to the per-share figures' precision."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pdf_pages import render
from reportlab.pdfgen import canvas

from finsheet import StatementType, extract
from finsheet.bench_ocr import scanned_copy
from finsheet.model import LOW_CONFIDENCE, LineItem, Statement

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")

Rows = list[tuple[str, str, str, str]]

MONEY: Rows = [
    ("Net revenues", "10,420", "8,894", "10,800"), ("Cost of net revenues", "2,809", "2,366", "2,620"),
    ("Gross profit", "7,611", "6,528", "8,180"), ("Operating expenses", "5,389", "4,412", "5,702"),
    ("Income from operations", "2,222", "2,116", "2,478"), ("Income tax provision", "(1,970)", "371", "(1,045)"),
    ("Income from continuing operations", "252", "2,487", "1,433"),
    ("Income from discontinued operations, net of income taxes", "13,356", "3,180", "353"),
    ("Net income", "13,608", "5,667", "1,786"),
]


def _per_share(heading: str, parts: tuple[str, str], diluted_discontinued: str) -> Rows:
    return [
        (f"{heading} - basic:", "", "", ""), (parts[0], "0.39", "3.50", "1.69"), (parts[1], "20.48", "4.48", "0.41"),
        ("Net income per share - basic", "20.87", "7.98", "2.10"),
        (f"{heading} - diluted:", "", "", ""), (parts[0], "0.38", "3.46", "1.68"),
        (parts[1], "20.16", diluted_discontinued, "0.41"), ("Net income per share - diluted", "20.54", "7.89", "2.09"),
    ]


def _income_statement(rows: Rows) -> bytes:
    def draw(c: canvas.Canvas) -> None:
        c.setFont("Helvetica-Bold", 12)
        c.drawString(72, 730, "CONSOLIDATED STATEMENT OF INCOME")
        c.setFont("Helvetica", 9)
        c.drawString(72, 716, "(In millions, except per share amounts)")
        c.setFont("Helvetica-Bold", 9)
        c.drawRightString(540, 696, "Year Ended December 31,")
        for x, year in ((400, "2021"), (470, "2020"), (540, "2019")):
            c.drawRightString(x, 684, year)
        c.setFont("Helvetica", 9)
        y = 664.0
        for label, *figures in rows:
            c.drawString(72 if figures[0] or label.endswith(":") else 84, y, label)
            for x, figure in zip((400, 470, 540), figures, strict=True):
                c.drawRightString(x, y, figure)
            y -= 14

    return render(draw)


def _income(doc_statements: list[Statement]) -> Statement:
    return next(st for st in doc_statements if st.type == StatementType.INCOME)


def _lines(st: Statement, label: str) -> list[LineItem]:
    return [it for it in st.items if it.label == label]


@pytest.mark.parametrize("heading", ["Income per share", "Earnings per share", "Net income (loss) per share"])
@pytest.mark.parametrize("parts", [("Continuing operations", "Discontinued operations"), ("Continuing", "Discontinued"),
                                   ("Income from continuing operations", "Income from discontinued operations")])
def test_the_results_parts_under_a_per_share_heading_are_per_share(heading: str, parts: tuple[str, str]) -> None:
    st = _income(extract(_income_statement(MONEY + _per_share(heading, parts, "4.43"))).statements)
    per_share = [it for label in parts for it in _lines(st, label) if it.values.get("2021-12-31", 0) < 100]
    assert len(per_share) == 4 and all(it.unit == "per_share" for it in per_share)
    # the money lines of the same names above the per-share block stay money
    money = _lines(st, "Income from continuing operations")
    assert money[0].values["2021-12-31"] == 252 and money[0].unit is None


@needs_tesseract
def test_a_scanned_per_share_figure_without_its_point_is_read_to_their_precision(tmp_path: Path) -> None:
    """'443' among per-share figures printed to two decimals is 4.43 read without its point, shown as doubtful
    (the statement's money, printed whole, is read as printed)."""
    pdf = tmp_path / "is.pdf"
    pdf.write_bytes(_income_statement(MONEY + _per_share("Income per share", ("Continuing operations",
                                                                               "Discontinued operations"), "443")))
    st = _income(extract(scanned_copy(pdf, [1])).statements)
    diluted = _lines(st, "Discontinued operations")[-1]
    assert diluted.values["2020-12-31"] == 4.43 and diluted.confidence < LOW_CONFIDENCE
    assert _lines(st, "Net income")[0].values["2021-12-31"] == 13608


MILLIONS: Rows = [
    ("Revenue", "3,709.9", "2,960.2", "2,530.6"), ("Operating expenses", "3,079.3", "2,312.5", "2,030.2"),
    ("Income from continuing operations", "630.6", "647.7", "500.4"),
    ("Discontinued operations, net of tax", "17.4", "1,031.7", "49.8"),
    ("Net income attributable to the Company", "648.0", "1,679.4", "550.2"),
]


@pytest.mark.parametrize("heading", ["Basic earnings per common share from:", "Earnings per share - basic"])
def test_qualified_results_printing_cents_under_a_per_share_heading_are_per_share(heading: str) -> None:
    """Under a per-share heading, lines naming the result with a qualifier ("... attributable to the Company",
    "..., net of tax") whose figures print cents are per share; the same names above, in money, stay money, and so
    does a line after the block that prints no cents."""
    block: Rows = [
        (heading, "", "", ""),
        ("Income from continuing operations attributable to the Company", "1.31", "1.86", "1.54"),
        ("Discontinued operations, net of tax", "0.09", "5.39", "0.26"),
        ("Net income attributable to the Company", "1.40", "7.25", "1.80"),
        ("Net income attributable to noncontrolling interests", "15.2", "15.0", "12.4"),
    ]
    st = _income(extract(_income_statement(MILLIONS + block)).statements)
    for label in ("Discontinued operations, net of tax", "Net income attributable to the Company"):
        money, per_share = _lines(st, label)
        assert money.unit is None and per_share.unit == "per_share", (money, per_share)
    assert _lines(st, "Income from continuing operations attributable to the Company")[0].unit == "per_share"
    assert _lines(st, "Net income attributable to noncontrolling interests")[0].unit is None


def _qualified_block(heading: str, basic: tuple[str, str, str], diluted: tuple[str, str, str] | None) -> Rows:
    """A per-share block whose lines name the result with qualifiers; `basic` and `diluted` are the printed
    figures of their income from continuing operations (None: no diluted block)."""
    rows: Rows = [
        (f"Basic {heading}", "", "", ""),
        ("Income from continuing operations attributable to the Company", *basic),
        ("Discontinued operations, net of tax", "0.09", "5.39", "0.26"),
        ("Net income attributable to the Company", "1.40", "7.25", "1.80"),
    ]
    if diluted:
        rows += [
            (f"Diluted {heading}", "", "", ""),
            ("Income from continuing operations attributable to the Company", *diluted),
            ("Discontinued operations, net of tax", "0.09", "5.35", "0.26"),
            ("Net income attributable to the Company", "1.40", "7.19", "1.79"),
        ]
    return [*rows, ("Net income attributable to noncontrolling interests", "15.2", "15.0", "12.4")]


@needs_tesseract
@pytest.mark.parametrize("heading", ["earnings per common share from:", "earnings per share"])
@pytest.mark.parametrize(("basic", "diluted"), [
    (("131", "1.86", "1.54"), ("1.31", "184", "1.53")),
    (("131", "186", "1.54"), ("131", "184", "1.53")),
])
def test_scanned_cents_read_without_their_point_stay_per_share(
    tmp_path: Path, heading: str, basic: tuple[str, str, str], diluted: tuple[str, str, str]
) -> None:
    """OCR loses a small figure's point ("131" for "1.31"). Under a per-share heading, a line naming the result
    whose figures print cents, or digits where the others print cents, is still per share: its run of digits is
    cents read again to the per-share figures' precision and shown as doubtful, never money of the statement's
    one-decimal precision (13.1). A line after the block that prints no cents stays money."""
    pdf = tmp_path / "is.pdf"
    pdf.write_bytes(_income_statement(MILLIONS + _qualified_block(heading, basic, diluted)))
    st = _income(extract(scanned_copy(pdf, [1])).statements)
    continuing = _lines(st, "Income from continuing operations attributable to the Company")
    assert [it.unit for it in continuing] == ["per_share", "per_share"]
    assert list(continuing[0].values.values()) == [1.31, 1.86, 1.54]
    assert list(continuing[1].values.values()) == [1.31, 1.84, 1.53]
    assert all(it.confidence < LOW_CONFIDENCE for it in continuing)
    assert all(it.unit == "per_share" for it in _lines(st, "Net income attributable to the Company")[1:])
    assert _lines(st, "Net income attributable to noncontrolling interests")[0].unit is None


@needs_tesseract
def test_too_few_per_share_figures_to_know_their_precision_show_a_lost_point_as_doubtful(tmp_path: Path) -> None:
    """With too few per-share figures to know their precision, a run of digits among cents is kept as read but shown
    to the analyst as doubtful."""
    block = _qualified_block("earnings per share", ("131", "1.86", "1.54"), None)
    pdf = tmp_path / "is.pdf"
    pdf.write_bytes(_income_statement(MILLIONS + block[:2]))
    st = _income(extract(scanned_copy(pdf, [1])).statements)
    [continuing] = _lines(st, "Income from continuing operations attributable to the Company")
    assert continuing.unit == "per_share" and continuing.confidence < LOW_CONFIDENCE


@pytest.mark.parametrize(("basic", "diluted"), [("Basic", "Diluted"), ("Basi", "Diluted"), ('"Basic', "Dilut"),
                                                ("\u201cBasic", "'Diluted")])
def test_basic_and_diluted_as_ocr_reads_them_take_their_headings_unit(basic: str, diluted: str) -> None:
    """A scan's "Basic" may come with a rule's end read as a quote mark before it, or lose its last letters against a
    grid's upright rule: under a per-share heading it is still a per-share line, under a share count's a count."""
    rows = MONEY + [
        ("Net income per share:", "", "", ""), (basic, "2.62", "2.57", "2.10"), (diluted, "2.57", "2.52", "2.09"),
        ("Weighted average shares outstanding:", "", "", ""), (basic, "1,483", "1,483", "1,478"),
        (diluted, "1,513", "1,511", "1,502")]
    st = _income(extract(_income_statement(rows)).statements)
    units = [(it.values["2021-12-31"], it.unit) for it in st.items if "asi" in it.label or "ilut" in it.label]
    assert units == [(2.62, "per_share"), (2.57, "per_share"), (1483, "shares"), (1513, "shares")]
