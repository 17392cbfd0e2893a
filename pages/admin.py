"""Admin (administrators only): users and roles, the registration switch, the security events, job queue health,
database size (with its WAL), tesseract and the optional services."""

import streamlit as st

from finsheet.errors import AuthError, FinsheetError
from finsheet.workbench import auth
from finsheet.workbench.health import health
from pages._common import current_user, flash, require_admin, show_error, show_flash, workbench

user = current_user()
require_admin(user)
wb = workbench()
st.title("Admin")
show_flash()

st.subheader("Users")
users = wb.store.list_users()
st.dataframe([{"username": u.username, "name": u.name, "email": u.email, "role": u.role, "disabled": u.disabled,
               "created": u.created_at} for u in users], hide_index=True)
allowed = auth.registration_allowed(wb.store, wb.settings)
if st.toggle("Anyone may register an analyst account on the login page", value=allowed, key="admin_registration") \
        != allowed:
    auth.set_registration(wb.store, not allowed, actor=user.username)
    st.rerun()

left, right = st.columns(2)
with left.form("admin_new_user", clear_on_submit=True):
    st.markdown("**New account**")
    username = st.text_input("Username")
    name = st.text_input("Name")
    email = st.text_input("Email")
    password = st.text_input("Password", type="password", help=f"At least {auth.MIN_PASSWORD} characters")
    role = st.selectbox("Role", ["analyst", "admin"])
    one_time = st.checkbox("One-time password: to be changed at the first login", value=True)
    if st.form_submit_button("Create"):
        try:
            created = auth.create_account(wb.store, username, password, role=role, name=name, email=email,
                                          actor=user.username, must_change=one_time)
        except FinsheetError as exc:
            show_error(exc)
        else:
            flash(f"Account {created.username!r} created.")
            st.rerun()  # the Users table above shows the new account
with right.form("admin_edit_user"):
    st.markdown("**Change an account**")
    target = st.selectbox("Account", [u.username for u in users])
    current = next(u for u in users if u.username == target)
    new_role = st.selectbox("Role", ["analyst", "admin"], index=["analyst", "admin"].index(current.role))
    disabled = st.checkbox("Disabled (cannot log in)", value=current.disabled)
    new_password = st.text_input("New one-time password (leave empty to keep)", type="password")
    if st.form_submit_button("Save"):
        try:
            if target == user.username and (new_role != "admin" or disabled):
                raise AuthError("you cannot take away your own admin rights or disable yourself")
            if new_password:
                auth.check_password(new_password, username=target)  # nothing changes when it is refused
            auth.update_account(wb.store, target, actor=user.username, role=new_role, disabled=disabled)
            if new_password:
                auth.set_password(wb.store, target, new_password, actor=user.username, must_change=True)
        except FinsheetError as exc:
            show_error(exc)
        else:
            flash(f"Account {target!r} saved.")
            st.rerun()

with st.expander("Security events (latest 200: logins, failures, lockouts, account changes)"):
    st.dataframe([{"when (UTC)": e.at, "event": e.event, "user": e.username, "by": e.actor, "client": e.client,
                   "detail": ", ".join(f"{k}={v}" for k, v in e.detail.items())}
                  for e in wb.store.security_events(limit=200)], hide_index=True)

st.subheader("Job queue and storage")
counts = wb.store.job_counts()
cols = st.columns(6)
for col, state in zip(cols, ["pending", "running", "completed", "failed", "cancelled"], strict=False):
    col.metric(state, counts.get(state, 0))
db = wb.settings.db_path
wal = db.with_name(db.name + ".wal")  # DuckDB's write-ahead log holds what is not yet checkpointed into the file
size = sum(p.stat().st_size for p in (db, wal) if p.is_file())
cols[5].metric("database", f"{size / 1024 / 1024:.1f} MB" if db.is_file() else "—", help="the file and its WAL")
st.caption(f"Workers: {wb.queue.workers} ({'running' if wb.queue.running else 'STOPPED'}) · data in "
           f"{wb.settings.data_dir.resolve()}")

st.subheader("Health")
check_services = st.toggle("Contact the optional services", value=False, key="admin_probe")
for check in health(wb.settings, wb.store, check_services=check_services, queue=wb.queue):
    icon = ":material/check_circle:" if check.ok else ":material/error:"
    (st.success if check.ok else st.error)(f"**{check.name}** — {check.detail}", icon=icon)
