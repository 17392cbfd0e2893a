"""The database schema as a list of migrations, applied in order to bring any older file up to date in place.

Each migration is one script; `schema_version` holds the number of the last one applied. Never edit a shipped
migration: append a new one. No foreign keys on purpose — DuckDB turns an UPDATE of a referenced row into a
delete + insert that the constraint refuses, so the store cascades deletes itself.
"""

from __future__ import annotations

import duckdb

MIGRATIONS: list[str] = [
    # 1: users, documents, extraction results, jobs, consolidations, audit log, app settings
    """
    CREATE TABLE users (
        username VARCHAR PRIMARY KEY, name VARCHAR NOT NULL DEFAULT '', email VARCHAR NOT NULL DEFAULT '',
        role VARCHAR NOT NULL DEFAULT 'analyst', password_hash VARCHAR NOT NULL DEFAULT '',
        created_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp(), disabled BOOLEAN NOT NULL DEFAULT false
    );
    CREATE TABLE app_settings (key VARCHAR PRIMARY KEY, value JSON);

    CREATE SEQUENCE document_ids START 1;
    CREATE TABLE documents (
        id BIGINT PRIMARY KEY DEFAULT nextval('document_ids'), sha256 VARCHAR NOT NULL, name VARCHAR NOT NULL,
        size BIGINT NOT NULL, pages INTEGER NOT NULL, owner VARCHAR NOT NULL,
        uploaded_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp(),
        company VARCHAR, company_fixed BOOLEAN NOT NULL DEFAULT false,
        UNIQUE (owner, sha256)
    );

    CREATE SEQUENCE extraction_ids START 1;
    CREATE TABLE extractions (
        id BIGINT PRIMARY KEY DEFAULT nextval('extraction_ids'), document_id BIGINT NOT NULL,
        engine VARCHAR NOT NULL, status VARCHAR NOT NULL, file VARCHAR NOT NULL, pages INTEGER NOT NULL,
        doc_engine VARCHAR NOT NULL,
        seconds DOUBLE NOT NULL, doc_seconds DOUBLE NOT NULL DEFAULT 0, timings JSON, warnings JSON,
        ocr_pages JSON, error VARCHAR, created_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp()
    );
    CREATE INDEX extractions_document ON extractions (document_id);

    CREATE SEQUENCE statement_ids START 1;
    CREATE TABLE statements (
        id BIGINT PRIMARY KEY, document_id BIGINT NOT NULL, extraction_id BIGINT NOT NULL, position INTEGER NOT NULL,
        type VARCHAR NOT NULL, title VARCHAR NOT NULL, pages INTEGER[] NOT NULL, confidence DOUBLE NOT NULL,
        scale BIGINT NOT NULL, currency VARCHAR, entity VARCHAR
    );
    CREATE INDEX statements_document ON statements (document_id);
    CREATE TABLE periods (
        statement_id BIGINT NOT NULL, position INTEGER NOT NULL, key VARCHAR NOT NULL, label VARCHAR NOT NULL,
        "end" DATE, start DATE, months INTEGER, restated BOOLEAN NOT NULL
    );
    CREATE INDEX periods_statement ON periods (statement_id);

    CREATE SEQUENCE item_ids START 1;
    CREATE TABLE line_items (
        id BIGINT PRIMARY KEY, statement_id BIGINT NOT NULL, position INTEGER NOT NULL, label VARCHAR NOT NULL,
        level INTEGER NOT NULL, section VARCHAR[] NOT NULL, is_total BOOLEAN NOT NULL, unit VARCHAR, note VARCHAR,
        page INTEGER NOT NULL, box DOUBLE[] NOT NULL, confidence DOUBLE NOT NULL, engine VARCHAR NOT NULL
    );
    CREATE INDEX line_items_statement ON line_items (statement_id);
    -- one row per period key an item mentions; in_values/raw/box NULL say which of the item's dicts hold the key
    CREATE TABLE item_values (
        item_id BIGINT NOT NULL, statement_id BIGINT NOT NULL, position INTEGER NOT NULL, period_key VARCHAR NOT NULL,
        in_values BOOLEAN NOT NULL, value DOUBLE, raw VARCHAR, box DOUBLE[]
    );
    CREATE INDEX item_values_statement ON item_values (statement_id);
    CREATE TABLE checks (
        statement_id BIGINT NOT NULL, position INTEGER NOT NULL, name VARCHAR NOT NULL, ok BOOLEAN NOT NULL,
        detail VARCHAR NOT NULL, period VARCHAR, expected DOUBLE, actual DOUBLE
    );
    CREATE INDEX checks_statement ON checks (statement_id);

    CREATE SEQUENCE job_ids START 1;
    CREATE TABLE jobs (
        id BIGINT PRIMARY KEY DEFAULT nextval('job_ids'), kind VARCHAR NOT NULL, payload JSON NOT NULL,
        owner VARCHAR NOT NULL, document_id BIGINT, state VARCHAR NOT NULL, progress DOUBLE NOT NULL DEFAULT 0,
        stage VARCHAR NOT NULL DEFAULT '', attempts INTEGER NOT NULL DEFAULT 0, max_attempts INTEGER NOT NULL,
        error VARCHAR, result JSON, cancel_requested BOOLEAN NOT NULL DEFAULT false,
        created_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp(), started_at TIMESTAMP,
        finished_at TIMESTAMP, not_before TIMESTAMP
    );

    CREATE SEQUENCE consolidation_ids START 1;
    CREATE TABLE consolidations (
        id BIGINT PRIMARY KEY DEFAULT nextval('consolidation_ids'), owner VARCHAR NOT NULL, company VARCHAR NOT NULL,
        name VARCHAR NOT NULL, document_ids BIGINT[] NOT NULL, settings JSON NOT NULL, overrides JSON NOT NULL,
        created_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp(),
        updated_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp()
    );

    CREATE SEQUENCE audit_ids START 1;
    CREATE TABLE audit_log (
        id BIGINT PRIMARY KEY DEFAULT nextval('audit_ids'),
        changed_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp(), username VARCHAR NOT NULL,
        document_id BIGINT NOT NULL, statement_id BIGINT NOT NULL, item_id BIGINT,
        table_name VARCHAR NOT NULL, field VARCHAR NOT NULL, old VARCHAR, new VARCHAR
    );
    """,
    # 2: the LLM response cache (optional engines): one answer per (pdf, pages, engine, model, prompt version)
    """
    CREATE TABLE llm_cache (
        sha256 VARCHAR NOT NULL, pages VARCHAR NOT NULL, engine VARCHAR NOT NULL, model VARCHAR NOT NULL,
        prompt_version VARCHAR NOT NULL, value VARCHAR NOT NULL, hits BIGINT NOT NULL DEFAULT 0,
        created_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp(),
        PRIMARY KEY (sha256, pages, engine, model, prompt_version)
    );
    """,
    # a statement's scale may be unknown (it prints no unit and the document says none elsewhere); DuckDB alters
    # no column of a table an index depends on, so the index steps aside meanwhile
    """
    DROP INDEX statements_document;
    ALTER TABLE statements ALTER COLUMN scale DROP NOT NULL;
    CREATE INDEX statements_document ON statements (document_id);
    """,
    # accounts done properly (workbench/auth.py): login attempts for throttling and lockout, server-side sessions
    # (the cookie holds a random token; only its sha256 is stored), the security events, and the accounts whose
    # password is one-time (the generated first admin password, an admin-set password) and must be changed
    """
    CREATE TABLE login_attempts (
        attempted_at TIMESTAMP NOT NULL, username VARCHAR NOT NULL, client VARCHAR NOT NULL, ok BOOLEAN NOT NULL
    );
    CREATE INDEX login_attempts_username ON login_attempts (username);
    CREATE INDEX login_attempts_client ON login_attempts (client);
    CREATE TABLE sessions (
        token_sha256 VARCHAR PRIMARY KEY, username VARCHAR NOT NULL, client VARCHAR NOT NULL DEFAULT '',
        created_at TIMESTAMP NOT NULL, expires_at TIMESTAMP NOT NULL, revoked_at TIMESTAMP
    );
    CREATE INDEX sessions_username ON sessions (username);
    CREATE SEQUENCE security_event_ids START 1;
    CREATE TABLE security_events (
        id BIGINT PRIMARY KEY DEFAULT nextval('security_event_ids'), happened_at TIMESTAMP NOT NULL,
        event VARCHAR NOT NULL,
        username VARCHAR NOT NULL DEFAULT '', actor VARCHAR NOT NULL DEFAULT '', client VARCHAR NOT NULL DEFAULT '',
        detail JSON
    );
    CREATE TABLE password_change_required (username VARCHAR PRIMARY KEY, since TIMESTAMP NOT NULL);
    """,
    # a check may be "not verified" (ok NULL): the statement's structure could not be decided or a figure is missing
    """
    DROP INDEX checks_statement;
    ALTER TABLE checks ALTER COLUMN ok DROP NOT NULL;
    CREATE INDEX checks_statement ON checks (statement_id);
    """,
    # corrections undone by a later correction say which (`undoes`); an audit row names its document's owner so the
    # record of a deleted document (and of its corrections) outlives the document
    """
    ALTER TABLE audit_log ADD COLUMN undoes BIGINT;
    ALTER TABLE audit_log ADD COLUMN owner VARCHAR;
    UPDATE audit_log SET owner = (SELECT d.owner FROM documents d WHERE d.id = audit_log.document_id);
    """,
]

LATEST = len(MIGRATIONS)


def current_version(cur: duckdb.DuckDBPyConnection) -> int:
    """The schema version of the open database (0 for a new, empty file)."""
    exists = cur.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ).fetchone()
    if not exists or not exists[0]:
        return 0
    row = cur.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def migrate(cur: duckdb.DuckDBPyConnection, *, target: int = LATEST) -> tuple[int, int]:
    """Apply the missing migrations up to `target` inside the caller's transaction; (version before, after)."""
    before = current_version(cur)
    if before == 0:
        cur.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at TIMESTAMP)")
    for version in range(before + 1, target + 1):
        cur.execute(MIGRATIONS[version - 1])
        cur.execute("INSERT INTO schema_version VALUES (?, current_localtimestamp())", [version])
    return before, max(before, target)
