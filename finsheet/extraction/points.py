"""Figures OCR misread at their separators, read to the statement's precision: a thousands comma read as a decimal
point ("9.471" among "4,816"), and a decimal point lost ("94704" among one-decimal figures). Each is shown so,
below LOW_CONFIDENCE, for the analyst to confirm.

`parse` runs `regroup_points` and `restore_points` on a statement's line items once their units are known.
"""

from __future__ import annotations

import re

from finsheet.extraction.items import CENTS_POINT_LOST
from finsheet.model import LineItem

REREAD_CONFIDENCE = 0.7
"""A figure read as the statement's precision says rather than as printed (its separator or its point taken to
have been misread): below LOW_CONFIDENCE, so the Review shows it to the analyst to confirm."""


# A money figure printed to three decimals where the statement's others print none, one or two: statements print
# money to one precision, so "9.471" among "4,816" and "8,648" is 9,471 whose comma OCR read as a point, never
# nine and a half. (A page that groups with points and decimals with commas is read as such before this.)
_POINT_GROUPED = re.compile(r"([(\-\u2013\u2212]?)[^\d(\-\u2013\u2212]*(\d{1,3})\.(\d{3})\)?")


def regroup_points(items: list[LineItem]) -> None:
    """Figures whose thousands separator was read as a decimal point, read again as whole numbers: money figures
    (see above), and counts of shares among counts printed as grouped whole numbers."""
    money = [(it, key, raw) for it in items if it.unit is None for key, raw in it.raw.items()
             if it.values.get(key) is not None]
    decimals = [len(m.group(1)) if (m := re.search(r"\.(\d+)\)?$", raw)) else 0 for _, _, raw in money]
    # a statement that groups its whole figures ("50,703") and prints none to one or two decimals prints whole
    # units: its figures to three decimals are misread commas however many a worn scan holds; else a few among
    # many are, and many are the statement's own precision
    whole = any(_GROUPED_WHOLE.fullmatch(raw.strip().lstrip("$£€¥")) for _, _, raw in money) \
        and not any(places in (1, 2) for places in decimals)
    if whole or decimals.count(3) * 5 <= len(decimals):
        _regroup(money)
    shares = [(it, key, raw.strip()) for it in items if it.unit == "shares" for key, raw in it.raw.items()
              if it.values.get(key) is not None]
    grouped = sum(bool(_GROUPED_WHOLE.fullmatch(raw)) for _, _, raw in shares)
    pointed = sum(bool(_POINT_GROUPED.fullmatch(raw)) for _, _, raw in shares)
    others = len(shares) - pointed
    if pointed and others >= 2 and grouped >= SHARES_GROUPED_SHARE * others:
        _regroup(shares)


# A count of shares printed as a grouped whole number ("85,042"): a statement that counts its shares so counts them
# all so, and "85.815" among them is 85,815 with its comma read as a point (a count printed in millions prints
# every count with decimals, "85.8", "84.8")
_GROUPED_WHOLE = re.compile(r"\(?\d{1,3}(?:,\d{3})+\)?")
SHARES_GROUPED_SHARE = 0.75
"""The share of a statement's other share counts that must print as grouped whole numbers for one printed to three
decimals to be read as a whole number: all of them but a count OCR read otherwise."""


def _regroup(figures: list[tuple[LineItem, str, str]]) -> None:
    for it, key, raw in figures:
        m = _POINT_GROUPED.fullmatch(raw.strip())
        if m is None:
            continue
        whole = float(m.group(2) + m.group(3))
        it.values[key] = -whole if m.group(1) or raw.strip().endswith(")") else whole
        it.confidence = min(it.confidence, REREAD_CONFIDENCE)


# A statement prints its money to one precision: printed to one or two decimals ("9,470.4"), it prints every figure
# so (a nil as "—"). OCR loses a decimal point where a text layer never does, so on a scanned page "94704" among
# one-decimal figures is 9,470.4 read without its point (and without its comma, which alone would not parse).
_UNGROUPED = re.compile(r"([(\-\u2013\u2212]?)[$£€]?(\d+)\)?")


POINT_PRECISION_SHARE = 0.75
"""The share of a statement's non-nil money figures that must be read with the same one or two decimals before a
scanned figure with none is read as having lost its point. Three in four: a poor scan loses the point of one
figure in five or six, and a statement that does mix precisions (whole figures beside some to one decimal) is
read as printed."""


def restore_points(items: list[LineItem], scanned_pages: set[int]) -> None:
    """Figures on scanned pages that OCR read without their decimal point, read again to the statement's
    precision: its money's, and apart from it its per-share figures' ("443" among "20.16" and "0.41" is 4.43).
    Such a figure is read as the precision says, not as printed, and shown so (lower confidence)."""
    for unit in (None, "per_share"):
        _restore_points([it for it in items if it.unit == unit], scanned_pages)


def _restore_points(items: list[LineItem], scanned_pages: set[int]) -> None:
    # every figure but nils, and those that did not parse ("(1,8673)"): they may be a point lost
    figures = [(it, key, raw.strip()) for it in items for key, raw in it.raw.items() if it.values.get(key, 1) != 0]
    # a scanned per-share figure read as a run of digits was taken as cents whose point OCR lost (CENTS_POINT_LOST):
    # it is no evidence of the precision
    lost_cents = {(id(it), key) for it, key, raw in figures if it.unit == "per_share" and it.page in scanned_pages
                  and CENTS_POINT_LOST.fullmatch(raw)}
    formed = [m for it, key, raw in figures if (id(it), key) not in lost_cents
              and (m := _GROUPED.fullmatch(raw)) and len(m.group(3) or "") <= 2]
    places = [len(m.group(3) or "") for m in formed]
    precision = next((d for d in (1, 2) if len(places) >= 8 and places.count(d) >= POINT_PRECISION_SHARE * len(places)),
                     None)
    if precision is None:
        # too few figures to know the precision: a figure that may have lost its point is shown so, and read to
        # cents where a figure beside it says so (`_cents_beside`)
        for it, key, raw in figures:
            if (id(it), key) in lost_cents:
                it.confidence = min(it.confidence, REREAD_CONFIDENCE)
                if (cents := _cents_beside(it, key, raw, figures, lost_cents)) is not None:
                    it.values[key] = cents
        return
    for it, key, raw in figures:
        m = _FIGURE_TEXT.fullmatch(raw)
        if it.page not in scanned_pages or m is None or not _lost_point(raw, precision):
            continue
        digits = re.sub(r"\D", "", m.group(2))
        if len(digits) <= precision:  # a single digit has no point to lose at one decimal ("5" is no "0.5")
            continue
        whole = int(digits) / 10**precision
        if it.values.get(key) is None and it.note:  # it no longer stands unread
            it.note = re.sub(rf"(?:; )?unreadable figure: {re.escape(raw)}", "", it.note) or None
        it.values[key] = -whole if m.group(1) or raw.endswith(")") else whole
        it.confidence = min(it.confidence, REREAD_CONFIDENCE)


CENTS_NEIGHBOUR = 0.15
"""How far apart a period's per-share figures stand at most for one to read another's cents: basic and diluted
earnings per share, and a result's parts, differ by a few per cent; a point lost makes a figure a hundred times
larger."""


def _cents_beside(item: LineItem, key: str, raw: str, figures: list[tuple[LineItem, str, str]],
                  lost_cents: set[tuple[int, str]]) -> float | None:
    """The value of a scanned per-share figure read as a run of digits ("256"), where another line's per-share
    figure of the same period prints cents and is within `CENTS_NEIGHBOUR` of the digits read as cents ("2.58" for
    basic beside diluted "256": 2.56). Pence printed whole ("256p") has no such neighbour printing cents."""
    m = _FIGURE_TEXT.fullmatch(raw)
    if m is None:
        return None
    cents = int(re.sub(r"\D", "", m.group(2))) / 100
    neighbours = [abs(other.values[key] or 0.0) for other, k, text in figures
                  if other is not item and k == key and (id(other), k) not in lost_cents
                  and re.fullmatch(r"\D*\d+\.\d{2}\)?", text) and other.values.get(k)]
    if not any(abs(cents - n) <= CENTS_NEIGHBOUR * n for n in neighbours):
        return None
    return -cents if m.group(1) or raw.endswith(")") else cents


# a figure as a statement prints it: sign, currency, digits grouped by commas, decimals
_GROUPED = re.compile(r"([(\-\u2013\u2212]?)[$£€]?(\d{1,3}(?:,\d{3})*)(?:\.(\d+))?\)?")
# what OCR read of a figure: sign, currency, then digits with points and commas anywhere
_FIGURE_TEXT = re.compile(r"([(\-\u2013\u2212]?)[$£€]?(\d[\d.,]*)\)?")


def _lost_point(raw: str, precision: int) -> bool:
    """Whether a scanned figure (text `_FIGURE_TEXT` matches), on a statement printed to `precision` decimals, lost
    its point: its digits run with no separator ("18673"), or its separators fit no figure printed so ("1.8673", a
    comma read as a point and the point lost; "41,2210", a point lost inside the last group). A figure grouped by
    commas with no decimals ("1,867") lost digits, not a point: it is kept as read."""
    if _UNGROUPED.fullmatch(raw):
        return True
    if re.fullmatch(rf"\D*\d+\.\d{{{precision}}}\)?", raw):
        return False  # a figure that only lost its comma ("1272.2"): its value is as read
    m = _GROUPED.fullmatch(raw)
    return m is None or len(m.group(3) or "") not in (0, precision)
