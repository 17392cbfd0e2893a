"""finsheet workbench: the login gate and the navigation. Every screen is a file in pages/."""

import streamlit as st

from pages._common import GATE_PASSED, logged_out, login_gate

st.set_page_config(page_title="finsheet", page_icon=":material/table_chart:", layout="wide")

user = login_gate()
if user is None:
    # The gate drew the login form. Declaring a navigation with no screen keeps every page (and Streamlit's
    # pages/ directory listing) out of reach until a login.
    st.navigation([st.Page(logged_out, title="Log in", url_path="login")], position="hidden").run()
    st.stop()

# URL paths differ from the file names on purpose: Streamlit also serves `pages/*.py` by file name until it has
# seen st.navigation in the process (its first run), and a request for those must come through this gate.
screens = [
    st.Page("pages/upload.py", title="Upload", icon=":material/upload_file:", url_path="uploads", default=True),
    st.Page("pages/jobs.py", title="Jobs", icon=":material/pending_actions:", url_path="job-queue"),
    st.Page("pages/review.py", title="Review", icon=":material/fact_check:", url_path="statements"),
    st.Page("pages/consolidate.py", title="Consolidate", icon=":material/join:", url_path="consolidation"),
    st.Page("pages/account.py", title="Account", icon=":material/person:", url_path="profile"),
]
if user.is_admin:
    screens.append(st.Page("pages/admin.py", title="Admin", icon=":material/admin_panel_settings:",
                           url_path="administration"))
st.session_state[GATE_PASSED] = True
try:
    st.navigation(screens).run()
finally:
    st.session_state.pop(GATE_PASSED, None)
