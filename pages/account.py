"""Account: who you are, and a password change (the one password rule; your other sessions end)."""

import streamlit as st

from pages._common import current_user, password_form, workbench

user = current_user()
wb = workbench()

st.title("Account")
st.markdown(f"**{user.name or user.username}** — `{user.username}` · {user.role}"
            + (f" · {user.email}" if user.email else "") + f" · since {user.created_at:%Y-%m-%d}")
password_form(wb, user)
