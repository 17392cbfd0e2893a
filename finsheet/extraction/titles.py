"""A statement's title: which statement a line names, and whether it stands alone as a title.

Notes, narrative and tables of contents name statements all the time; a title is a line that opens with the
statement's name (after words like "consolidated" or "U.S. GAAP") and carries nothing after it but its period,
unit, scope or the reporting entity. Lines are matched with their spaces taken out, so letter-spaced ("Incom e")
and run-together ("CONSOLIDATEDSTATEMENT") text layers read the same.
"""

from __future__ import annotations

import functools
import re

from rapidfuzz.distance import Levenshtein

from finsheet.model import StatementType

T = StatementType

# A title names the statement; matched against a line's lower-cased text with spaces collapsed.
TITLES: dict[StatementType, re.Pattern[str]] = {
    T.INCOME: re.compile(
        r"\bincome statements?\b|\b(?:statements?|accounts?) of (?:consolidated )?(?:income|operations|earnings"
        r"|profit (?:or|and|&) loss|(?:comprehensive )?(?:profit|loss)|financial performance)\b"
        r"|\bprofit (?:and|&) loss(?: account)?\b|\bstatements? of (?:financial )?activit(?:y|ies)\b"
        r"|\bstatements? of (?:support, )?revenues?,? (?:support,? )?(?:and|&) expenses?\b"
        r"|\bstatements? of revenues?,? expenses\b|\bstatement of revenue (?:and|&) expense\b"
    ),
    T.BALANCE: re.compile(
        r"\bbalance sheets?\b|\bstatements? of (?:consolidated )?financial (?:position|condition)\b"
        r"|\bstatements? of (?:assets,? )?(?:liabilities and )?net assets\b|\bstatements? of assets and liabilities\b"
        r"|\bstatements? of condition\b"
    ),
    T.CASH_FLOW: re.compile(r"\bstatements? of (?:consolidated )?cash ?flows?\b|\bcash ?flows? statements?\b"),
    T.EQUITY: re.compile(
        r"\bstatements? of (?:consolidated )?(?:changes in )?(?:(?:stock|share)holders['’]?|owners['’]?|members['’]?"
        r"|partners['’]?|total)? ?(?:equity|deficit|capital)\b|\bstatements? of changes in (?:net assets|equity)\b"
        r"|\bchanges in (?:stock|share)holders['’]? equity\b"
    ),
    T.COMPREHENSIVE: re.compile(
        r"\bstatements? of (?:consolidated )?(?:other )?comprehensive (?:income|loss|earnings)\b"
    ),
}


# Statements printed as one ("profit or loss and other comprehensive income") are income statements.
_COMBINED_INCOME = re.compile(
    r"(?:income|operations|earnings|profit (?:or|and|&) loss)\b.{0,40}\bcomprehensive (?:income|loss)"
)


AMOUNT = re.compile(r"\d{1,3},\d{3}|\(\d[\d,.]*\)|\d\.\d\d\b")


_TITLE_TAIL = re.compile(
    r"\s*(?:\(|/|for\b|as\b|at\b|year|period|and\b|&|-|—|–|continued|\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|(?:19|20)\d\d|of\b|in\b|\$|£|€"
    r"|chf|usd|gbp|eur|aud|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|unaudited|audited|consolidated)"
)


_DAY_END = re.compile(r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}$")


CONTINUED = re.compile(r"\(?\bcontinued\b\)?|\bcont['’]?d\b")


# The notes follow the statements and are headed as such ("Notes to the consolidated financial statements",
# "Notes to the accounts"): a page under that heading is never a statement running on from the page before.
NOTES_HEADING = re.compile(
    r"^(?:\d{1,3}\s+)?notes? (?:to|on|forming part of) (?:the )?(?:[a-z]+ ){0,3}(?:financial statements|accounts)\b"
)


_TOC_LINE = re.compile(r"(?:(?<!\.)\.{3,}|(?<!\s)\s{2,}|\t)\s*\d{1,3}\s*$")
"""A contents line: a page number after a leader or a wide space. A run of dots or spaces is tried from its start
only (the look-behinds): tried from each of its places, the search takes time as the square of its length, and a
scan's layout text has runs of a hundred spaces and more."""


def normalise(text: str) -> str:
    """Lower case, straight quotes, one space between words."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'").replace("&", " & ")
    # str.split() parts at exactly the characters `\s` matches, and a page's text is normalised several times:
    # this is four times faster than re.sub(r"\s+", " ", text).strip(), with the same result
    return " ".join(text.split())


def _squeeze_pattern(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The same pattern for text with its spaces taken out (see `_squeeze`)."""
    return re.compile(pattern.pattern.replace(" ?", "").replace(" ", "").replace(r"\b", ""))


_SQUEEZED = {kind: _squeeze_pattern(pattern) for kind, pattern in TITLES.items()}


_SQUEEZED_COMBINED = _squeeze_pattern(_COMBINED_INCOME)


# Words that may stand before a statement's name in its title, spaces taken out ("U.S. GAAP Consolidated ...").
_SQUEEZED_PREFIX = re.compile(
    r"^(?:the|consolidated|condensed|combined|group|company|company's|parent|parentcompany|interim|unaudited|audited"
    r"|summary|statutory|separate|standalone|stand-alone|abridged|abbreviated|u\.?s\.?gaap|gaap|ifrs|and|&|-|—|–|\*)*"
)


# A title standing alone may carry only its period, its unit and the like after the statement's name.
_PLAIN_TAIL_WORD = re.compile(
    r"for|the|a|year|years|period|periods|quarter|quarters|half|half-year|ended|ending|end|as|at|of|on|and|&|to"
    r"|from|months?|weeks?|three|six|nine|twelve|in|thousands?|millions?|billions?|except|per|share|shares|data"
    r"|amounts?|unaudited|audited|consolidated|continued|cont'?d|restated|expressed|notes?|group|company|parent"
    r"|dollars?|us|u\.s\.|canadian|australian|pounds?|sterling|euros?|usd|gbp|eur|aud|cad|chf|'?000s?|[$£€]"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?|[\d.,/'-]+|[-—–/]"
)


def _squeeze(text: str) -> tuple[str, list[int]]:
    """The text without spaces, and where each of its characters sits in the text.

    Text layers space letters apart ("Incom e", "S T A T E M E N T") or run words together
    ("CONSOLIDATEDSTATEMENT OF FINANCIALCONDITION"); a title matched without its spaces reads the same either way.
    """
    index = [i for i, ch in enumerate(text) if not ch.isspace()]
    return "".join(text[i] for i in index), index


def _stands_alone(rest: str) -> bool:
    """Whether what follows a statement's name is only its period, unit or reporting entity (not prose)."""
    # the name's alternative in brackets comes first ("Statement of comprehensive income (loss)")
    rest = re.sub(r"^\s*\((?:loss|losses|income|deficit|earnings)\)", "", rest)
    words = re.findall(r"[^\s(),:;]+", rest)
    if all(_PLAIN_TAIL_WORD.fullmatch(w) for w in words):
        return True
    # the reporting entity printed on the title's line ("Consolidated Balance Sheets General Mills, Inc. and ...")
    return len(rest) <= 70 and bool(ENTITY.search(rest)) and not re.search(r"\b(?:is|are|was|were|should|has)\b", rest)


def title_type(line: str, *, ocr: bool = False) -> StatementType | None:
    """The statement a line names as its title, or None.

    The statement's name must open the line (after words like "consolidated"), and the line must not read as a
    sentence or a table-of-contents entry: notes and narrative mention statements all the time. The name is
    matched with the line's spaces taken out, so letter-spaced and run-together text layers read the same.
    An OCR'd line (`ocr`) that is no title as read is tried once more as OCR may have misread it (see
    `ocr_repaired`); a text layer holds the letters as printed, so its lines are not repaired.
    """
    kind = _title_type(line)
    if kind is None and ocr:
        repaired = ocr_repaired(line)
        if repaired != line:
            kind = _title_type(repaired)
    return kind


# OCR reads a margin decoration, a punch hole or dirt before a line as a short token of symbols ("“2", "2:...",
# "s::::", "|", "338°"); a word, a note number ("2.", "(2)", "12", "2.1") or a list marker ("(a)", "iv.") is not
# such a speck, nor is a currency's unit ("£m").
_SPECK_TOKEN = re.compile(r"(?=.*[^\w\s])(?!.*[A-Za-z].*[A-Za-z])(?!.*[$£€¥])\S{1,6}")
_NUMBERING = re.compile(r"\(?(?:\d{1,3}(?:\.\d{1,2})*|[A-Za-z]{1,4})[.)]?")


def _without_leading_speck(line: str) -> str:
    first, _, rest = line.partition(" ")
    rest = rest.lstrip()
    if rest[:1].isupper() and _SPECK_TOKEN.fullmatch(first) and not _NUMBERING.fullmatch(first):
        return rest
    return line


# OCR reads a speck after the last letter of a line as a full stop ("CONSOLIDATED BALANCE SHEETS."); a line in
# capitals is a heading, never a sentence, so its final stop is such a speck.
_CAPITALS_STOP = re.compile(r"^(?P<head>[^a-z]*[A-Z][^a-z]*?)\s*\.$")


# The words of statement titles, which OCR misreads a letter or two of ("Conslidated", "Staternent").
_TITLE_VOCABULARY = (
    "consolidated", "condensed", "combined", "statement", "statements", "balance", "sheet", "sheets", "income",
    "operations", "earnings", "profit", "comprehensive", "financial", "position", "condition", "flows", "changes",
    "equity", "stockholders", "shareholders", "activities", "revenues", "expenses", "account",
)


def ocr_repaired(line: str) -> str:
    """A line as it was printed, where OCR's usual misreadings of a title are undone: a speck read before it or
    as its final full stop, and title words with a letter or two misread (see `_TITLE_VOCABULARY`)."""
    line = _without_leading_speck(line.strip())
    # a speck joined to the front of a capitalised word reads as a lower-case letter ("eConsolidated")
    line = re.sub(r"\b[a-z](?=[A-Z][a-z]{3})", "", line)
    # or as a mark joined to it ("“Consolidated", "°BALANCE"): no title opens with a mark (a bracket may open a
    # list marker, a sign a unit; those stay)
    line = re.sub(r"^[^\w\s(\[$£€¥]+(?=[A-Z])", "", line)
    m = _CAPITALS_STOP.match(line)
    if m:
        line = m.group("head")
    return re.sub(r"[A-Za-z]{6,}", _vocabulary_word, line)


def _vocabulary_word(m: re.Match[str]) -> str:
    """A misread title word as the word it is closest to, in the printed case; other words as they are."""
    word = m.group(0)
    best = _nearest_title_word(word.lower())
    if best is None:
        return word
    return best.upper() if word.isupper() else best.capitalize() if word[0].isupper() else best


@functools.lru_cache(maxsize=4096)
def _nearest_title_word(low: str) -> str | None:
    """The title word `low` is a misreading of, or None.

    One edit (a letter dropped, added or changed) is allowed in a word of six to nine letters, two in a longer
    one: fewer than any two title words differ by, and too few to turn an everyday word into a title word
    ("financing" stays "financing", two edits from "financial")."""
    if low in _TITLE_VOCABULARY:
        return None
    allowed = 1 if len(low) < 10 else 2
    # a word's first and last letters stay: what differs there is another form of the word, not a misreading
    # ("accounts", "unconsolidated", "balanced", "opposition")
    near = [v for v in _TITLE_VOCABULARY if v[0] == low[0] and v[-1] == low[-1]]
    best = min(near, key=lambda v: Levenshtein.distance(low, v, score_cutoff=allowed + 1), default=None)
    return best if best and Levenshtein.distance(low, best, score_cutoff=allowed + 1) <= allowed else None


def _title_type(line: str) -> StatementType | None:
    text = normalise(line)
    if not text or len(text) > 140 or _TOC_LINE.search(line) or text.endswith((":", ";", ",")):
        return None
    if text.endswith(".") and not re.search(r"\b(?:inc|corp|co|ltd|plc|llc|n\.v|s\.a|l\.p)\.$", text):
        return None  # a sentence's full stop (a company name's "Inc." is not one)
    if re.search(r"[.;]\s+[a-z]", line):
        return None  # runs across a sentence boundary
    if AMOUNT.search(text):
        return None  # a line with amounts is a row of figures ("Profit and loss account (145,784)")
    if re.match(r"[^A-Za-z]*[a-z]", line) or ": " in text:
        return None  # a title starts with a capital and is not an introduction ("... statements of cash flows:")
    squeezed, index = _squeeze(text)
    found = _matches(squeezed)
    if not found:
        return None
    kind, m = min(((k, m) for k, m in found.items()), key=lambda km: km[1].start())
    prefix = _SQUEEZED_PREFIX.match(squeezed)
    if m.start() > (prefix.end() if prefix else 0) + 1:  # a bullet or an OCR speck
        return None
    end = m.end()
    combined = _SQUEEZED_COMBINED.search(squeezed, m.start())
    if combined is not None and combined.start() < end:
        end = max(end, combined.end())  # "... profit or loss and other comprehensive income" is one name
    if T.INCOME in found and T.COMPREHENSIVE in found:
        # an income statement and comprehensive income printed as one ("... Income Statement and Statement of
        # Comprehensive Income"): the whole name is the title, and the statement is the income statement
        kind, end = T.INCOME, max(end, found[T.COMPREHENSIVE].end())
    rest = text[index[end - 1] + 1 :]
    if re.match(r"\s*(?:data|information|summary|highlights|items|captions?)\b", rest):
        return None  # "Balance Sheet Data": selected figures from a statement, not the statement
    if re.search(r"previously reported|adjustments?\b|reconciliation", rest):
        return None  # a restatement's or a reconciliation's column headings: a note's table, not the statement
    if re.match(r"\s*[.,;:]", rest) or (re.search(r"\s\d{1,3}$", text) and not _DAY_END.search(text)):
        return None  # a sentence running on, or a table-of-contents entry with its page number
    # what follows the name may be a period ("for the year ended ..."), a unit or "(continued)", not more prose
    if rest.strip() and not _TITLE_TAIL.match(rest) and not _stands_alone(rest):
        return None
    if not _capitalised(line) and not _stands_alone(rest):
        return None  # a title in sentence case must stand alone: a sentence mentioning a statement runs on
    return kind


def _capitalised(line: str) -> bool:
    """Title Case or CAPITALS (most long words start with a capital)."""
    long_words = [w for w in line.split() if len(w) >= 4 and w[0].isalpha()]
    return not long_words or sum(w[0].isupper() for w in long_words) >= 0.6 * len(long_words)


def _matches(squeezed: str) -> dict[StatementType, re.Match[str]]:
    found = {kind: m for kind, pattern in _SQUEEZED.items() if (m := pattern.search(squeezed))}
    if T.COMPREHENSIVE in found and T.INCOME in found and found[T.INCOME].start() == found[T.COMPREHENSIVE].start():
        del found[T.INCOME]  # "statement of comprehensive income" is not also a "statement of income"
    return found


ENTITY = re.compile(
    r"\b(?:inc|incorporated|corp|corporation|company|companies|co|limited|ltd|plc|llc|l\.l\.c|lp|l\.p|s\.a|sa|ag|se"
    r"|n\.v|nv|gmbh|group|holdings|trust|foundation|bank|partners)\b\.?",
    re.I,
)


def same_title(a: str, b: str) -> bool:
    """Whether two titles are the same, letters compared. OCR misreads a letter here and there ("ZELLY PARTNERS"
    for "KELLY PARTNERS" on the next page): one letter in 25 may differ, fewer than tell two statements of a
    kind apart ("Company balance sheet", "Group balance sheet")."""
    def key(t: str) -> str:
        # letters only, then "continued" taken off: a title in spaced letters spaces it too ("( c o n t i n u e d )")
        return re.sub(r"(?:continued|contd)$", "", re.sub(r"[^a-z]+", "", CONTINUED.sub("", normalise(t))))

    ka, kb = key(a), key(b)
    return ka == kb or Levenshtein.distance(ka, kb) <= max(len(ka), len(kb)) // 25


_STATEMENT_HEADING = re.compile(_SQUEEZED_PREFIX.pattern + r"(?:statements?of|balancesheet|incomestatement)")


def names_other_statement(line: str, kind: StatementType) -> bool:
    """A heading naming a statement other than `kind` ("Consolidated Statements of Total Equity and ...")."""
    text = normalise(line)
    if len(text) > 120 or CONTINUED.search(text) or AMOUNT.search(text):
        return False
    return bool(_STATEMENT_HEADING.match(_squeeze(text)[0])) and title_type(line) != kind
