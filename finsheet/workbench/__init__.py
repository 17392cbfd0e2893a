"""What the Streamlit pages call: each page is layout and widgets, and every computation is one call in here.

    auth           login with lockout, server-side sessions, users, password changes, security events
    review         a statement beside its source page: tables, the page image with the line highlighted
    consolidation  the Consolidate page's state: documents, mapping edits, saved consolidations, downloads
    demo           demo documents loaded for a new user
    health         the Admin page's checks: database, OCR, SMTP, engines
"""
