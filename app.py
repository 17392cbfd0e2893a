"""finsheet workbench: the login gate and the navigation. Every screen is a file in pages/.

This one file plays two parts. Streamlit runs it as a script (`__name__ == "__main__"`) for every session: the gate
and the navigation below. `streamlit run app.py` first imports it as the module `app` to look for an ASGI app: that
import builds `app`, Streamlit's server with the two routes that set and drop the HttpOnly login cookie
(finsheet.workbench.web). AppTest runs the script part only; a login then lasts as long as the browser tab.
"""

import streamlit as st


def _navigate() -> None:
    from finsheet.workbench.session import GATE_PASSED
    from pages._common import logged_out, login_gate

    st.set_page_config(page_title="finsheet", page_icon=":material/table_chart:", layout="wide")

    # (file, title, icon, URL path, admins only). The URL paths differ from the file names on purpose: Streamlit
    # also serves `pages/*.py` by file name until it has seen st.navigation in the process (its first run), and
    # every request must come through the gate below.
    screens_spec = [
        ("pages/upload.py", "Upload", ":material/upload_file:", "uploads", False),
        ("pages/jobs.py", "Jobs", ":material/pending_actions:", "job-queue", False),
        ("pages/review.py", "Review", ":material/fact_check:", "statements", False),
        ("pages/consolidate.py", "Consolidate", ":material/join:", "consolidation", False),
        ("pages/account.py", "Account", ":material/person:", "profile", False),
        ("pages/admin.py", "Admin", ":material/admin_panel_settings:", "administration", True),
    ]

    user = login_gate()
    if user is None:
        # The gate drew the login form. Every screen's URL leads to it, so a bookmarked screen opens after the
        # login (instead of "page not found") while no screen is reachable without one.
        login = [st.Page(logged_out, title="Log in", url_path="login", default=True)]
        login += [st.Page(logged_out, title="Log in", url_path=path) for *_, path, _ in screens_spec]
        st.navigation(login, position="hidden").run()
        st.stop()

    screens = [
        st.Page(file, title=title, icon=icon, url_path=path, default=n == 0)
        for n, (file, title, icon, path, admins) in enumerate(screens_spec)
        if user.is_admin or not admins
    ]
    st.session_state[GATE_PASSED] = True
    try:
        st.navigation(screens).run()
    finally:
        st.session_state.pop(GATE_PASSED, None)


if __name__ == "__main__":
    _navigate()
else:
    from streamlit.runtime.pages_manager import PagesManager

    from finsheet.settings import load_settings
    from finsheet.workbench import web

    # Streamlit decides once per process, from the mere presence of a pages/ directory beside the main script, to
    # run the first session as an old-style multipage app; a bookmarked screen (/statements) opened by the
    # process's first visitor then shows "Page not found" before the navigation above takes over. This app always
    # navigates itself. (A Streamlit internal: check it on upgrades; tests/security covers the deep link.)
    PagesManager.uses_pages_directory = False

    app = st.App(__file__, routes=web.routes(load_settings()))
