"""Admin (administrators only): users and roles, the registration switch, job queue health, database size,
tesseract and the optional services."""

import streamlit as st

from finsheet.errors import AuthError, FinsheetError
from finsheet.workbench import auth
from finsheet.workbench.health import health
from pages._common import current_user, require_admin, show_error, workbench

user = current_user()
require_admin(user)
wb = workbench()
st.title("Admin")

st.subheader("Users")
users = wb.store.list_users()
st.dataframe([{"username": u.username, "name": u.name, "email": u.email, "role": u.role, "disabled": u.disabled,
               "created": u.created_at} for u in users], hide_index=True)
allowed = auth.registration_allowed(wb.store, wb.settings)
if st.toggle("Anyone may register an analyst account on the login page", value=allowed, key="admin_registration") \
        != allowed:
    auth.set_registration(wb.store, not allowed)
    st.rerun()

left, right = st.columns(2)
with left.form("admin_new_user", clear_on_submit=True):
    st.markdown("**New account**")
    username = st.text_input("Username")
    name = st.text_input("Name")
    email = st.text_input("Email")
    password = st.text_input("Password", type="password")
    role = st.selectbox("Role", ["analyst", "admin"])
    if st.form_submit_button("Create"):
        try:
            auth.create_account(wb.store, username, password, role=role, name=name, email=email)
            st.success(f"Account {username!r} created.")
        except FinsheetError as exc:
            show_error(exc)
with right.form("admin_edit_user"):
    st.markdown("**Change an account**")
    target = st.selectbox("Account", [u.username for u in users])
    current = next(u for u in users if u.username == target)
    new_role = st.selectbox("Role", ["analyst", "admin"], index=["analyst", "admin"].index(current.role))
    disabled = st.checkbox("Disabled (cannot log in)", value=current.disabled)
    new_password = st.text_input("New password (leave empty to keep)", type="password")
    if st.form_submit_button("Save"):
        try:
            if target == user.username and (new_role != "admin" or disabled):
                raise AuthError("you cannot take away your own admin rights or disable yourself")
            wb.store.update_user(target, role=new_role, disabled=disabled)
            if new_password:
                auth.set_password(wb.store, target, new_password)
            st.success(f"Account {target!r} saved.")
        except FinsheetError as exc:
            show_error(exc)

st.subheader("Job queue and storage")
counts = wb.store.job_counts()
cols = st.columns(6)
for col, state in zip(cols, ["pending", "running", "completed", "failed", "cancelled"], strict=False):
    col.metric(state, counts.get(state, 0))
db = wb.settings.db_path
cols[5].metric("database", f"{db.stat().st_size / 1024 / 1024:.1f} MB" if db.is_file() else "—")
st.caption(f"Workers: {wb.queue.workers} ({'running' if wb.queue.running else 'STOPPED'}) · data in "
           f"{wb.settings.data_dir.resolve()}")

st.subheader("Health")
check_services = st.toggle("Contact the optional services", value=False, key="admin_probe")
for check in health(wb.settings, wb.store, check_services=check_services):
    icon = ":material/check_circle:" if check.ok else ":material/error:"
    (st.success if check.ok else st.error)(f"**{check.name}** — {check.detail}", icon=icon)
