"""The Consolidate page's session state: which controls it holds under which keys, and what each of the page's
actions does to it. The page draws widgets on these keys and hands its clicks here; no streamlit here, so the
whole bookkeeping runs on a dict in the tests.

    session = ConsolidationSession(st.session_state)
    session.follow(company, record, document_ids)        # controls restarted or kept as the choice changes
    st.button("Merge", on_click=session.merge)            # reads MERGE_SOURCE / MERGE_TARGET, empties them
    overrides = session.overrides                         # what gather() builds with

Every change to the overrides leaves a message the next run shows once (`take_message`), and empties the form
that asked for it, so a second click does not repeat it.
"""

from __future__ import annotations

from collections.abc import Collection, MutableMapping
from typing import TYPE_CHECKING, Any

from finsheet.consolidate.mapping import ConsolidationSettings, Overrides, Suggestion
from finsheet.consolidate.spread import choose
from finsheet.workbench import consolidation as cv

if TYPE_CHECKING:
    from finsheet.store import ConsolidationRecord

# The session-state keys; the page's widgets use the same ones.
CONSOLIDATION_KEY = "fs_consolidation_key"
"""(company, saved consolidation id or 0) the controls were started for."""
OVERRIDES = "fs_overrides"
CONSOLIDATION_ID = "fs_consolidation_id"
"""A consolidation to open on the next run (just saved, or chosen on another page)."""
WORKBOOK = "fs_workbook"
"""(key, bytes) the Download workbook button serves, kept so a rerun does not rebuild them."""
COMPANY = "cons_company"
CHOICE = "cons_choice"
DOCUMENTS = "cons_docs"
KNOWN_DOCUMENTS = "cons_known_docs"
MONTHS = "cons_months"
SCALE = "cons_scale"
LABELS = "cons_labels"
"""Every line's name seen this session: a merged line leaves the tables, and the undo list still names it."""
MESSAGE = "cons_flash"
MERGE_SOURCE, MERGE_TARGET = "cons_merge_source", "cons_merge_target"
RENAME_ACCOUNT, RENAME_LABEL = "cons_rename_account", "cons_rename_label"
EXCLUDE_ACCOUNT = "cons_exclude_account"


class ConsolidationSession:
    """The Consolidate page's controls and overrides, kept in `state` (Streamlit's session state, or any dict)."""

    def __init__(self, state: MutableMapping[str, Any]) -> None:
        self.state = state

    # ----------------------------------------------------------------- what is being consolidated

    def open_pending(self, saved: Collection[int]) -> None:
        """Select the consolidation asked for by the last run (a save, another page), when it is among `saved`."""
        pending = self.state.pop(CONSOLIDATION_ID, None)
        if pending in saved:
            self.state[CHOICE] = pending

    def follow(self, company: str, record: ConsolidationRecord | None, document_ids: list[int],
               *, defaults: list[int] | None = None) -> None:
        """Start the controls from a saved consolidation, or afresh with `defaults` (all the documents when not
        given), when the company or the saved consolidation changes; later, add documents that finish extracting
        (to a new consolidation) and drop deleted ones."""
        state = self.state
        if state.get(CONSOLIDATION_KEY) != (company, record.id if record else 0):
            state[CONSOLIDATION_KEY] = (company, record.id if record else 0)
            state[OVERRIDES] = Overrides.model_validate(record.overrides) if record else Overrides()
            start = record.document_ids if record else (defaults if defaults is not None else document_ids)
            state[DOCUMENTS] = [i for i in start if i in document_ids]
            state[KNOWN_DOCUMENTS] = set(document_ids)
            settings = ConsolidationSettings.model_validate(record.settings) if record else ConsolidationSettings()
            state[MONTHS], state[SCALE] = settings.months or 0, settings.scale or 0
        if (known := state.get(KNOWN_DOCUMENTS)) != set(document_ids):
            fresh = [] if record else [i for i in document_ids if i not in (known or set())]
            kept = [i for i in state.get(DOCUMENTS, []) if i in document_ids]
            state[DOCUMENTS] = kept + fresh
            state[KNOWN_DOCUMENTS] = set(document_ids)

    def saved(self, company: str, consolidation_id: int) -> None:
        """A consolidation was just saved: the next run opens it, its controls kept as they are."""
        self.state[CONSOLIDATION_ID] = consolidation_id
        self.state[CONSOLIDATION_KEY] = (company, consolidation_id)

    def workbook(self, gathered: cv.Gathered) -> bytes:
        """The workbook of `gathered`, built once for each state of the consolidation."""
        key = cv.workbook_key(gathered)
        kept = self.state.get(WORKBOOK)
        if kept is None or kept[0] != key:
            kept = self.state[WORKBOOK] = (key, cv.workbook_bytes(gathered.consolidation))
        return kept[1]

    # ----------------------------------------------------------------- the mapping

    @property
    def overrides(self) -> Overrides:
        return self.state.setdefault(OVERRIDES, Overrides())

    def labels(self, names: dict[str, str]) -> dict[str, str]:
        """Every line's name seen this session, `names` (the lines in the tables now) added."""
        known: dict[str, str] = self.state.setdefault(LABELS, {})
        known.update(names)
        return known

    def take_message(self) -> str | None:
        """What the last action did (or what it missed), once."""
        return self.state.pop(MESSAGE, None)

    def merge(self) -> None:
        """The Merge form: fold its first line into its second."""
        self._request(cv.merge_request(self.overrides, self.state.get(MERGE_SOURCE), self.state.get(MERGE_TARGET),
                                       self._known()), MERGE_SOURCE, MERGE_TARGET)

    def rename(self) -> None:
        """The Rename form: show its line under the typed name."""
        self._request(cv.rename_request(self.overrides, self.state.get(RENAME_ACCOUNT),
                                        self.state.get(RENAME_LABEL) or "", self._known()),
                      RENAME_ACCOUNT, RENAME_LABEL)

    def exclude(self) -> None:
        """The Leave out form: drop its line from the tables and the workbook."""
        self._request(cv.exclude_request(self.overrides, self.state.get(EXCLUDE_ACCOUNT), self._known()),
                      EXCLUDE_ACCOUNT)

    def accept(self, suggestion: Suggestion) -> None:
        self._apply(cv.accept(self.overrides, suggestion), "Suggestion accepted.")

    def reject(self, suggestion: Suggestion) -> None:
        self._apply(cv.reject(self.overrides, suggestion), "Suggestion rejected.")

    def undo(self, action: str, said: str) -> None:
        """Undo one action of `cv.mapping_actions` (`said`: its words)."""
        self._apply(cv.undo_action(self.overrides, action), f"Undone: {said}.")

    def undo_merges(self) -> None:
        self._apply(cv.undo_merges(self.overrides), "Every merge and match undone.")

    def choose_spread(self, line: str, accounts: list[str] | None) -> None:
        """Map a standard spread line to `accounts` (None: back to the suggestion). The spread's table shows it:
        no message, which the Line mapping section would show far from it."""
        self.state[OVERRIDES] = choose(self.overrides, line, accounts)

    def _known(self) -> dict[str, str]:
        return self.state.get(LABELS, {})

    def _apply(self, new: Overrides, message: str, *clear: str) -> None:
        self.state[OVERRIDES] = new
        self.state[MESSAGE] = message
        for key in clear:
            self.state[key] = "" if key == RENAME_LABEL else None

    def _request(self, asked: tuple[Overrides | None, str], *clear: str) -> None:
        """Apply what a form asked, or say what it is missing (the form keeps its choices then)."""
        new, message = asked
        if new is not None:
            self._apply(new, message, *clear)
        elif message:
            self.state[MESSAGE] = message

