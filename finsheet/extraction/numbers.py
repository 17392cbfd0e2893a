"""Reading printed figures: `(1,234)`, `-1,234`, `– 1,234`, `—` nil, `1.234,5` (where the document writes so),
`12.5%`, `0.19p`; and the scale and currency a statement's headings announce."""

from __future__ import annotations

import re
from dataclasses import dataclass

DASHES = "-\u2013\u2014\u2212"
NIL_TOKENS = {"-", "\u2013", "\u2014", "\u2212", "--", "\u2014\u2014", "nil", "Nil", "NIL", "n/a", "N/A"}
CURRENCY_SYMBOLS = {"$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY", "US$": "USD", "A$": "AUD", "C$": "CAD",
                    "NZ$": "NZD", "HK$": "HKD", "S$": "SGD", "R$": "BRL", "₹": "INR", "CHF": "CHF", "Fr.": "CHF"}

_NUM = re.compile(
    r"""^(?:US\$|A\$|C\$|NZ\$|HK\$|S\$|[$£€¥])?(?P<open>\()?(?P<sign>[-\u2013\u2014\u2212])?\s*
    (?P<cur>US\$|A\$|C\$|NZ\$|HK\$|S\$|[$£€¥])?\s*
    (?P<digits>\d[\d,.\u00a0']*\d|\d)(?P<close>\))?(?P<tail>%|p|c)?\)?$""",
    re.X,
)
# A column's unit printed where a figure would stand ("£'000", "$000"), and as OCR reads it: the apostrophe as a
# 7, a degree sign or a star ("£7000", "£°000"). An amount is printed with its thousands grouped ("£7,000").
_UNIT_TOKEN = re.compile(r"^[$£€¥]\s?['’‘`°7*\"]?000'?s?$")


def is_unit_token(raw: str) -> bool:
    """A column's unit printed where a figure would stand ("£'000", "$000"), in OCR's readings too ("£7000",
    "€°000")."""
    return bool(_UNIT_TOKEN.match(raw))


_GROUPED_DOT = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d+)?$")
_GROUPED_COMMA = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")


def format_figure(x: float) -> str:
    """A number as a check's detail prints it: thousands grouped, no trailing zeros ("58,240", "1,234.5")."""
    return f"{x:,.2f}".rstrip("0").rstrip(".") if x != int(x) else f"{int(x):,}"


@dataclass(frozen=True, slots=True)
class Figure:
    """A parsed printed figure."""

    value: float
    raw: str
    percent: bool = False
    per_share_hint: bool = False
    """Printed with a pence/cents suffix ("0.19p"): a per-share amount."""
    unreadable: bool = False
    """A scanned figure OCR could not read ("Bg17" for "3,117"): its place is known, its value is not."""


def unreadable_figure(text: str) -> Figure | None:
    """A scanned word that stands where a figure would and holds digits among misread letters ("Bg17", "1,2O4"),
    as an unreadable figure; None for anything that reads as a word. A colon or semicolon among its digits ("9:35")
    is a point or comma read with a speck beside it: a statement's column holds no times or ratios. A tilde, quote
    mark or section sign there is a minus, bracket or dollar sign blurred into a mark ("~35,156.0", "“168.2",
    "§214"), as is an ampersand, a blurred 8 ("&2,252.77"): which one, the text cannot say."""
    if not (2 <= len(text) <= 12 and re.fullmatch(r"[A-Za-z0-9,.:;()\-~“”\"'‘’§&]+", text)):
        return None
    digits = sum(ch.isdigit() for ch in text)
    letters = sum(ch.isalpha() for ch in text)
    return Figure(0.0, text, unreadable=True) if digits >= max(letters, 1) else None


_CURRENCY_PREFIX = re.compile(r"^(?:US\$|[$£€¥])\s*")


def is_nil(text: str) -> bool:
    """A nil as printed ("-", "—", "nil"), also with its column's currency sign ("$-", "$ —"), as the first and
    total rows print theirs."""
    text = text.strip()
    bare = _CURRENCY_PREFIX.sub("", text, count=1)
    return text in NIL_TOKENS or (bare != text and bare in NIL_TOKENS)


def parse_figure(text: str, *, decimal_comma: bool = False) -> Figure | None:
    """A printed figure's value, or None when the text is not a figure.

    With `decimal_comma`, "1.234,5" is 1234.5; without it, "1,234.5" is. A lone dash is nil (0).
    """
    raw = text.strip()
    if not raw:
        return None
    if is_nil(raw):
        return Figure(0.0, raw)
    if _UNIT_TOKEN.match(raw):
        return None  # "£'000", "$000": the column's unit, printed where a figure would stand
    m = _NUM.match(raw.replace(" ", ""))
    if m is None:
        return None
    digits = m.group("digits").replace("\u00a0", "").replace("'", "")
    closed = bool(m.group("close") or raw.endswith(")"))
    # "1,234)" with its "(" lost (a scan) is still a negative; "(2" alone is a broken token, not a figure
    negative = closed or bool(m.group("sign"))
    if m.group("open") and not closed:
        return None
    if re.fullmatch(r"0\d+", digits):
        return None  # an amount never starts with a zero: "00030177" is a company or reference number
    number = _to_float(digits, decimal_comma=decimal_comma)
    if number is None:
        return None
    tail = m.group("tail") or ""
    return Figure(-number if negative else number, raw, percent=tail == "%", per_share_hint=tail in ("p", "c"))


def _to_float(digits: str, *, decimal_comma: bool) -> float | None:
    if decimal_comma:
        if _GROUPED_DOT.match(digits) or re.fullmatch(r"\d+(?:,\d+)?", digits):
            return float(digits.replace(".", "").replace(",", "."))
        return None
    if _GROUPED_COMMA.match(digits) or re.fullmatch(r"\d+(?:\.\d+)?", digits):
        return float(digits.replace(",", ""))
    return None


def uses_decimal_comma(tokens: list[str]) -> bool:
    """Whether a statement writes 1.234,5 (continental) rather than 1,234.5: decided by its own figures."""
    continental = sum(1 for t in tokens if re.search(r"\d\.\d{3},\d|^\(?-?\d+,\d{1,2}\)?$", t))
    anglo = sum(1 for t in tokens if re.search(r"\d,\d{3}\.\d|^\(?-?\d+\.\d{1,2}\)?$|\d,\d{3}\)?$", t))
    return continental > anglo


# --------------------------------------------------------------------------- scale and currency

_SCALES: list[tuple[int, re.Pattern[str]]] = [
    (1_000_000_000, re.compile(r"\bin billions\b|\bbillions of\b|\(billions\)|[$£€]\s?bn\b|\bbn\b")),
    (1_000_000, re.compile(
        r"\bin millions\b|\bmillions of\b|\(millions\b|\bin million\b|[$£€¥]\s?'?m\b|'m\b|\b(?:usd|gbp|eur|chf|aud|cad)"
        r"\s?'?m\b|\b(?:usd|gbp|eur|chf|aud|cad|jpy|rmb) millions?\b|\$ (?:and shares )?in millions|¥ ?millions?"
        r"|\bmillions? of (?:u\.s\. )?(?:dollars|euros|pounds|yen)\b|\bmn\b|\bmillions\b|[$£€¥] ?millions?\b"
    )),
    (1_000, re.compile(
        r"\bin thousands\b|\bthousands of\b|\(thousands\b|\bin \$?000s?\b|'000s?\b|\b000's\b|\b000s\b|\(000\)"
        r"|[$£€]\s?000\b|[$£€] ?thousands?\b|\b(?:usd|gbp|eur|chf|aud|cad|sek|nok|dkk) ?'?000\b|\bthousands\b"
        r"|\btsd\b|\bk[$£€]"
    )),
]
_ISO = re.compile(r"\b(USD|GBP|EUR|CHF|AUD|CAD|JPY|NZD|HKD|SGD|SEK|NOK|DKK|INR|CNY|RMB|ZAR|BRL)(?![A-Za-z])")


# A scan's column heading as OCR reads it: "£'000" as "£7000", "£°000" or "f000"; "£m" as "em", "fm" or "£rn".
# Standing alone on a heading line these are units, never amounts (an amount in a heading is a date or a year).
_OCR_SCALES: list[tuple[int, re.Pattern[str]]] = [
    (1_000_000, re.compile(r"(?:^|\s)[£€$ef]\s?'?(?:m|rn)(?=\s|$|\))")),
    (1_000, re.compile(r"(?:^|\s)[£€$f]\s?['`°7*\"]?000'?s?(?=\s|$|\))")),
]


# A title set in spaced letters ("S t a t e m e n t  o f  I n c o m e") spells words: a lone letter in such a run
# ("e m", read as OCR's "em" for "£m") is no unit. Three letters or more, each a space apart, are one word.
_LETTER_SPACED = re.compile(r"(?<![^\s(])(?:[a-z] ){2,}[a-z](?![^\s),])")


def find_scale(text: str) -> int | None:
    """The multiplier a heading announces ("in thousands", "£000", "$'m", "(in millions, except per share)"),
    including a scan's misreadings of the short forms ("£7000", "em"); None when it announces none."""
    low = _LETTER_SPACED.sub(lambda m: m.group(0).replace(" ", ""), text.lower().replace("\u2019", "'").replace(
        "\u2018", "'"))
    for scale, pattern in _SCALES:
        if pattern.search(low):
            return scale
    for scale, pattern in _OCR_SCALES:
        if pattern.search(low):
            return scale
    return None


# a currency sign or code standing alone, or alone in brackets ("$", "(£)", "($)" under each year)
_BARE_UNIT = re.compile(r"(?:^|\s)\(?(?:[$£€¥]|US\$|A\$|C\$|(?:USD|GBP|EUR|CHF|AUD|CAD|JPY))\)?(?=\s|$)")


# A currency named in words after "in" with no multiplier ("(In U.S. dollars, except share data)", "expressed in
# euros", "Figures in Pound Sterling"): whole units. A currency's name is printed in the singular as often as in the
# plural. A multiplier ("in thousands of U.S. dollars") is read by find_scale first.
_UNITS_IN_WORDS = re.compile(
    r"\bin\s*(?:u\.?\s?s\.?|united states|canadian|australian|hong kong|singapore|new zealand|new taiwan)?\s*"
    r"(?:dollars?|euros?|pounds?(?: sterling)?|sterling|yen|renminbi|rmb|yuan|francs?|kronor|krone)\b",
    re.I,
)


def names_units(text: str) -> bool:
    """Text that states the units the figures are printed in ("in thousands", "£'000", "(In U.S. dollars, except
    share data)"): the statement's units line, never a column's own heading."""
    return find_scale(text) is not None or bool(_UNITS_IN_WORDS.search(text))


def stated_scale(heading: str) -> int | None:
    """The scale a statement's headings state: a multiplier ("£'000", "in millions"), or 1 for a currency named in
    words ("(In U.S. dollars)"). None when they state neither: then the scale is unknown (see infer_scale), or, where
    the columns are headed by a bare currency sign (`currency_heading`), whole units unless the document's other
    statements state a multiplier."""
    found = find_scale(heading)
    if found is not None:
        return found
    return 1 if _UNITS_IN_WORDS.search(heading) else None


def currency_heading(heading: str) -> bool:
    """Whether the columns are headed by a bare currency ("£", "$", "USD") with no multiplier. That reads as whole
    units, but weakly: a filing that states "in thousands" once under its first statement's title may head the
    columns of the next only with "$"."""
    return bool(_BARE_UNIT.search(heading.replace("\u2019", "'")))


# The prose's own statements of the unit ("rounded to the nearest thousand", "presented in millions of euros",
# "(in thousands, except per share data)"): strict phrases, since prose speaks of "thousands of customers" too.
# Matched against lower-cased text.
_PROSE_SCALES: list[tuple[int, re.Pattern[str]]] = [
    (scale, re.compile(
        rf"rounded to the nearest (?:{word}|[$£€]\s?'?{short})\b"
        rf"|(?:expressed|presented|stated|shown|reported|amounts are|figures are|are in|all amounts)"
        rf"(?: \w+){{0,4}} in (?:{word}s|[$£€]\s?'?{short})\b"
        rf"|\(in {word}s(?: of [a-z.\s]{{1,25}})?(?:,| except\b|\))",
    ))
    for scale, word, short in ((1_000_000_000, "billion", "bn"), (1_000_000, "million", "m"),
                               (1_000, "thousand", "000"))
]


def prose_scale(texts: list[str]) -> int | None:
    """The unit a document's prose says its amounts are in, when it says one thing; None when it says nothing or
    names two units."""
    # lower case rather than re.I, and words parted by str.split (as `\s+` would): over a whole document's text
    # this is four times faster, to the same result
    joined = " ".join("\n".join(texts).lower().split()).replace("\u2019", "'")
    found = {scale for scale, pattern in _PROSE_SCALES if pattern.search(joined)}
    return found.pop() if len(found) == 1 else None


_TO_THE_CENT = re.compile(r"\d\.\d\d\)?$")
_GROUPED = re.compile(r"\d,\d{3}")


def cents_scale(raw: list[str]) -> int | None:
    """1 when most of a statement's money figures are printed to the cent and some run past a thousand
    ("181,366.42"): amounts in thousands or millions are never printed with cents, so these are whole units.
    None when the figures do not say."""
    figures = [r.strip() for r in raw if any(ch.isdigit() for ch in r)]
    if len(figures) < 3:
        return None
    cents = [f for f in figures if _TO_THE_CENT.search(f)]
    return 1 if len(cents) > 0.6 * len(figures) and any(_GROUPED.search(f) for f in cents) else None


def infer_scale(others: list[int | None], prose: int | None) -> int | None:
    """The scale of a statement whose headings announce none: what the document's other statements announce
    and its prose says, where those that speak agree; None (unknown, never 1) when nothing speaks or they differ.
    A caller that uses an inferred scale should lower the statement's confidence: it was not printed there."""
    said = {s for s in others if s is not None} | ({prose} if prose is not None else set())
    return said.pop() if len(said) == 1 else None


_SIGN_ON_FIGURE = re.compile(r"^\(?[-\u2013\u2212]?\s*(US\$|A\$|C\$|NZ\$|HK\$|S\$|[$£€¥])\s*\d")


def figures_currency(raws: list[str], *, dollar: str = "USD", scanned: bool = False) -> str | None:
    """The currency the figures print on themselves ("£31,163", "($1,204)"), as a statement's first line and its
    totals do, where at least two print one sign and none another; None otherwise. On a scan one sign read on one
    figure may be a misread digit ("$86,956" for 886,956); two that agree are the statement's. So on a scan a
    dollar sign read once, beside another sign read on two figures or more ("£2,250,909" ... "$92,129" for
    592,129), is a misread 5 and says nothing of the currency."""
    signs = [m.group(1) for raw in raws if (m := _SIGN_ON_FIGURE.match(raw))]
    if scanned and signs.count("$") == 1 and any(signs.count(s) >= 2 for s in set(signs) - {"$"}):
        signs.remove("$")
    if len(signs) < 2 or len(set(signs)) > 1:
        return None
    return find_currency(signs[0], dollar=dollar)


def find_currency(text: str, *, dollar: str = "USD") -> str | None:
    """The currency a statement is in: an ISO code in its headings, else its symbol (`dollar` says which
    dollar "$" means for this document)."""
    upper = text.replace("\u2019", "'")
    iso = _ISO.search(upper)
    if iso:
        return "CNY" if iso.group(1) == "RMB" else iso.group(1)
    for symbol in ("US$", "A$", "C$", "NZ$", "HK$", "S$", "£", "€", "¥", "₹"):
        if symbol in upper:
            return CURRENCY_SYMBOLS[symbol]
    for pattern, code in _CURRENCY_WORDS:
        if pattern.search(upper):
            return code
    if "$" in upper:
        return dollar
    return None


_CURRENCY_WORDS = [
    (re.compile(r"\bU\.?S\.? dollars?\b", re.I), "USD"),
    (re.compile(r"\bAustralian dollars?\b", re.I), "AUD"),
    (re.compile(r"\bCanadian dollars?\b", re.I), "CAD"),
    (re.compile(r"\bpounds? sterling\b|\bsterling\b", re.I), "GBP"),
    (re.compile(r"\beuros?\b", re.I), "EUR"),
    (re.compile(r"\bSwiss francs?\b", re.I), "CHF"),
    (re.compile(r"\byen\b", re.I), "JPY"),
]
# Each alternative is a word's start: `_word_count` checks the boundary before it (see there).
_DOLLAR_COUNTRIES = {
    "AUD": re.compile(r"Australia(?:n)?\b|ABN\b|ASX\b"),
    "CAD": re.compile(r"Canad(?:a|ian)\b|TSX\b"),
    "NZD": re.compile(r"New Zealand\b|NZX\b"),
    "HKD": re.compile(r"Hong Kong\b"),
    "SGD": re.compile(r"Singapore\b"),
    "USD": re.compile(r"United States\b|U\.S\.|Securities and Exchange Commission\b|Form 10-[KQ]\b|NYSE\b"
                      r"|Nasdaq\b|Internal Revenue\b|501\(c\)"),
}


def _word_count(pattern: re.Pattern[str], text: str) -> int:
    """How many matches of `pattern` in `text` start a word, as a leading `\\b` would require. Checked here
    rather than in the pattern: a pattern that opens on its words lets the regex engine skip ahead to them, which
    over a whole document's text is ten to forty times faster."""
    return sum(1 for m in pattern.finditer(text) if m.start() == 0 or not _is_word_char(text[m.start() - 1]))


def _is_word_char(ch: str) -> bool:
    """What `\\w` matches: letters and digits in any script, and the underscore."""
    return ch.isalnum() or ch == "_"


def dollar_currency(texts: list[str]) -> str:
    """Which dollar a document's "$" is, from how often it names each country (US by default)."""
    joined = "\n".join(texts)
    counts = {code: _word_count(p, joined) for code, p in _DOLLAR_COUNTRIES.items()}
    best = max(counts, key=lambda c: counts[c])
    return best if counts[best] >= 3 and counts[best] > 2 * counts["USD"] else "USD"


_UNIT = re.compile(r"^\(?(?:[a-z]{0,3}[$£€¥]|[a-z]{3})?\s?'?(?:000s?|'?m|mn|bn|000's)\)?$|^\(?[$£€¥]\)?$", re.I)


def unit_word(text: str) -> bool:
    """A unit printed in a column heading ("£'000", "$m", "US$000", "€"), not part of its period."""
    return bool(_UNIT.match(text.replace("\u2019", "'")))
