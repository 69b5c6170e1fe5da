"""Signing in to the desk through an OpenID Connect provider (a real one on loopback,
``tests.oidc_provider``): the code flow with PKCE signs in the account the provider names;
a forged token, a wrong nonce, a foreign state or an identity without an account does not."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from mi.desk.accounts import create_account
from mi.desk.app import create_app
from mi.settings import Settings
from mi.warehouse.book import RelationshipManager
from mi.warehouse.desk import DeskAudit
from tests.desk_bank import ticking
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider


@pytest.fixture
def provider() -> Iterator[Provider]:
    server = Provider()
    yield server
    server.close()


@pytest.fixture
def desk(sqlite_engine: Engine, provider: Provider, tmp_path: Path) -> TestClient:
    with sqlite_engine.begin() as conn:
        conn.execute(RelationshipManager.__table__.insert().values(rm_ref="RM1", name="Ada Lin"))
    create_account(sqlite_engine, "rm1", "a long sample password", role="rm", rm_ref="RM1")
    settings = Settings.from_env({"MI_DATA_DIR": str(tmp_path), "MI_DESK_OIDC_ISSUER": provider.issuer,
                                  "MI_DESK_OIDC_CLIENT_ID": CLIENT_ID, "MI_DESK_OIDC_CLIENT_SECRET": CLIENT_SECRET,
                                  "MI_DESK_OIDC_REDIRECT_URL": "http://testserver/sign-in/oidc/callback"})
    return TestClient(create_app(sqlite_engine, settings, clock=ticking()), follow_redirects=False)


def through_provider(desk: TestClient) -> requests.Response:
    """The browser's round trip: the desk sends it to the provider, which sends it back."""
    off = desk.get("/sign-in/oidc")
    assert off.status_code == 303 and "mi_desk_oidc" in off.headers["set-cookie"]
    back = requests.get(off.headers["location"], allow_redirects=False, timeout=10)
    assert back.status_code == 302
    return back


def test_the_banks_provider_signs_in_the_account_it_names(desk: TestClient, sqlite_engine: Engine) -> None:
    assert 'id="sign-in-oidc"' in desk.get("/sign-in").text
    back = urlsplit(through_provider(desk).headers["location"])
    answer = desk.get(f"{back.path}?{back.query}")
    assert answer.status_code == 303 and answer.headers["location"] == "/today"
    assert "HttpOnly" in answer.headers["set-cookie"]
    assert desk.get("/today").status_code == 200
    with sqlite_engine.connect() as conn:
        row = conn.execute(select(DeskAudit).where(DeskAudit.action == "sign_in")).one()
    assert row.username == "rm1" and row.detail["method"] == "oidc"


@pytest.mark.parametrize("forge", ["key", "nonce"])
def test_a_forged_id_token_signs_in_no_one(desk: TestClient, provider: Provider, forge: str) -> None:
    provider.forge = forge
    back = urlsplit(through_provider(desk).headers["location"])
    answer = desk.get(f"{back.path}?{back.query}")
    assert answer.status_code == 403 and "ID token is not valid" in answer.text
    assert desk.get("/today").status_code == 303


def test_an_answer_to_another_request_or_an_identity_without_an_account_is_refused(
        desk: TestClient, provider: Provider) -> None:
    back = urlsplit(through_provider(desk).headers["location"])
    code = back.query.split("code=")[1].split("&")[0]
    assert desk.get(f"{back.path}?code={code}&state=someone-elses").status_code == 403
    stranger = TestClient(desk.app, follow_redirects=False)  # no cookie from a sign-in it started
    assert stranger.get(f"{back.path}?{back.query}").status_code == 403
    provider.user = "mallory"
    back = urlsplit(through_provider(desk).headers["location"])
    answer = desk.get(f"{back.path}?{back.query}")
    assert answer.status_code == 403 and "no account of that name" in answer.text
    assert desk.get("/today").status_code == 303


def test_without_configuration_there_is_no_provider_sign_in(sqlite_engine: Engine, tmp_path: Path) -> None:
    plain = TestClient(create_app(sqlite_engine, Settings.from_env({"MI_DATA_DIR": str(tmp_path)})),
                       follow_redirects=False)
    assert "sign-in-oidc" not in plain.get("/sign-in").text
    assert plain.get("/sign-in/oidc").status_code == 404
