"""The reporting company's name, from the entity line printed with a statement's title (`detect.entity_near`) or
from a document's cover and running headers (`detect.company_from_text`).

A company's name ends with its legal form ("Inc.", "Limited", "plc"). What an entity line prints after it is no part
of the name: the statement's scope ("and Subsidiaries", "(Parent Company Only)"), a registration ("(Registered
number: 00477955)"), or the column headings a scanned line ran into ("Notes 2016 2015"). A company's documents are
consolidated under its name, so each of its filings must give the same one whatever its statements' scope.
"""

from __future__ import annotations

import re

# Legal forms that end a name. "Company", "Group", "Holdings" and "Trust" stand inside names too ("WADWORTH and
# Company Limited", "Kelly Partners Group Holdings Limited"): they end one only where no legal form follows.
_LEGAL_FORM = re.compile(
    r"(?<![\w.])(?:inc|incorporated|corp|corporation|limited|ltd|plc|llc|l\.l\.c|l\.p|s\.a|ag|se|n\.v|nv|gmbh)\b\.?",
    re.I,
)

SCOPE = re.compile(
    r"\s*,?\s*(?:\band\b|&)\s+(?:its\s+)?(?:consolidated\s+)?(?:subsidiar(?:y|ies)|controlled\s+entities"
    r"|subsidiary\s+(?:companies|undertakings))\b.*$",
    re.I,
)
"""The statement's scope after the name ("and Subsidiaries", "& its controlled entities"): the group the statements
consolidate, named after its parent."""

_PARENT = re.compile(r"\s*[-–(]\s*(?:parent|registrant)\b[^)]*\)?\s*$", re.I)
"""A parent-company statement's scope ("(Parent Company Only)", "- Registrant")."""

FORMER = re.compile(r"^\(?\s*(?:formerly|previously)\b", re.I)
"""A line giving the company's former name ("FORMERLY KNOWN AS JMU LIMITED"), printed under its present one."""

REGISTRATION = re.compile(r"\b(?:company|registered|registration)\s+(?:number|no\b\.?)|\d{6,}", re.I)
"""A registration ("Company number 6005142", "Registered No. 00477955"): six digits or more are a register's
number, never part of a name."""

_SCOPE_ONLY = re.compile(r"(?:(?:the|parent|group|company|entity|consolidated|and|&|only)\b\s*)+", re.I)
"""Words that name a scope and no company ("Parent Company Only", "Group Company" over a group's and a company's
columns)."""


def company_name(entity: str) -> str | None:
    """The company an entity line names, without scope, registration or what follows its legal form; None for a
    line that names no company (a scope alone, a former name, a registration)."""
    name = re.sub(r"\s+", " ", entity).strip()
    if FORMER.match(name):
        return None
    name = re.sub(r"\s*\((?:formerly|previously)\b[^)]*\)?", "", name, flags=re.I)  # "X Inc. (formerly Y Ltd)"
    name = SCOPE.sub("", _PARENT.sub("", name))
    if forms := list(_LEGAL_FORM.finditer(name)):
        name = name[: forms[-1].end()]
    name = name.strip(" ,;:-–|")
    if not name or _SCOPE_ONLY.fullmatch(name) or REGISTRATION.search(name):
        return None
    return name


def company_key(name: str) -> str:
    """What two spellings of one company's name share: its letters and digits, in one case ("ADOBE INC." in a 10-K,
    "Adobe Inc." in a 10-Q; "Apple Inc" with its point lost)."""
    return "".join(ch for ch in name.casefold() if ch.isalnum())


def names_only_a_company(line: str) -> bool:
    """Whether a line is a company's name and nothing more, bar its scope ("Ulta Beauty, Inc.", "Tallis Medical plc
    and Subsidiaries"): the first line of a statement's title block, never one of its line items (a line item names
    the company inside a longer label: "Net income attributable to Ulta Beauty, Inc.")."""
    text = re.sub(r"\s+", " ", SCOPE.sub("", _PARENT.sub("", line))).strip(" ,;:-–|")
    name = company_name(text)
    if name is None or name != text or _LEGAL_FORM.search(name) is None or len(name.split()) < 2:
        return False
    # a name is set in capitals or capitalised words, bar its joining words ("Bank of the Ozarks Inc."); a label
    # that ends on a company's name is not ("Available-for-sale securities of TransUnion Holdings, Inc.")
    return all(word[:1].isupper() or word[:1].isdigit() or word.lower() in _JOINING for word in name.split())


_JOINING = {"of", "and", "the", "&", "de", "du", "des", "la", "le", "et", "van", "von", "der"}
