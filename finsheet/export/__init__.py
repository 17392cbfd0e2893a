"""Export: what leaves the workbench. Pure: builds files and figures from a consolidation; no database, no jobs.

    workbook   the Excel workbook: as-reported sheets with live formulas, variances, standard spread, ratios
    sheets     the workbook's supporting sheets: sources, checks, restatements, notes
    footing    which lines each total adds up (so totals are written as =SUM formulas)
    charts     plotly figures of a consolidation (imported on its own: plotly is slow to load)
"""

from finsheet.export.workbook import build_workbook_bytes, write_workbook

__all__ = ["build_workbook_bytes", "write_workbook"]
