"""A statement printed as two tables on one page (13 weeks beside 52 weeks) becomes one statement
(`parse.merge_split_statements`); each line keeps what either table's reading said of it: its lower confidence and
its notes."""

from __future__ import annotations

from finsheet.extraction.parse import merge_split_statements
from finsheet.model import LineItem, Period, Statement, StatementType

LABELS = ["Net sales", "Cost of sales", "Gross profit", "Operating income", "Net income"]


def _table(key: str, doubtful: dict[str, tuple[float, str]]) -> Statement:
    """One of the two tables: every line read surely, but those in `doubtful` (confidence and note)."""
    items = [LineItem(label=label, page=3, box=(0.0, 0.0, 1.0, 1.0), values={key: 100.0 + k}, raw={key: str(100 + k)},
                      confidence=doubtful.get(label, (0.96, ""))[0], note=doubtful.get(label, (0.96, ""))[1] or None)
             for k, label in enumerate(LABELS)]
    return Statement(type=StatementType.INCOME, title="Income statement", pages=[3], confidence=0.9,
                     periods=[Period(key=key, label=key)], items=items)


def test_a_line_doubted_in_the_second_table_stays_doubted_in_the_joined_statement() -> None:
    first = _table("13 weeks", {"Net income": (0.9, "4")})
    reread = "read by the footing: OCR read '1O2'"
    second = _table("52 weeks", {"Gross profit": (0.5, reread), "Net income": (0.9, "4")})
    (joined,) = merge_split_statements([first, second])
    lines = {it.label: it for it in joined.items}
    assert lines["Gross profit"].values == {"13 weeks": 102.0, "52 weeks": 102.0}
    assert lines["Gross profit"].confidence == 0.5
    assert lines["Gross profit"].note == reread
    assert lines["Net income"].note == "4"  # the same note reference in both tables, said once
    assert lines["Net sales"].confidence == 0.96
