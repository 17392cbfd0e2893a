"""The vocabulary of a statement's labels: what names a total, a part of the statement, a count of shares or a
per-share amount. Shared by the joining of wrapped labels (`wrapped`) and the reading of line items (`items`)."""

from __future__ import annotations

import re

from finsheet.model import Unit

TOTAL = re.compile(
    r"^(?:total\b|net (?:cash|increase|decrease|change|income|loss|earnings|profit|assets|liabilities|revenue"
    r"|current assets|current liabilities|\(decrease\)|\(increase\)|\(loss\)|income \(loss\))"
    r"|gross (?:profit|margin|loss)|operating (?:income|profit|loss|result)"
    r"|(?:profit|income|loss|earnings|result)s? (?:\(loss\) )?(?:before|after|for the)"
    r"|ebitda?\b|(?:cash and cash equivalents|cash),? (?:at )?(?:the )?end|shareholders?'?s?'? funds|total equity"
    r"|(?:profit|loss) attributable|net (?:income|loss) attributable|comprehensive income for"
    # the result of operations ("Income (loss) from operations", "Loss from continuing operations"): gross profit
    # less operating expenses, or the result before discontinued operations. Discontinued operations' result is
    # one line of the next sum, and a share of the result "attributable to" a holder is not the result
    r"|(?:\(?(?:income|loss|profit|earnings)\)?\s*(?:/\s*)?)+from (?:continuing )?operations(?!.*\battributable\b))",
    re.I,
)
_PER_SHARE = re.compile(
    r"per (?:(?:common|ordinary|basic|diluted|preferred|preference|redeemable|class [a-z0-9]) ){0,3}(?:share|unit|ads)"
    r"|earnings per|loss per|\beps\b|\(pence\)|\bpence\b"
    r"|\(cents\)|dividends? (?:declared )?per",
    re.I,
)
_SHARES = re.compile(
    r"^(?:weighted[- ]average|average number|number of (?:ordinary |common )?shares|shares used|shares outstanding"
    r"|(?:basic|diluted) (?:weighted|shares|number))|weighted[- ]average (?:number of )?(?:common |ordinary )?shares"
    r"|shares used in|common shares outstanding:?$"
    # a count of one class of shares: "Preferred shares outstanding", "Class A shares issued and outstanding"
    r"|^(?:(?:preferred|preference|ordinary|common|redeemable|voting|class [a-z0-9])\s+)+shares\s+"
    r"(?:issued\s+(?:and\s+)?)?outstanding\b",
    re.I,
)
MAJOR_HEADING = re.compile(
    r"^(?:assets|liabilities|equity|liabilities and (?:stockholders'?|shareholders'?|members'?)? ?(?:equity|deficit)"
    r"|(?:stockholders'?|shareholders'?) equity|capitali[sz]ation and liabilities|equity and liabilities"
    r"|liabilities and (?:net assets|capital|equity)|revenues?|expenses|operating activities|investing activities"
    r"|financing activities|cash flows? from .*activities)\s*:?$",
    re.I,
)
# A line naming a part of a balance sheet is a heading however much of the label column it fills: what follows it
# is its first item ("Non-current liabilities" / "5.25% bonds")
SECTION = re.compile(
    r"^(?:(?:non-?current|current|fixed|long-term|other) (?:assets|liabilities)|capital and reserves"
    r"|(?:(?:share|stock)(?:holders|owners)'?s?'?|members'?) (?:equity|funds|deficit))\s*:?$",
    re.I,
)

# A per-share phrase that prices the instrument the line is about ("Preferred stock, $0.01 par value per share",
# "Cash dividends declared ($0.88 per share)", "par value of 1p each"): the line's own figures are money.
_PRICED_PER_SHARE = re.compile(
    r"(?:(?:[$£€¥]|\b(?:us|usd|gbp|eur|rmb|hk)\$?)\s?\d[\d,.]*|\b\d[\d,.]*\s?(?:cents?|pence|p)\b)"
    r"(?:\s+(?:par|stated|nominal)(?:\s+value)?|\s+liquidation\s+(?:preference|value))?"
    r"\s+(?:per|a|each)\s+(?:(?:common|ordinary|preferred|preference)\s+)?(?:share|unit)s?\b"
    r"|\b(?:par|stated|nominal) value(?:\s+of\s+\S+)?\s+per\s+(?:\w+\s+)?share\b"
    r"|\bliquidation (?:preference|value)(?:\s+of\s+\S+)?\s+per\s+(?:\w+\s+)?share\b",
    re.I,
)

# A balance sheet's capital stock line describes its shares (authorised, par value) beside an amount of money.
_CAPITAL_STOCK = re.compile(r"\b(?:par|stated|nominal) value\b|\bauthori[sz]ed\b", re.I)


def unit_of(label: str) -> Unit | None:
    """The unit a label gives its figures. A count of shares is shares even when the label names the per-share
    figure it serves ("Shares used to compute basic net income per share"); a per-share phrase that prices the
    line's instrument leaves the line in money, and so does a capital stock line that describes its shares
    ("Common stock, no par value; 1,000 shares authorized; 400 common shares outstanding")."""
    if _PRICED_PER_SHARE.search(label) or _CAPITAL_STOCK.search(label):
        return None
    if _SHARES.search(label):
        return "shares"
    if _PER_SHARE.search(label):
        return "per_share"
    return None


# OCR reads the end of a rule or a speck before a label as a mark ('"Basic', "'Diluted") and may lose a short label's
# last letters against a ruled grid's upright rule ("Basi", "Dilut"): a share row's label is read past both
_GENERIC_SHARE_ROW = re.compile(
    r"[\"'`\u2018\u2019\u201c\u201d~_|]?(?:basic|diluted|basic and diluted|basi|dilut|dilute)(?: \(.*\))?:?", re.I)


def is_generic_share_row(label: str) -> bool:
    """A share row named only by its kind ("Basic", "Diluted"), which takes its unit from the heading above it."""
    return bool(_GENERIC_SHARE_ROW.fullmatch(label.strip()))
