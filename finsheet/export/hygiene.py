"""Spreadsheet hygiene: text from a PDF is never a formula, and formulas carry their results.

    protect_text(sheets, formulas)     every formula cell not written by finsheet becomes a text cell
    cache_results(xlsx, formulas)      the saved file with each formula's result stored beside it

openpyxl turns any string starting with "=" into a formula, so a PDF label "=HYPERLINK(…)" would become a live
formula. Every formula finsheet writes goes through `WorkbookFormulas.put`, so any other formula cell is text that
looked like one: it is written back as a string, with Excel's quote prefix (text starting "+", "-", "@" gets the
prefix too, so editing the cell never turns it into a formula).

openpyxl cannot store a formula's result, and readers that do not recalculate (previewers, pandas, openpyxl's own
data_only mode) would show blanks. finsheet knows every result (it is what the tests compare LibreOffice with), so
after saving, each formula cell of the sheet XML gets its `<v>` value; the workbook still asks Excel and LibreOffice
to recalculate on load. That costs a few milliseconds where recalculating with LibreOffice would cost seconds.
"""

from __future__ import annotations

import io
import math
import posixpath
import re
import zipfile
from collections.abc import Iterable, Mapping
from typing import Protocol

from openpyxl.worksheet.worksheet import Worksheet

_RISKY = ("=", "+", "-", "@", "\t", "\r")


class RecordedFormulas(Protocol):
    expected: dict[tuple[str, str], float | bool | None]


def protect_text(sheets: Iterable[Worksheet], formulas: RecordedFormulas) -> int:
    """Turn every formula-looking cell that finsheet did not write as a formula into text; returns how many."""
    count = 0
    for ws in sheets:
        for cell in ws._cells.values():  # noqa: SLF001 - the only way to visit written cells without creating more
            value = cell.value
            if not isinstance(value, str) or not value.startswith(_RISKY):
                continue
            if cell.data_type == "f" and (ws.title, cell.coordinate) in formulas.expected:
                continue
            cell.data_type = "s"
            cell.quotePrefix = True
            count += 1
    return count


_CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)"([^>]*)><f>(.*?)</f><v\s*/?>(?:</v>)?</c>', re.S)


def cache_results(xlsx: bytes, formulas: RecordedFormulas) -> bytes:
    """The workbook with every recorded formula's result stored in its cell."""
    by_sheet: dict[str, dict[str, float | bool | None]] = {}
    for (sheet, coord), value in formulas.expected.items():
        by_sheet.setdefault(sheet, {})[coord] = value
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    paths = _sheet_paths(source)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            title = paths.get(info.filename)
            if title is not None and title in by_sheet:
                data = _fill(data, by_sheet[title])
            target.writestr(info, data)
    return out.getvalue()


def _fill(xml: bytes, values: Mapping[str, float | bool | None]) -> bytes:
    def cell(m: re.Match[bytes]) -> bytes:
        coord = m.group(1).decode()
        if coord not in values:
            return m.group(0)
        value = values[coord]
        attrs, formula = m.group(2), m.group(3)
        if isinstance(value, bool):
            kind, text = b' t="b"', b"1" if value else b"0"
        elif value is None:
            kind, text = b' t="str"', b""
        elif isinstance(value, int | float) and math.isfinite(value):
            kind, text = b"", repr(float(value)).encode()
        else:
            return m.group(0)
        return b'<c r="%s"%s%s><f>%s</f><v>%s</v></c>' % (m.group(1), attrs, kind, formula, text)

    return _CELL.sub(cell, xml)


def _sheet_paths(book: zipfile.ZipFile) -> dict[str, str]:
    """Sheet XML path inside the package -> sheet title."""
    workbook = book.read("xl/workbook.xml").decode()
    rels = book.read("xl/_rels/workbook.xml.rels").decode()
    targets: dict[str, str] = {}
    for m in re.finditer(r"<Relationship\b[^>]*>", rels):
        rid, to = re.search(r'Id="([^"]+)"', m.group(0)), re.search(r'Target="([^"]+)"', m.group(0))
        if rid and to:
            targets[rid.group(1)] = to.group(1)
    out = {}
    for sheet in re.finditer(r'<sheet [^>]*name="([^"]*)"[^>]*r:id="([^"]+)"', workbook):
        target = targets.get(sheet.group(2))
        if target is None:
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        out[path] = _unescape(sheet.group(1))
    return out


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'").replace(
        "&amp;", "&")


__all__ = ["cache_results", "protect_text"]
