"""Extraction: a PDF in, checked statements out. Pure: no database, no job queue, no UI.

The stages, in the order `pipeline.extract` chains them:

    pdf        PDFium text with positions, page images, OCR of image-only pages (tesseract)
    titles     which statement a line names as its title, and whether it stands alone as one
    detect     which pages hold which statement, with a confidence
    rows       a statement page's words as rows of label and figure cells, and its value columns
    placing    each row's figures placed in the value columns, note references taken out of its label
    headings   the column headings above the first row: periods, scale, currency, notes columns
    periods    a heading's words read as a period (end date, length) and keys that stay distinct
    numbers    printed figures, scale and currency phrases
    items      rows as line items: sections, levels, totals, wrapped labels
    parse      one statement from its pages (the stages above, together)
    footing    a scanned figure OCR misread, read again as the footing it breaks gives it, where only it can be
    structure  which lines each total adds up, with their signs, decided from the layout and the arithmetic
    checks     one statement's arithmetic: balance identity, footings, cash roll-forward (`run_checks`)
    ties       the identities between a document's statements: net income, closing cash
    doubt      a figure that breaks an identity the others satisfy, marked doubtful, its likely misreading named

The public surface is `extract(pdf) -> Document` and `page_text` (the CLI's `--text`).
"""

from finsheet.extraction.pipeline import extract, page_text

__all__ = ["extract", "page_text"]
