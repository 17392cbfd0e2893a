"""The analyst's workbook (openpyxl): one sheet per statement type, then Checks, Restatements, Sources and Notes.

    write_workbook(consolidation, path_or_buffer) -> WorkbookFormulas
    build_workbook_bytes(consolidation) -> bytes

Numbers are numbers in the consolidation's scale (named in each sheet's header, e.g. "USD millions"). A total is an
`=SUM(...)` formula over its lines where the printed total equals that sum (see `footing.py`), otherwise the printed
value with a comment saying by how much it differs. Change, % change, CAGR and common-size columns are formulas
that leave a blank rather than an error (no value, a zero base). Every formula cell is recorded with the value
finsheet computed for it, so a test can recalculate the file with a real spreadsheet engine and compare.
"""

from __future__ import annotations

import gc
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from finsheet.consolidate import analysis
from finsheet.consolidate.model import ConsolidatedStatement, Consolidation
from finsheet.errors import ExportError
from finsheet.export.footing import Footing, find_footings
from finsheet.export.sheets import number_format, write_checks, write_notes, write_restatements, write_sources
from finsheet.export.spread import write_spread_sheets

HEADER_ROWS = 3
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
HEADING = Font(italic=True, color="44546A")
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
WRAP = Alignment(wrap_text=True, vertical="bottom", horizontal="center")
PERCENT = '0.0%;-0.0%;"–"'
AUTHOR = "finsheet"


@dataclass
class WorkbookFormulas:
    """Every formula written, by (sheet, cell), with the value finsheet computed for it (None: blank)."""

    expected: dict[tuple[str, str], float | bool | None] = field(default_factory=dict)

    def put(self, ws: Worksheet, cell: str, formula: str, value: float | bool | None) -> None:
        ws[cell] = formula
        self.expected[(ws.title, cell)] = value

    def put_at(self, ws: Worksheet, row: int, column: int, formula: str, value: float | bool | None) -> Cell:
        """Like `put`, addressed by numbers (much faster than parsing 'B7' on large sheets)."""
        cell = ws.cell(row=row, column=column, value=formula)
        self.expected[(ws.title, f"{get_column_letter(column)}{row}")] = value
        return cell


@dataclass(frozen=True, slots=True)
class StatementLayout:
    """Where things are on one statement sheet, for the other sheets to refer to."""

    sheet: str
    rows: dict[str, int]
    """Account id -> worksheet row."""
    columns: dict[str, str]
    """Period key -> column letter."""
    footings: dict[int, Footing]


def write_workbook(consolidation: Consolidation, target: str | Path | IO[bytes]) -> WorkbookFormulas:
    """Write the workbook to a path or a binary buffer. Raises ExportError when there is nothing to write."""
    if not consolidation.statements:
        raise ExportError("nothing to write: no statement could be consolidated from these documents")
    with _gc_paused():
        return _write(consolidation, target)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """openpyxl makes ~10 objects per cell and none of them cyclic; the cyclic collector running over them (and
    everything else alive) over and over took half the time of a large workbook. Paused here, restored after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _write(consolidation: Consolidation, target: str | Path | IO[bytes]) -> WorkbookFormulas:
    wb = Workbook()
    formulas = WorkbookFormulas()
    layouts: dict[str, StatementLayout] = {}
    first = True
    for kind, statement in consolidation.statements.items():
        ws = wb.active if first else wb.create_sheet()
        assert ws is not None
        first = False
        ws.title = kind.display_name[:31]
        layouts[kind.value] = _write_statement(ws, statement, consolidation, formulas)
    write_checks(wb.create_sheet("Checks"), consolidation, layouts, formulas)
    write_restatements(wb.create_sheet("Restatements"), consolidation, formulas)
    write_sources(wb.create_sheet("Sources"), consolidation)
    write_notes(wb.create_sheet("Notes"), consolidation)
    write_spread_sheets(wb, consolidation, layouts, formulas)  # Spread, Ratios, Mapping; splits in Notes
    try:
        wb.save(target)
    except OSError as exc:
        raise ExportError(f"cannot write the workbook: {exc}") from exc
    return formulas


def build_workbook_bytes(consolidation: Consolidation) -> bytes:
    """The workbook as bytes (for a download button or the job queue)."""
    buffer = io.BytesIO()
    write_workbook(consolidation, buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------- statement sheets


def _write_statement(
    ws: Worksheet, statement: ConsolidatedStatement, consolidation: Consolidation, formulas: WorkbookFormulas
) -> StatementLayout:
    table = analysis.analyse(statement, consolidation.settings)
    pairs = analysis.pairs(statement)
    span = analysis.span(statement)
    base = analysis.common_size_base(statement, consolidation.settings)
    footings = find_footings(statement)
    periods = statement.periods
    first_row = HEADER_ROWS + 1
    rows = {a.id: first_row + i for i, a in enumerate(statement.accounts)}

    # Columns: periods, then change and % change per consecutive pair, CAGR, common-size shares.
    columns: list[tuple[str, str, str]] = []  # (analysis column, header, number format or "" for the row's own)
    columns += [(p.key, p.label + (" (restated)" if p.restated else ""), "") for p in periods]
    columns += [x for prev, cur in pairs for x in (
        (analysis.change_column(cur), f"Change {prev.label} to {cur.label}", ""),
        (analysis.pct_column(cur), f"% change {prev.label} to {cur.label}", PERCENT),
    )]
    if span is not None:
        header = f"CAGR {span.first.label} to {span.last.label} ({span.years:g} y)"
        columns.append((analysis.CAGR_COLUMN, header, PERCENT))
    if base is not None:
        base_label = next(a.label for a in statement.accounts if a.id == base)
        columns += [(analysis.share_column(p), f"% of {base_label} {p.label}", PERCENT) for p in periods]
    letter = {name: get_column_letter(i + 2) for i, (name, _, _) in enumerate(columns)}

    title = " — ".join(x for x in (consolidation.company, statement.type.display_name) if x)
    ws["A1"] = title
    ws["A1"].font = TITLE
    ws["A2"] = consolidation.scale_label + " (per-share amounts and share counts as printed)"
    ws["A3"] = "Account"
    for name, header, _ in columns:
        cell = ws[f"{letter[name]}3"]
        cell.value = header
        cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, WRAP
    ws["A3"].font, ws["A3"].fill = BOLD, HEADER_FILL
    for p in periods:
        ws[f"{letter[p.key]}3"].comment = Comment(f"Column taken from {p.document}", AUTHOR)

    restated = {(r.account, r.period): r for r in consolidation.restatements if r.type == statement.type}
    data = table.to_dict(as_series=False)  # plain lists: indexing a Polars column per cell is slow
    number = {name: i + 2 for i, (name, _, _) in enumerate(columns)}
    base_row = rows.get(base or "")
    for i, account in enumerate(statement.accounts):
        r = first_row + i
        values = [data[p.key][i] for p in periods]
        fmt = number_format(values, account.unit)
        font = BOLD if account.is_total else None
        label = ws.cell(row=r, column=1, value=account.label)
        label.alignment = Alignment(indent=min(max(account.level, 0), 15))
        if all(v is None for v in values):
            label.font = HEADING  # a heading line ("CURRENT ASSETS"): no figures of its own
        footing = footings.get(i)
        cells: list[Cell] = [label]
        for p, value in zip(periods, values, strict=True):
            if value is None:
                continue
            notes = []
            if footing is not None and p.key in footing.matched:
                formula = "=" + footing.formula(letter[p.key], first_row)
                cell = formulas.put_at(ws, r, number[p.key], formula, value)
            else:
                cell = ws.cell(row=r, column=number[p.key], value=value)
                if footing is not None or account.is_total and account.unit is None:
                    notes.append(_difference_note(footing, p.key, value, first_row))
            if (old := restated.get((account.id, p.key))) is not None:
                notes.append(_restated_note(old.previous, old.previous_source))
            if notes:
                cell.comment = Comment("\n".join(notes), AUTHOR, width=320, height=110)
            cell.number_format = fmt
            cells.append(cell)
        for name, _, own in columns[len(periods):]:
            if name.startswith("share ") and account.unit is not None:
                continue
            expr = _analysis_formula(name, r, letter, pairs, span, base_row)
            if expr is None:
                continue
            value = data[name][i]
            cell = formulas.put_at(ws, r, number[name], expr, None if value is None else float(value))
            cell.number_format = own or fmt
            cells.append(cell)
        if font is not None:
            for cell in cells:
                cell.font = font

    ws.freeze_panes = f"B{first_row}"
    ws.print_title_rows = f"1:{HEADER_ROWS}"
    ws.print_title_cols = "A:A"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    if ws.sheet_properties.pageSetUpPr is not None:
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.column_dimensions["A"].width = min(60, max([len(a.label) + 2 * a.level for a in statement.accounts] + [24]))
    for name in letter.values():
        ws.column_dimensions[name].width = 14
    ws.row_dimensions[3].height = 45
    return StatementLayout(ws.title, rows, {p.key: letter[p.key] for p in periods}, footings)


def _difference_note(footing: Footing | None, period: str, value: float, first_row: int) -> str:
    if footing is None or period not in footing.differences:
        return "Written as printed: no run of the lines above adds up to this total."
    diff = footing.differences[period]
    rows = f"rows {first_row + footing.parts[0]}–{first_row + footing.parts[-1]}"
    if footing.base is not None:
        rows = f"row {first_row + footing.base} less {rows}"
    return (
        f"Written as printed ({value:,.6g}): the lines above ({rows}) come to {value - diff:,.6g}, "
        f"a difference of {diff:+,.6g}."
    )


def _restated_note(previous: float | None, sources: list[Any]) -> str:
    where = ", ".join(f"{s.document} p{s.page}" for s in sources) or "an earlier document"
    shown = "not reported" if previous is None else f"{previous:,.6g}"
    return f"Restated: {where} printed {shown} for this period."


def _analysis_formula(
    name: str,
    row: int,
    letter: dict[str, str],
    pairs: list[Any],
    span: analysis.Span | None,
    base_row: int | None,
) -> str | None:
    """Change, % change, CAGR or share formula for one cell; blank rather than an error when undefined."""
    both: Callable[[str, str], str] = lambda a, b: f"AND(ISNUMBER({a}),ISNUMBER({b}))"  # noqa: E731
    if name.startswith(("change ", "pct ")):
        key = name.split(" ", 1)[1]
        prev = next(p for p, c in pairs if c.key == key)
        a, b = f"{letter[prev.key]}{row}", f"{letter[key]}{row}"
        if name.startswith("change "):
            return f'=IF({both(a, b)},{b}-{a},"")'
        return f'=IF({both(a, b)},IF({a}<>0,({b}-{a})/ABS({a}),""),"")'
    if name == analysis.CAGR_COLUMN and span is not None:
        a, b = f"{letter[span.first.key]}{row}", f"{letter[span.last.key]}{row}"
        return f'=IF({both(a, b)},IF(AND({a}>0,{b}>0),({b}/{a})^(1/{span.years:g})-1,""),"")'
    if name.startswith("share ") and base_row is not None:
        col = letter[name.split(" ", 1)[1]]
        a, b = f"{col}{row}", f"{col}${base_row}"
        return f'=IF({both(a, b)},IF({b}<>0,{a}/{b},""),"")'
    return None
