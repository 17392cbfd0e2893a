"""The server `make run` starts: app.py's Streamlit app plus the two routes that set and drop the HttpOnly login
cookie (finsheet.workbench.web). `streamlit run serve.py` finds `app` below and serves it (Streamlit's ASGI mode);
`streamlit run app.py` still works, but then a login lasts only as long as the browser tab's connection."""

import streamlit as st  # noqa: TID251 (the server entry, like app.py)
from streamlit.runtime.pages_manager import PagesManager  # noqa: TID251

from finsheet.settings import load_settings
from finsheet.workbench import web

# Streamlit decides once per process, from the mere presence of a pages/ directory beside the main script, to run
# the first session as an old-style multipage app; a bookmarked screen (/statements) opened by the process's first
# visitor then shows "Page not found" before app.py's st.navigation takes over. app.py always navigates itself.
PagesManager.uses_pages_directory = False

app = st.App("app.py", routes=web.routes(load_settings()))

if __name__ == "__main__":
    app.run()
