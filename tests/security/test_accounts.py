"""Accounts cannot be claimed and setup has no traps: `finsheet import` only for existing users, registration off
until an admin switches it on (and never for a reserved name), the first admin password printed by make run's
first step and good for one login only."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from finsheet.cli import main
from finsheet.errors import AuthError
from finsheet.settings import Settings, load_settings
from finsheet.store import Store, UserRef
from finsheet.workbench import auth

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "plum tree at dusk"


@pytest.fixture
def data_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("FINSHEET_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("FINSHEET_OCR", "false")
    monkeypatch.delenv("FINSHEET_ADMIN_PASSWORD", raising=False)
    monkeypatch.delenv("FINSHEET_ALLOW_REGISTRATION", raising=False)
    return load_settings()


@pytest.mark.usefixtures("keep_umask")
def test_import_for_a_user_who_does_not_exist_is_refused(data_env: Settings, tmp_path: Path,
                                                         statement_pdf: Callable[..., bytes],
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """The claim attempt: importing for 'ann' before she exists stores nothing, so registering 'ann' later finds
    no documents waiting; once the account exists the import works."""
    pdf = tmp_path / "acme.pdf"
    pdf.write_bytes(statement_pdf(1))
    with Store.open(data_env) as store:
        auth.bootstrap_admin(store, data_env)
    assert main(["import", str(pdf), "--user", "ann"]) != 0
    assert "no account 'ann'" in capsys.readouterr().err
    with Store.open(data_env) as store:
        assert store.list_documents(UserRef(username="admin", role="admin")) == []
        auth.create_account(store, "ann", PASSWORD)
    assert main(["import", str(pdf), "--user", "ann"]) == 0
    with Store.open(data_env) as store:
        assert [d.owner for d in store.list_documents(UserRef(username="admin", role="admin"))] == ["ann"]


def test_disabled_account_cannot_receive_imports(store: Store) -> None:
    """A disabled account is refused too; admin on a database without accounts is the first start's account."""
    auth.require_existing_user(store, "admin")  # no accounts yet: the first start creates admin
    auth.create_account(store, "ann", PASSWORD)
    store.update_user("ann", disabled=True)
    with pytest.raises(AuthError, match="disabled"):
        auth.require_existing_user(store, "ann")
    with pytest.raises(AuthError, match="no account"):
        auth.require_existing_user(store, "admin")  # now there are accounts and admin is not one of them


def test_registration_is_off_by_default(store: Store, settings: Settings) -> None:
    """Out of the box nobody can register; once an admin switches it on, an analyst can."""
    assert Settings().allow_registration is False
    with pytest.raises(AuthError, match="switched off"):
        auth.register(store, settings, "carol", PASSWORD, PASSWORD)
    assert store.get_user("carol") is None
    auth.set_registration(store, True, actor="admin")
    user = auth.register(store, settings, "carol", PASSWORD, PASSWORD)
    assert (user.username, user.role) == ("carol", "analyst")


@pytest.mark.parametrize("name", ["admin", "Admin", "root"])
def test_reserved_names_cannot_be_registered(store: Store, settings: Settings, name: str) -> None:
    """Even with registration on, nobody registers as admin (say after the account was removed)."""
    auth.set_registration(store, True)
    with pytest.raises(AuthError, match="reserved"):
        auth.register(store, settings, name, PASSWORD, PASSWORD)


def _bootstrap(data: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "FINSHEET_DATA_DIR": str(data), **env}
    if "FINSHEET_ADMIN_PASSWORD" not in env:
        environment.pop("FINSHEET_ADMIN_PASSWORD", None)
    return subprocess.run([sys.executable, "-m", "finsheet.workbench.auth"], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=120, check=True)


def _printed_password(stdout: str) -> str:
    match = re.search(r"one-time password\s+(\S+)", stdout)
    assert match, stdout
    return match.group(1)


def test_make_run_prints_a_one_time_admin_password(tmp_path: Path) -> None:
    """The first step of make run prints the admin password on stdout, alone (no log lines); it logs in once and
    must then be changed; a later start while it is unchanged prints a fresh one; after the change, nothing."""
    data = tmp_path / "data"
    first = _bootstrap(data)
    assert first.stdout.splitlines()[0].startswith("=====")
    password = _printed_password(first.stdout)
    settings = Settings(data_dir=data)
    with Store.open(settings) as store:
        outcome = auth.login(store, settings, "admin", password)
        assert outcome.user is not None and auth.must_change_password(store, "admin")
    second = _printed_password(_bootstrap(data).stdout)
    assert second != password
    with Store.open(settings) as store:
        assert auth.session_user(store, settings, outcome.token) is None, "the renewed password ends old sessions"
        assert auth.login(store, settings, "admin", password).user is None
        auth.change_password(store, settings, "admin", second, PASSWORD, PASSWORD)
        assert not auth.must_change_password(store, "admin")
    assert _bootstrap(data).stdout == ""
    with Store.open(settings) as store:
        assert auth.login(store, settings, "admin", PASSWORD).user is not None


def test_configured_admin_password_is_not_printed(tmp_path: Path) -> None:
    """With FINSHEET_ADMIN_PASSWORD the operator chose the password: nothing is printed or forced."""
    data = tmp_path / "data"
    assert _bootstrap(data, FINSHEET_ADMIN_PASSWORD=PASSWORD).stdout == ""
    settings = Settings(data_dir=data)
    with Store.open(settings) as store:
        assert auth.login(store, settings, "admin", PASSWORD).user is not None
        assert not auth.must_change_password(store, "admin")
