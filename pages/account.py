"""Account: who you are, and a password change (streamlit-authenticator's widget, saved to the users table)."""

import streamlit as st
from streamlit_authenticator.utilities import CredentialsError, ResetError

from finsheet.errors import AuthError
from finsheet.workbench import auth
from pages._common import CREDENTIALS, authenticator_of_session, current_user, workbench

user = current_user()
wb = workbench()

st.title("Account")
st.markdown(f"**{user.name or user.username}** — `{user.username}` · {user.role}"
            + (f" · {user.email}" if user.email else "") + f" · since {user.created_at:%Y-%m-%d}")

try:
    if authenticator_of_session().reset_password(user.username, location="main", key="password_change",
                                                 fields={"Form name": "Change password", "Reset": "Change"}):
        auth.save_password(wb.store, st.session_state[CREDENTIALS], user.username)
        st.success("Password changed.")
except CredentialsError:
    st.error("The current password is not correct.")
except (ResetError, AuthError) as exc:
    st.error(str(exc))
