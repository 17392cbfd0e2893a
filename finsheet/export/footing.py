"""The workbook's view of a statement's structure: the same model the extraction's checks use
(`finsheet.extraction.structure`), decided on the consolidated rows, and the formulas that write it.

    structure = find_footings(consolidated_statement)     # Structure; rows are account indices
    signed_formula("C", [(3, 1), (5, -1), (6, -1)], 4)    # 'C7-SUM(C9:C10)'

One algorithm decides which lines a total adds up and with which signs; this module only adapts a consolidated
statement to it and turns its terms into spreadsheet formulas.
"""

from __future__ import annotations

from collections.abc import Sequence

from finsheet.consolidate.model import ConsolidatedStatement
from finsheet.extraction.structure import Footing, Structure, Term, statement_structure
from finsheet.model import Statement

__all__ = ["Footing", "Structure", "find_footings", "model_values", "plain_statement", "signed_formula"]


def plain_statement(statement: ConsolidatedStatement) -> Statement:
    """The consolidated rows as a plain `Statement`, in account order (item i is account i): what the structure and
    the checks take."""
    return statement.to_statement(scale=1, currency=None)


def find_footings(statement: ConsolidatedStatement) -> Structure:
    """The structure of a consolidated statement: footings by account index."""
    return statement_structure(plain_statement(statement))


def _runs(rows: Sequence[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for row in sorted(rows):
        if runs and row == runs[-1][-1] + 1:
            runs[-1].append(row)
        else:
            runs.append([row])
    return runs


def _cells(column: str, rows: Sequence[int], prefix: str) -> tuple[str, int]:
    """'B4:B6,B9' for the rows, and how many separate references that is."""
    runs = _runs(rows)
    text = ",".join(
        f"{prefix}{column}{run[0]}" if len(run) == 1 else f"{prefix}{column}{run[0]}:{column}{run[-1]}" for run in runs
    )
    single = len(runs) == 1 and len(runs[0]) == 1
    return text, 1 if single else 2


def signed_formula(column: str, terms: Sequence[Term], first_row: int, sheet: str = "") -> str:
    """The terms (row index, sign) of one column as a formula without '=': 'SUM(B4:B6,B9)', 'B3-SUM(B4:B6)',
    'B3-B4', '-SUM(B4:B5)'; rows are counted from `first_row`, optionally on another `sheet`."""
    prefix = f"'{sheet}'!" if sheet else ""
    plus = [first_row + r for r, s in terms if s > 0]
    minus = [first_row + r for r, s in terms if s < 0]
    if not plus and not minus:
        return "0"
    if not minus:
        return f"SUM({_cells(column, plus, prefix)[0]})"

    def group(rows: list[int]) -> str:
        text, refs = _cells(column, rows, prefix)
        return text if refs == 1 else f"SUM({text})"

    return (group(plus) if plus else "") + "-" + group(minus)


def model_values(structure: Structure) -> list[list[float | None]]:
    """Each row's value per period as the workbook computes it: a decided total is the signed sum of its parts'
    computed values (a blank counts as nil, as in a spreadsheet); every other line is as printed."""
    out: list[list[float | None]] = [list(line.values) for line in structure.lines]
    for t in sorted(structure.footings):
        footing = structure.footings[t]
        for i, printed in enumerate(structure.lines[t].values):
            terms = footing.terms(i)
            if printed is None or terms is None:
                continue
            out[t][i] = sum(s * (out[r][i] or 0.0) for r, s in terms)
    return out
