"""Consolidation: one company's statements from several documents aligned into one table per statement. Pure
(Polars and the domain types): no database, no job queue.

    model      the consolidation's types: accounts, periods, sources, restatements
    mapping    account identity: label normalisation, the analyst's merges and renames (overrides)
    alignment  `consolidate(documents) -> Consolidation`: periods aligned, latest filing wins, restatements flagged
    analysis   variances, growth and common-size columns over a consolidated statement
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
