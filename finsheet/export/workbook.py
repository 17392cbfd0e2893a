"""The analyst's workbook (openpyxl): one sheet per statement type, then Checks, Restatements, Sources and Notes.

    write_workbook(consolidation, path_or_buffer) -> WorkbookFormulas
    build_workbook_bytes(consolidation) -> bytes

Numbers are numbers in the consolidation's scale (named in each sheet's header, e.g. "USD millions"). Every total
the statement's structure explains (`finsheet.extraction.structure`, the model the extraction's checks use) is a
formula over its lines with their signs (`=B4-SUM(B5:B6)`), nested subtotals standing for their lines; where the
printed total differs from the formula, the printed figure and the difference sit in columns beside it. A total
the structure cannot explain is written as printed, with a comment saying it is not verified. Change, % change,
CAGR and common-size columns are formulas that leave a blank rather than an error (no value, a zero base).

Every formula cell is recorded with the value finsheet computed for it: a test recalculates the file with a real
spreadsheet engine and compares, and the saved file carries those values as cached results, so readers that do not
recalculate show the right numbers (`hygiene.py`). Text from a PDF is never written as a formula.
"""

from __future__ import annotations

import gc
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any

import polars as pl
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from finsheet.consolidate import analysis
from finsheet.consolidate.model import ConsolidatedStatement, Consolidation
from finsheet.errors import ExportError
from finsheet.export.footing import Structure, find_footings, model_values, signed_formula
from finsheet.export.hygiene import cache_results, protect_text
from finsheet.export.sheets import number_format, write_checks, write_notes, write_restatements, write_sources
from finsheet.export.spread import write_spread_sheets

HEADER_ROWS = 3
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
HEADING = Font(italic=True, color="44546A")
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
WRAP = Alignment(wrap_text=True, vertical="bottom", horizontal="center")
PERCENT = '0.0%;(0.0%);"–"'
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
    structure: Structure
    """Which lines each total adds up (account indices), the same model the extraction's checks use."""
    printed: dict[tuple[int, str], str] = field(default_factory=dict)
    """(account index, period key) -> column letter of the printed figure where a total's formula differs from it
    (kept beside the formula); elsewhere the printed figure is the period's own cell."""

    def printed_cell(self, index: int, period: str) -> str:
        """'B7' (or the printed-beside cell) holding the figure as printed, for the Checks sheet."""
        return f"{self.printed.get((index, period), self.columns[period])}{HEADER_ROWS + 1 + index}"


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
    # Last, over every sheet: text from a PDF is never a formula (any sheet's formulas go through formulas.put).
    protect_text(wb.worksheets, formulas)
    buffer = io.BytesIO()
    wb.save(buffer)
    data = cache_results(buffer.getvalue(), formulas)
    try:
        if isinstance(target, str | Path):
            Path(target).write_bytes(data)
        else:
            target.write(data)
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
    structure = find_footings(statement)
    computed = model_values(structure)
    periods = statement.periods
    # The analysis columns work on what the sheet's cells hold: a total's formula result, which is the printed
    # figure wherever the total adds up (the printed figure of one that does not is kept beside it).
    frame = statement.frame.with_columns(
        [pl.Series(p.key, [row[i] for row in computed], dtype=pl.Float64) for i, p in enumerate(periods)]
    )
    modelled = replace(statement, frame=frame)
    table = analysis.analyse(modelled, consolidation.settings)
    pairs = analysis.pairs(statement)
    span = analysis.span(statement)
    base = analysis.common_size_base(statement, consolidation.settings)
    first_row = HEADER_ROWS + 1
    rows = {a.id: first_row + i for i, a in enumerate(statement.accounts)}
    printed_values = {p.key: statement.frame[p.key].to_list() for p in periods}
    differing = _differing(structure, computed, periods)

    # Columns: periods, then change and % change per consecutive pair, CAGR, common-size shares, and the printed
    # figure of totals whose formula gives something else (with the difference), for the periods that have one.
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
    beside = [p for p in periods if any(key == p.key for _, key in differing)]
    columns += [x for p in beside for x in (
        (f"printed {p.key}", f"As printed {p.label} (where the total's formula differs)", ""),
        (f"difference {p.key}", f"Printed less formula {p.label}", ""),
    )]
    letter = {name: get_column_letter(i + 2) for i, (name, _, _) in enumerate(columns)}

    title = " — ".join(x for x in (consolidation.company, statement.type.display_name) if x)
    ws["A1"] = title
    ws["A1"].font = TITLE
    # After a stock split the older filings' per-share amounts and share counts are restated onto the newest basis.
    basis = "on the newest filing's basis after a stock split (see Notes)" if consolidation.splits else "as printed"
    ws["A2"] = consolidation.scale_label + f" (per-share amounts and share counts {basis})"
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
    printed_at: dict[tuple[int, str], str] = {}
    for i, account in enumerate(statement.accounts):
        r = first_row + i
        values = [printed_values[p.key][i] for p in periods]
        fmt = number_format(values, account.unit)
        font = BOLD if account.is_total else None
        label = ws.cell(row=r, column=1, value=account.label)
        label.alignment = Alignment(indent=min(max(account.level, 0), 15))
        if all(v is None for v in values):
            label.font = HEADING  # a heading line ("CURRENT ASSETS"): no figures of its own
        footing = structure.footings.get(i)
        cells: list[Cell] = [label]
        for n, (p, value) in enumerate(zip(periods, values, strict=True)):
            if value is None:
                continue
            notes = []
            terms = footing.terms(n) if footing is not None else None
            if terms is not None:
                formula = "=" + signed_formula(letter[p.key], terms, first_row)
                cell = formulas.put_at(ws, r, number[p.key], formula, computed[i][n])
                if (i, p.key) in differing:
                    notes.append(_difference_note(value, computed[i][n], letter[f"printed {p.key}"], r))
                    printed_at[(i, p.key)] = letter[f"printed {p.key}"]
                    held = ws.cell(row=r, column=number[f"printed {p.key}"], value=value)
                    held.number_format = fmt
                    cells.append(held)
                    gap = formulas.put_at(ws, r, number[f"difference {p.key}"],
                                          f"={letter[f'printed {p.key}']}{r}-{letter[p.key]}{r}",
                                          value - (computed[i][n] or 0.0))
                    gap.number_format = fmt
                    cells.append(gap)
            else:
                cell = ws.cell(row=r, column=number[p.key], value=value)
                if footing is not None:
                    notes.append("Written as printed, not verified: no run of the lines above adds up to this "
                                 "total in this period, and no heading says which lines it closes.")
            if (old := restated.get((account.id, p.key))) is not None:
                notes.append(_restated_note(old.previous, old.previous_source))
            if notes:
                cell.comment = Comment("\n".join(notes), AUTHOR, width=320, height=110)
            cell.number_format = fmt
            cells.append(cell)
        for name, _, own in columns[len(periods):]:
            if name.startswith(("printed ", "difference ")):
                continue
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
    _label_width(ws, statement)
    for name in letter.values():
        ws.column_dimensions[name].width = 14
    ws.row_dimensions[3].height = 45
    return StatementLayout(ws.title, rows, {p.key: letter[p.key] for p in periods}, structure, printed_at)


LABEL_WIDTH = 70
"""Widest label column, in characters; longer labels wrap rather than being cut off."""


def _label_width(ws: Worksheet, statement: ConsolidatedStatement) -> None:
    """Column A as wide as its longest label with its indent (indent ≈ 2 characters a level), up to LABEL_WIDTH;
    labels longer than that wrap onto a second line instead of being cut off by the next column."""
    need = [len(a.label) + 2 * max(a.level, 0) for a in statement.accounts]
    ws.column_dimensions["A"].width = min(LABEL_WIDTH, max([*need, 24]) + 2)
    for i, width in enumerate(need):
        if width + 2 > LABEL_WIDTH:
            cell = ws.cell(row=HEADER_ROWS + 1 + i, column=1)
            cell.alignment = Alignment(indent=cell.alignment.indent, wrap_text=True, vertical="top")


def _differing(
    structure: Structure, computed: list[list[float | None]], periods: list[Any]
) -> set[tuple[int, str]]:
    """(row, period key) of totals whose formula result is not exactly the printed figure."""
    out = set()
    for t, footing in structure.footings.items():
        for n, p in enumerate(periods):
            printed, value = structure.lines[t].values[n], computed[t][n]
            if footing.terms(n) is None or printed is None or value is None:
                continue
            if abs(printed - value) > 1e-9 * max(1.0, abs(printed)):
                out.add((t, p.key))
    return out


def _difference_note(printed: float, computed: float | None, column: str, row: int) -> str:
    value = computed or 0.0
    return (
        f"A formula over the lines it adds up. Printed {printed:,.6g}; the formula gives {value:,.6g}, a difference "
        f"of {printed - value:+,.6g} (the printed figure is kept in {column}{row})."
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
