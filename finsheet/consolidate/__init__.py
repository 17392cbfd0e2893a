"""Consolidation: one company's statements from several documents aligned into one table per statement. Pure
(Polars and the domain types): no database, no job queue.

    model      the consolidation's types: accounts, periods, sources, restatements
    mapping    account identity: label normalisation, matches on labels and on figures, the analyst's overrides
    alignment  `consolidate(documents) -> Consolidation`: periods aligned, latest filing wins, restatements flagged
    periods    which columns of several statements are the same period; lone years; 52/53-week lengths
    splits     stock splits found from reprinted per-share and share figures; earlier filings put on one basis
    analysis   variances, growth and common-size columns over a consolidated statement
    chart      the standard chart of accounts, the label vocabulary that recognises it, the ratios
    spread     the standard spread: suggested mapping + the analyst's choices, fiscal years, LTM, ratios
"""

from finsheet.consolidate.alignment import consolidate
from finsheet.consolidate.mapping import ConsolidationSettings, Overrides
from finsheet.consolidate.model import Account, ConsolidatedPeriod, ConsolidatedStatement, Consolidation

__all__ = [
    "Account",
    "ConsolidatedPeriod",
    "ConsolidatedStatement",
    "Consolidation",
    "ConsolidationSettings",
    "Overrides",
    "consolidate",
]
