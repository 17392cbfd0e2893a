"""Consolidate: one company's documents aligned by period; mapping suggestions, line edits, restatements,
charts, and the workbook download. Settings and edits are saved per consolidation."""

import streamlit as st

from finsheet.consolidate.mapping import ConsolidationSettings, Overrides
from finsheet.consolidate.model import Consolidation
from finsheet.consolidate.spread import LINES, VOCABULARY, build_spread, choose, display_tables
from finsheet.errors import FinsheetError
from finsheet.export import charts
from finsheet.workbench import consolidation as cv
from pages._common import (
    CONSOLIDATION_ID,
    CONSOLIDATION_KEY,
    OVERRIDES,
    WORKBOOK,
    current_user,
    follow_consolidation,
    show_error,
    workbench,
)

user = current_user()
wb = workbench()
st.title("Consolidate")
companies = cv.companies(wb.store, user)
if not companies:
    st.info("No extracted document yet: upload a PDF and wait for its job (Jobs page).")
    st.stop()

top = st.columns([2, 2, 3])
company = top[0].selectbox("Company", companies, key="cons_company")
saved = {r.id: r for r in wb.store.list_consolidations(user, company)}
if (pending := st.session_state.pop(CONSOLIDATION_ID, None)) in saved:
    st.session_state["cons_choice"] = pending
choice = top[1].selectbox("Consolidation", [0, *saved], key="cons_choice",
                          format_func=lambda i: saved[i].name if i else "New consolidation")
record = saved.get(choice)
docs = {d.id: d for d in cv.company_documents(wb.store, user, company)}
follow_consolidation(st.session_state, company, record, list(docs))
chosen = top[2].multiselect("Documents", list(docs), key="cons_docs", format_func=lambda i: docs[i].name)
opts = st.columns(4)
months = opts[0].selectbox("Flow periods", [0, 12, 6, 3], key="cons_months",  # 0: any length
                           format_func=lambda m: f"{m} months only" if m else "all lengths")
scale = opts[1].selectbox("Present in", [0, 1, 1000, 1_000_000, 1_000_000_000], key="cons_scale",  # 0: automatic
                          format_func=lambda s: f"× {s:,}" if s else "the latest document's scale")
try:
    gathered = cv.gather(wb.store, user, company=company, document_ids=chosen,
                         settings=ConsolidationSettings(months=months or None, scale=scale or None),
                         overrides=st.session_state[OVERRIDES], consolidation_id=record.id if record else None,
                         name=record.name if record else company)
except FinsheetError as exc:
    show_error(exc)
    st.stop()
c = gathered.consolidation
for warning in c.warnings:
    st.warning(warning)
if not c.statements:
    st.stop()
st.caption(f"{c.company or company} · {c.scale_label} · {len(c.documents)} document(s), most recent last: "
           + ", ".join(d.file for d in c.documents) + " · (R): a period with restated values")

tabs = st.tabs([kind.display_name for kind in c.statements])
for tab, (kind, statement) in zip(tabs, c.statements.items(), strict=True):
    with tab:
        styled = cv.style_statement(statement)
        right = {c: st.column_config.TextColumn(c, alignment="right") for c in styled.data.columns[1:]}
        st.dataframe(styled, hide_index=True, height=min(700, 38 + 35 * len(statement.accounts)), column_config=right)
        failed = [check.detail for check in statement.checks if not check.ok]
        st.caption(f"checks: {len(statement.checks) - len(failed)}/{len(statement.checks)} pass " + "; ".join(failed))
        picks = st.multiselect("Chart lines", [a.id for a in statement.accounts], key=f"cons_chart_{kind.value}",
                               default=[a.id for a in statement.accounts if a.is_total][:3],
                               format_func=lambda i, s=statement: next(a.label for a in s.accounts if a.id == i))
        if picks:
            st.plotly_chart(charts.trend(c, kind, picks), key=f"cons_trend_{kind.value}")
        if len(statement.periods) >= 2:
            first, last = statement.periods[-2].key, statement.periods[-1].key
            st.plotly_chart(charts.variance(c, kind, first, last, top=12), key=f"cons_var_{kind.value}")

overrides: Overrides = st.session_state[OVERRIDES]
st.subheader("Line mapping")
pending_suggestions = [s for s in c.suggestions if not s.applied]
if c.suggestions:
    st.dataframe(cv.suggestions_frame(c), hide_index=True)
if pending_suggestions:
    pick = st.selectbox("Suggestion", pending_suggestions, key="cons_suggestion",
                        format_func=lambda s: f"{s.source_label} → {s.target_label} ({s.score:.0f})")
    a, r, _ = st.columns([1, 1, 4])
    if a.button("Accept", key="cons_accept"):
        st.session_state[OVERRIDES] = cv.accept(overrides, pick)
        st.rerun()
    if r.button("Reject", key="cons_reject"):
        st.session_state[OVERRIDES] = cv.reject(overrides, pick)
        st.rerun()
names = cv.account_choices(c)
with st.expander("Merge, rename, exclude lines", icon=":material/tune:"):
    m1, m2, m3 = st.columns([3, 3, 1])
    source = m1.selectbox("Merge this line", list(names), format_func=names.__getitem__, key="cons_merge_source")
    target = m2.selectbox("into this line", list(names), format_func=names.__getitem__, key="cons_merge_target")
    if m3.button("Merge", key="cons_merge"):
        try:
            st.session_state[OVERRIDES] = cv.merge(overrides, source, target)
            st.rerun()
        except FinsheetError as exc:
            show_error(exc)
    n1, n2, n3 = st.columns([3, 3, 1])
    account = n1.selectbox("Rename this line", list(names), format_func=names.__getitem__, key="cons_rename_account")
    label = n2.text_input("to", key="cons_rename_label")
    if n3.button("Rename", key="cons_rename"):
        st.session_state[OVERRIDES] = cv.rename(overrides, account, label)
        st.rerun()
    excluded = st.multiselect("Leave out", list(names), default=[a for a in overrides.exclude if a in names],
                              format_func=names.__getitem__, key=f"cons_exclude_{len(overrides.exclude)}")
    if set(excluded) != set(overrides.exclude) and st.button("Apply", key="cons_exclude_apply"):
        st.session_state[OVERRIDES] = overrides.model_copy(update={"exclude": excluded})
        st.rerun()
    if (overrides.merge or overrides.accepted) and st.button("Undo all merges", key="cons_unmerge"):
        st.session_state[OVERRIDES] = cv.undo_merges(overrides)
        st.rerun()



def standard_spread_section(consolidation: Consolidation, overrides: Overrides) -> None:
    """The standard spread (helper E's section): figures and ratios by fiscal year, and each line's mapping, which
    the analyst can change (saved with the other overrides)."""
    with st.expander("Standard spread", icon=":material/table_chart:"):
        spread = build_spread(consolidation)
        lines, ratios = display_tables(spread)
        st.dataframe(lines, hide_index=True)
        st.dataframe(ratios, hide_index=True)
        for note in [s.note for s in consolidation.splits] + spread.notes:
            st.caption(note)
        key = st.selectbox("Spread line", list(VOCABULARY), format_func=lambda k: LINES[k].label, key="spread_line")
        kinds = {LINES[key].statement, *VOCABULARY[key].statements}
        names = {a.id: f"{kind.display_name} · {a.label}" for kind, s in consolidation.statements.items()
                 if kind in kinds for a in s.accounts}
        mapped = spread.mapping[key]
        picked = st.multiselect("is made of", list(names), default=[a for a, _ in mapped.accounts if a in names],
                                format_func=names.__getitem__, key=f"spread_pick_{key}_{mapped.chosen}")
        left, right, _ = st.columns([1, 2, 3])
        if left.button("Apply", key="spread_apply"):
            st.session_state[OVERRIDES] = choose(overrides, key, picked)
            st.rerun()
        if right.button("Back to the suggestion", key="spread_reset", disabled=not mapped.chosen):
            st.session_state[OVERRIDES] = choose(overrides, key, None)
            st.rerun()


standard_spread_section(c, overrides)

if c.restatements:
    st.subheader(f"Restatements ({len(c.restatements)})")
    st.dataframe(cv.restatements_frame(c), hide_index=True)

st.subheader("Save and download")
s1, s2, s3 = st.columns([3, 1, 2])
name = s1.text_input("Name", value=gathered.name, key=f"cons_name_{choice}")
if s2.button("Save", icon=":material/save:", key="cons_save"):
    try:
        st.session_state[CONSOLIDATION_ID] = cv.save(wb.store, user, gathered, name=name)
        st.session_state[CONSOLIDATION_KEY] = (company, st.session_state[CONSOLIDATION_ID])
        st.rerun()
    except FinsheetError as exc:
        show_error(exc)
key = cv.workbook_key(gathered)
if st.session_state.get(WORKBOOK, ("", b""))[0] != key:
    try:
        st.session_state[WORKBOOK] = (key, cv.workbook_bytes(c))
    except FinsheetError as exc:
        show_error(exc)
        st.stop()
s3.download_button("Download workbook", data=st.session_state[WORKBOOK][1], file_name=f"{company[:60]}.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", type="primary",
                   icon=":material/download:", key="cons_download")
