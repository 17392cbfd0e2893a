"""Review: a statement beside its source page; select a line to see its box; correct values in place."""

import streamlit as st

from finsheet.errors import FinsheetError
from finsheet.jobs.intake import unfinished
from finsheet.workbench import review
from pages._common import REVIEW_DOCUMENT, REVIEW_MESSAGES, REVIEW_STATEMENT, current_user, show_error, workbench

user = current_user()
wb = workbench()


@st.cache_data(show_spinner=False, max_entries=64)
def _page_image(path: str, page: int, box: tuple[float, ...] | None, crop: tuple[float, ...] | None):  # noqa: ANN202
    return review.page_image(path, page, box=box, crop=crop, scale=2.0)


st.title("Review")
documents = wb.store.list_documents(user)
ready = [d for d in documents if d.statements]
if not ready:
    st.info("No extracted statements yet: upload a PDF, or wait for the running jobs (Jobs page).")
    if unfinished(wb.queue.list_jobs(user)):  # e.g. the demo documents right after a first login

        def _until_ready() -> None:
            if any(d.statements for d in wb.store.list_documents(user)):
                st.rerun()

        st.fragment(_until_ready, run_every=1.5)()
    st.stop()
failed = [d for d in documents if d.status == "failed" and not d.statements]
if failed:
    with st.expander(f"{len(failed)} document(s) without statements"):
        for d in failed:
            st.markdown(f"- **{d.name}**: {d.error}")

top = st.columns([3, 3, 2])
doc = top[0].selectbox("Document", ready, key=REVIEW_DOCUMENT,
                       format_func=lambda d: f"{d.name} · {d.company or 'company unknown'}"
                       + (f" · {d.owner}" if user.is_admin else ""))
with st.popover("Company", icon=":material/apartment:"):
    company = st.text_input("Reporting company (groups documents on the Consolidate page)", value=doc.company or "",
                            key=f"review_company_{doc.id}")
    if st.button("Save company", key=f"review_company_save_{doc.id}"):
        wb.store.set_company(user, doc.id, company)
        st.rerun()
statements = wb.store.list_statements(user, doc.id)
record = top[1].selectbox("Statement", statements, key=f"{REVIEW_STATEMENT}_{doc.id}",
                          format_func=lambda s: f"{s.title} (p. {', '.join(map(str, s.pages))})")
statement = wb.store.get_statement(user, record.statement_id)
top[2].metric("Checks passed", f"{statement.checks_passed}/{len(statement.checks)}")

badges = review.check_badges(statement)
if badges:
    st.markdown(" ".join(
        f":{'green' if ok else 'red'}-badge[{':material/check:' if ok else ':material/close:'} {name}]"
        for name, ok, _ in badges
    ))
    for name, ok, detail in badges:
        if not ok:
            st.caption(f"✗ {name}: {detail}")
scale = ("scale unknown: values as printed" if statement.scale is None
         else f"scale × {statement.scale:,}" if statement.scale != 1 else "as printed")
st.caption(f"{statement.currency or 'currency unknown'} · {scale} · confidence {statement.confidence:.0%} · "
           "**bold**: totals · shaded ⚠: read with low confidence · ✎ corrected")

table = review.review_table(statement, wb.store.items_frame(user, record.statement_id))
labels = review.period_labels(statement)
left, right = st.columns([5, 4])
with left:
    event = st.dataframe(
        review.style_table(table, statement), hide_index=True, on_select="rerun", selection_mode="single-row",
        key=f"review_grid_{record.statement_id}", height=min(720, 38 + 35 * table.height),
        column_config={"line": st.column_config.TextColumn("line", width="medium"), "flag": " ",
                       **{k: st.column_config.TextColumn(v, alignment="right") for k, v in labels.items()}},
    )
rows = event.selection.rows if event is not None else []
selected = review.item_box(statement, rows[0]) if rows else None
with right:
    page, box = selected if selected else (statement.pages[0], None)
    try:
        crop = review.statement_region(statement, page) if st.session_state.get("review_crop", True) else None
        image = _page_image(str(wb.store.pdf_path(doc)), page, box, crop)
        st.image(image, caption=f"page {page}" + (f" — {statement.items[rows[0]].label}" if rows else
                                                 " — select a line to highlight it"), width="stretch")
    except FinsheetError as exc:
        show_error(exc)
    st.toggle("Only the statement's part of the page", value=True, key="review_crop")

messages = st.session_state.pop(REVIEW_MESSAGES, None)
with st.expander("Correct values", icon=":material/edit:", expanded=bool(messages)):
    st.caption("Edit labels, levels, the total flag or any value, then save. Each change is audited and the checks "
               "run again.")
    editable = table.select("item_id", "label", "level", "is_total", *labels)
    edited = st.data_editor(
        editable.to_pandas(), hide_index=True, key=f"review_editor_{record.statement_id}", num_rows="fixed",
        disabled=["item_id"],
        column_config={"item_id": None, "is_total": st.column_config.CheckboxColumn("total"),
                       "level": st.column_config.NumberColumn("level", min_value=0, max_value=8, step=1),
                       **{k: st.column_config.NumberColumn(v, format="%.2f") for k, v in labels.items()}},
    )
    if st.button("Save corrections", type="primary", key=f"review_save_{record.statement_id}"):
        try:
            st.session_state[REVIEW_MESSAGES] = review.apply_edits(wb.store, user, editable, edited, statement)
        except FinsheetError as exc:
            st.session_state[REVIEW_MESSAGES] = [f"Not saved: {exc}"]
        st.rerun()
    for line in messages or []:
        st.write(f"- {line}")

with st.expander("Audit log", icon=":material/history:"):
    audit = wb.store.audit_frame(user, doc.id)
    if audit.is_empty():
        st.caption("No corrections yet.")
    else:
        st.dataframe(audit.select("at", "username", "field", "old", "new", "item_id"), hide_index=True)
