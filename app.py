"""finsheet workbench: the login gate and the navigation. Every screen is a file in pages/."""

import streamlit as st

from pages._common import logged_out, login_gate

st.set_page_config(page_title="finsheet", page_icon=":material/table_chart:", layout="wide")

user = login_gate()
if user is None:
    # The gate drew the login form. Declaring a navigation with no screen keeps every page (and Streamlit's
    # pages/ directory listing) out of reach until a login.
    st.navigation([st.Page(logged_out, title="Log in", url_path="login")], position="hidden").run()
    st.stop()

screens = [
    st.Page("pages/upload.py", title="Upload", icon=":material/upload_file:", default=True),
    st.Page("pages/jobs.py", title="Jobs", icon=":material/pending_actions:"),
    st.Page("pages/review.py", title="Review", icon=":material/fact_check:"),
    st.Page("pages/consolidate.py", title="Consolidate", icon=":material/join:"),
    st.Page("pages/account.py", title="Account", icon=":material/person:"),
]
if user.is_admin:
    screens.append(st.Page("pages/admin.py", title="Admin", icon=":material/admin_panel_settings:"))
st.navigation(screens).run()
