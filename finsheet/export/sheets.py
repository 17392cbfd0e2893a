"""The supporting sheets of the workbook: Checks (formulas that evaluate to TRUE/FALSE), Restatements, Sources (the
document, page and printed text behind every value) and Notes (documents, matches, overrides, warnings).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from finsheet.consolidate.mapping import normalise
from finsheet.consolidate.model import ConsolidatedStatement, Consolidation, Source
from finsheet.model import StatementType

if TYPE_CHECKING:
    from finsheet.export.workbook import StatementLayout, WorkbookFormulas

BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
FIRST_ROW = 4
"""Statement sheets' first account row (HEADER_ROWS + 1 in workbook.py)."""


def number_format(values: list[float | None], unit: str | None) -> str:
    """Thousands separators, negatives in parentheses, nil as a dash; as many decimals as the values need (≤ 3)."""
    if unit == "per_share":
        decimals = 2
    elif unit == "percent":
        decimals = 1
    else:
        decimals = next(
            (d for d in range(4) if all(abs(round(v, d) - v) < 1e-9 for v in values if v is not None)), 3
        )
    body = "#,##0" + ("." + "0" * decimals if decimals else "")
    return f'{body};({body});"–"'


def _header(ws: Worksheet, title: str, columns: Sequence[tuple[str, float]], note: str = "") -> None:
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"] = note
    for i, (name, width) in enumerate(columns, start=1):
        cell = ws.cell(row=3, column=i, value=name)
        cell.font, cell.fill = BOLD, HEADER_FILL
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A4"
    ws.print_title_rows = "1:3"
    ws.auto_filter.ref = f"A3:{get_column_letter(len(columns))}3"


def _tolerance_formula(diff: str, printed: str) -> str:
    # The same test as footing._close: within a millionth, or a billionth of the amount for large ones.
    return f"=ABS({diff})<=MAX(0.000001,0.000000001*ABS({printed}))"


def write_checks(
    ws: Worksheet, consolidation: Consolidation, layouts: dict[str, StatementLayout], formulas: WorkbookFormulas
) -> None:
    """Each check as live formulas: the printed figure, what it should be, the difference, and TRUE/FALSE."""
    _header(
        ws,
        "Checks",
        [("Statement", 22), ("Check", 60), ("Period", 12), ("Printed", 14), ("Computed", 14), ("Difference", 12),
         ("OK", 8), ("Detail", 60)],
        f"{consolidation.scale_label}; TRUE where the printed figure equals what its lines add up to",
    )
    r = FIRST_ROW
    for kind, statement in consolidation.statements.items():
        layout = layouts[kind.value]
        sheet = layout.sheet
        columns = {p.key: statement.frame[p.key].to_list() for p in statement.periods}
        for t, footing in layout.footings.items():
            account = statement.accounts[t]
            how = "sum of its lines"
            if footing.base is not None:
                how = f"{statement.accounts[footing.base].label} less its lines"
            for p in statement.periods:
                printed = columns[p.key][t]
                if printed is None:
                    continue
                col = layout.columns[p.key]
                diff = footing.differences.get(p.key, 0.0)
                ws.cell(row=r, column=1, value=kind.display_name)
                ws.cell(row=r, column=2, value=f"{account.label} = {how}")
                ws.cell(row=r, column=3, value=p.label)
                formulas.put(ws, f"D{r}", f"='{sheet}'!{col}{FIRST_ROW + t}", printed)
                formulas.put(ws, f"E{r}", "=" + footing.formula(col, FIRST_ROW, sheet), printed - diff)
                formulas.put(ws, f"F{r}", f"=D{r}-E{r}", diff)
                formulas.put(ws, f"G{r}", _tolerance_formula(f"F{r}", f"D{r}"), p.key in footing.matched)
                fmt = number_format([printed, printed - diff], None)
                for c in "DEF":
                    ws[f"{c}{r}"].number_format = fmt
                r += 1
        r = _balance_identity(ws, r, statement, layout, formulas, columns)
    # The extraction's own checks, re-run on the consolidated periods. They allow a rounding slack of their own
    # (see Detail), so their verdict is written as it is rather than recomputed here with a different tolerance.
    if any(st.checks for st in consolidation.statements.values()):
        r += 1
        ws.cell(row=r, column=1, value="Checks re-run on the consolidated periods (verdict allows rounding slack)")
        ws.cell(row=r, column=1).font = BOLD
        r += 1
    for kind, statement in consolidation.statements.items():
        for check in statement.checks:
            ws.cell(row=r, column=1, value=kind.display_name)
            ws.cell(row=r, column=2, value=check.name)
            ws.cell(row=r, column=3, value=next((p.label for p in statement.periods if p.key == check.period),
                                                check.period))
            ws.cell(row=r, column=7, value=check.ok)
            ws.cell(row=r, column=8, value=check.detail)
            if check.expected is not None and check.actual is not None:
                ws.cell(row=r, column=4, value=check.expected)
                ws.cell(row=r, column=5, value=check.actual)
                formulas.put(ws, f"F{r}", f"=D{r}-E{r}", check.expected - check.actual)
            r += 1


_ASSETS = re.compile(r"total assets")
_BOTH = re.compile(r"total liabilities and (stockholders |shareholders |members |partners )?"
                   r"(equity|deficit|capital|net assets)|total equity and liabilities")
_LIABILITIES = re.compile(r"total liabilities")
_EQUITY = re.compile(r"total (stockholders |shareholders |members )?(equity|deficit)( deficit)?")


def _balance_identity(
    ws: Worksheet,
    r: int,
    statement: ConsolidatedStatement,
    layout: StatementLayout,
    formulas: WorkbookFormulas,
    columns: dict[str, list[float | None]],
) -> int:
    """Total assets = total liabilities and equity (or total liabilities + total equity), as live formulas."""
    if statement.type != StatementType.BALANCE:
        return r
    labels = [normalise(a.label) for a in statement.accounts]

    def last(regex: re.Pattern[str]) -> int | None:
        return next((i for i in reversed(range(len(labels))) if regex.fullmatch(labels[i])), None)

    assets, both = last(_ASSETS), last(_BOTH)
    parts = [both] if both is not None else [last(_LIABILITIES), last(_EQUITY)]
    if assets is None or any(p is None for p in parts):
        return r
    rows = [p for p in parts if p is not None]
    name = " + ".join(statement.accounts[p].label for p in rows)
    for p in statement.periods:
        a, others = columns[p.key][assets], [columns[p.key][i] for i in rows]
        if a is None or any(v is None for v in others):
            continue
        col, sheet = layout.columns[p.key], layout.sheet
        computed = sum(v for v in others if v is not None)
        ws.cell(row=r, column=1, value=statement.type.display_name)
        ws.cell(row=r, column=2, value=f"{statement.accounts[assets].label} = {name}")
        ws.cell(row=r, column=3, value=p.label)
        formulas.put(ws, f"D{r}", f"='{sheet}'!{col}{FIRST_ROW + assets}", a)
        formulas.put(ws, f"E{r}", "=" + "+".join(f"'{sheet}'!{col}{FIRST_ROW + i}" for i in rows), computed)
        formulas.put(ws, f"F{r}", f"=D{r}-E{r}", a - computed)
        ok = abs(a - computed) <= max(1e-6, 1e-9 * abs(a))
        formulas.put(ws, f"G{r}", _tolerance_formula(f"F{r}", f"D{r}"), ok)
        r += 1
    return r


def _where(sources: Iterable[Source]) -> tuple[str, int | str, str]:
    """Document(s), page(s) (a number when there is one) and printed text of the sources of one value."""
    items = list(sources)
    pages = list(dict.fromkeys(s.page for s in items))
    return (
        "; ".join(dict.fromkeys(s.document for s in items)),
        pages[0] if len(pages) == 1 else "; ".join(map(str, pages)),
        "; ".join(s.raw or "" for s in items),
    )


def write_restatements(ws: Worksheet, consolidation: Consolidation, formulas: WorkbookFormulas) -> None:
    """Every value an older document printed differently, both values and both sources."""
    _header(
        ws,
        "Restatements",
        [("Statement", 22), ("Account", 44), ("Period", 12), ("Value used", 14), ("From", 28), ("Page", 8),
         ("Earlier value", 14), ("Earlier document", 28), ("Page", 8), ("Difference", 14), ("What", 20)],
        "The most recent document's figure is used; an earlier document printed another (blank: not reported)",
    )
    for r, item in enumerate(consolidation.restatements, start=FIRST_ROW):
        doc, page, _ = _where(item.source)
        old_doc, old_page, _ = _where(item.previous_source)
        row: list[Any] = [item.type.display_name, item.label, item.period, item.value, doc, page, item.previous,
                          old_doc, old_page]
        for c, value in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=value)
        diff = None if item.value is None or item.previous is None else item.value - item.previous
        formulas.put(ws, f"J{r}", f'=IF(AND(ISNUMBER(D{r}),ISNUMBER(G{r})),D{r}-G{r},"")', diff)
        ws.cell(row=r, column=11, value=item.kind)


def write_sources(ws: Worksheet, consolidation: Consolidation) -> None:
    """The document, page and printed text behind every value of every statement sheet."""
    _header(
        ws,
        "Sources",
        [("Statement", 22), ("Account", 44), ("Period", 12), ("Value", 14), ("Printed", 14), ("Document", 30),
         ("Page", 8)],
        f"Values in {consolidation.scale_label}; 'Printed' is the text as it appears on the page",
    )
    r = FIRST_ROW
    for kind, statement in consolidation.statements.items():
        columns = {p.key: statement.frame[p.key].to_list() for p in statement.periods}
        for i, account in enumerate(statement.accounts):
            for p in statement.periods:
                value = columns[p.key][i]
                for source in statement.sources.get((account.id, p.key), []):
                    ws.append([kind.display_name, account.label, p.label, value, source.raw, source.document,
                               source.page])
                    r += 1


def write_notes(ws: Worksheet, consolidation: Consolidation) -> None:
    """What went into the workbook: documents, scale, label matches, overrides and warnings."""
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 50
    ws.column_dimensions["C"].width = 50
    ws.column_dimensions["D"].width = 10
    ws.column_dimensions["E"].width = 30

    def block(title: str, rows: Iterable[Sequence[Any]]) -> None:
        ws.append([])
        ws.append([title])
        ws.cell(row=ws.max_row, column=1).font = BOLD
        for row in rows:
            ws.append(list(row))

    ws["A1"] = f"{consolidation.company or 'Consolidation'} — notes"
    ws["A1"].font = Font(bold=True, size=13)
    ws.append(["Scale", consolidation.scale_label])
    block(
        "Documents (oldest first; a later one wins where periods overlap)",
        [(d.file, d.sha256, d.latest.isoformat() if d.latest else "") for d in consolidation.documents],
    )
    block(
        "Label matches (source → target, score 0–100)",
        [(s.source_label, s.target_label, s.type.display_name, s.score, s.reason if s.applied else "suggested only")
         for s in consolidation.suggestions],
    )
    o = consolidation.overrides
    block(
        "Overrides",
        [
            *(("merge", m.source, m.target) for m in [*o.merge, *o.accepted]),
            *(("rename", a, label) for a, label in o.rename.items()),
            *(("exclude", a) for a in o.exclude),
            *(("reorder", kind, ", ".join(ids)) for kind, ids in o.reorder.items()),
        ],
    )
    block("Excluded accounts", [(a.label, a.id) for a in consolidation.excluded])
    block("Warnings", [(w,) for w in consolidation.warnings])
