"""Which lines are totals, on generated layouts: a result named by its label ("Income (loss) from operations") is a
total whether or not it is set in bold, its check says whether it foots, and a line that is one part of the next
sum ("Income from discontinued operations") is not."""

from __future__ import annotations

import pytest
from layouts import statement
from pdf_pages import render, statement_page

from finsheet import StatementType
from finsheet.model import Statement

OPERATIONS = ["Income from operations", "Income (loss) from operations", "(Loss) income from operations",
              "Loss from operations", "Income / (loss) from operations", "Operating income"]
CONTINUING = ["Income from continuing operations", "Income (loss) from continuing operations",
              "Income from continuing operations, net of tax"]


def _income(operations: str, continuing: str, *, expenses_negative: bool) -> bytes:
    """An income statement whose expenses print positive (subtracted) or in brackets (added)."""
    sign = -1 if expenses_negative else 1
    rows = [("Revenue", 0, 10_000, 9_000), ("Cost of revenue", 0, sign * 6_000, sign * 5_500),
            ("Gross profit", 0, 4_000, 3_500), ("Operating expenses:", 0, None, None),
            ("Selling, general and administrative", 1, sign * 1_500, sign * 1_400),
            ("Research and development", 1, sign * 1_000, sign * 900),
            ("Total operating expenses", 0, sign * 2_500, sign * 2_300),
            (operations, 0, 1_500, 1_200), ("Interest expense", 0, sign * 200, sign * 150),
            ("Income before income taxes", 0, 1_300, 1_050), ("Provision for income taxes", 0, sign * 300, sign * 250),
            (continuing, 0, 1_000, 800), ("Income from discontinued operations, net of tax", 0, 100, 50),
            ("Net income", 0, 1_100, 850)]
    return render(statement_page("KESTREL SYSTEMS INC.", "CONSOLIDATED STATEMENTS OF OPERATIONS", rows))


def _footing(income: Statement, label: str) -> list[bool | None]:
    return [c.ok for c in income.checks if c.name == "subtotal_foots" and c.detail.split(":")[1].strip()
            .startswith(f"{label} =")]


@pytest.mark.parametrize("expenses_negative", [False, True])
@pytest.mark.parametrize(("operations", "continuing"), list(zip(OPERATIONS, CONTINUING * 2, strict=True)))
def test_the_result_of_operations_is_a_total_that_foots(operations: str, continuing: str,
                                                        expenses_negative: bool) -> None:
    income = statement(_income(operations, continuing, expenses_negative=expenses_negative), StatementType.INCOME)
    totals = {it.label: it.is_total for it in income.items}
    assert totals[operations] and totals[continuing]
    assert not totals["Income from discontinued operations, net of tax"]
    assert _footing(income, operations) == [True, True]
    assert _footing(income, continuing) == [True, True]
