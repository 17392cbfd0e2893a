"""The reporting company's name (`company`): the same name whatever the statements' scope, registration or the
headings a scanned line ran into, and never a line that names no company."""

from __future__ import annotations

import pytest
from pdf_pages import centred_lines, render, two_columns
from reportlab.pdfgen import canvas

from finsheet import extract
from finsheet.extraction.company import company_name, names_only_a_company
from finsheet.extraction.detect import company_from_text


@pytest.mark.parametrize(("entity", "name"), [
    ("BCB Bancorp, Inc. and Subsidiaries", "BCB Bancorp, Inc."),  # the scope: the group the statements cover
    ("THE COCA-COLA COMPANY AND SUBSIDIARIES", "THE COCA-COLA COMPANY"),
    ("Safe & Green Holdings Corp. & its controlled entities", "Safe & Green Holdings Corp."),
    ("TRANSUNION AND SUBSIDIARIES", "TRANSUNION"),  # no legal form printed: the name before the scope
    ("First Mid Bancshares, Inc. (Parent Company Only)", "First Mid Bancshares, Inc."),
    ("Ashley Wilde Group Limited (Registered number: 00477955)", "Ashley Wilde Group Limited"),
    ("WADWORTH and Company Limited Notes 2016 2015", "WADWORTH and Company Limited"),  # headings run in
    ("Zara UK Limited oo", "Zara UK Limited"),  # a scan's specks after the name
    ("Mercurity Fintech Holding Inc. (formerly JMU Limited)", "Mercurity Fintech Holding Inc."),
    ("Kelly Partners Group Holdings Limited", "Kelly Partners Group Holdings Limited"),  # forms inside a name
    ("BEST BUY CO., INC.", "BEST BUY CO., INC."),
    ("Nestlé S.A.", "Nestlé S.A."),
    ("Blackstone L.P.", "Blackstone L.P."),
    ("Parent Company Only", None),  # a scope alone
    ("Group Company", None),  # the headings over a group's and a company's columns
    ("FORMERLY KNOWN AS JMU LIMITED", None),  # a former name
    ("Company number 6005142", None),  # a registration
])
def test_an_entity_line_gives_the_company_without_scope_registration_or_what_follows(
        entity: str, name: str | None) -> None:
    assert company_name(entity) == name


def test_a_running_header_names_the_company_beside_the_report_its_year_and_the_folio() -> None:
    texts = ["YELLOW PAGES LIMITED ANNUAL REPORT 2022 34\nAssets", "36 YELLOW PAGES LIMITED\nLiabilities",
             "Annual Report & Accounts 2022 Yellow Pages Limited 38"]
    assert company_from_text(texts) == "YELLOW PAGES LIMITED"


ROWS = [("Cash", "1,200", "1,000"), ("Receivables", "800", "700"), ("Total assets", "2,000", "1,700"),
        ("Payables", "900", "850"), ("Shareholders' equity", "1,100", "850"),
        ("Total liabilities and shareholders' equity", "2,000", "1,700")]


def _balance_sheet(*heading: str):
    def draw(c: canvas.Canvas) -> None:
        y = centred_lines(c, [*heading, "CONSOLIDATED BALANCE SHEETS", "(in thousands of U.S. dollars)"], 740)
        two_columns(c, ("2023", "2022"), ROWS, y - 10, columns=(430, 530), size=9)

    return draw


@pytest.mark.parametrize(("heading", "company"), [
    (("NORTHWIND TRADING CORP. AND SUBSIDIARIES",), "NORTHWIND TRADING CORP."),
    (("NORTHWIND AND SUBSIDIARIES",), "NORTHWIND"),  # no legal form: the scope marks the entity line
    (("NORTHWIND TRADING CORP.", "(FORMERLY KNOWN AS EASTWIND LIMITED)"), "NORTHWIND TRADING CORP."),
    (("NORTHWIND TRADING CORP.", "Company number 01234567"), "NORTHWIND TRADING CORP."),
], ids=["scope", "scope, no legal form", "former name under it", "registration under it"])
def test_a_statements_entity_is_the_company_line_over_its_title(heading: tuple[str, ...], company: str) -> None:
    """The line nearest the title is not the entity when it gives a former name or a registration: the company's
    line above it is; the company is that line without its scope."""
    doc = extract(render(_balance_sheet(*heading)))
    assert [st.entity for st in doc.statements] == [heading[0]]
    assert doc.company == company


@pytest.mark.parametrize(("line", "alone"), [
    ("Ulta Beauty, Inc.", True),
    ("KESTREL LOGISTICS PLC", True),
    ("Bank of the Ozarks Inc.", True),
    ("Tallis Medical Corporation and Subsidiaries", True),
    ("Available-for-sale securities of TransUnion Intermediate Holdings, Inc.", False),
    ("Net income attributable to Ulta Beauty, Inc.", False),
    ("Store Update", False),
    ("Inc.", False),
])
def test_a_line_naming_only_a_company(line: str, alone: bool) -> None:
    """A company's name alone, bar its scope, in capitals or capitalised words: the first line of a title block; a
    label that ends on the name is a line item."""
    assert names_only_a_company(line) is alone
