"""Live channels may not reach private, loopback or link-local hosts unless allowed."""
from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from pathlib import Path

import pytest

from mi.runtime import Runtime
from mi.settings import Settings
from mi.transport import FetchError
from mi.transport import addresses as address_module
from mi.transport.addresses import AddressPolicy, AddressRefused, is_public
from mi.transport.http import HttpTransport
from tests.loopback import RecordedSite, redirect
from tests.test_http import transport


@pytest.mark.parametrize("address", [
    "10.1.2.3", "172.16.0.1", "192.168.1.1", "127.0.0.1", "169.254.169.254", "0.0.0.0", "224.0.0.1",
    "100.64.0.1", "240.0.0.1", "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1", "::", "ff02::1",
])
def test_non_public_addresses_are_recognised(address: str) -> None:
    assert not is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_are_recognised(address: str) -> None:
    assert is_public(ipaddress.ip_address(address))


def test_the_allowlist_names_hosts_domains_or_everything() -> None:
    policy = AddressPolicy(["intranet.bank.example", "10.1.2.3", "*.corp.example"])
    assert policy.allows("intranet.bank.example") and policy.allows("INTRANET.bank.example.")
    assert policy.allows("10.1.2.3") and policy.allows("a.b.corp.example")
    assert not policy.allows("corp.example.evil") and not policy.allows("10.1.2.4")
    policy.check_host("10.1.2.3")  # allowed: no error
    with pytest.raises(AddressRefused, match="MI_HTTP_PRIVATE_HOSTS"):
        policy.check_host("10.1.2.4")
    with pytest.raises(AddressRefused):
        policy.check_host("localhost")  # a name is refused by what it resolves to
    AddressPolicy(["*"]).check_host("127.0.0.1")


def test_the_loopback_server_is_refused_without_the_opt_in(site: RecordedSite) -> None:
    url = site.serve("/feed", b"<rss/>")
    http = HttpTransport(min_interval=0.0)  # as in production: no private hosts allowed
    with pytest.raises(FetchError, match="refused to connect to 127.0.0.1: not a public address"):
        http.get(url)
    assert site.requests == []  # not even robots.txt was asked for


def test_a_redirect_into_a_host_not_allowed_is_refused(site: RecordedSite) -> None:
    port = site.server.server_address[1]
    site.serve("/internal", b"secret")
    url = site.add("/go", redirect(f"http://localhost:{port}/internal"))
    http, _ = transport()  # allows 127.0.0.1 by that name only
    with pytest.raises(FetchError, match=r"refused to connect to localhost \("):
        http.get(url)
    assert site.hits("/internal") == 0


def test_a_name_that_resolves_differently_at_connection_time_is_still_refused(
        site: RecordedSite, monkeypatch: pytest.MonkeyPatch) -> None:
    """DNS rebinding: the check before the request sees a public address, the connection
    then reaches loopback. The connection's own check refuses it."""
    monkeypatch.setattr(address_module, "_addresses", lambda host: [ipaddress.ip_address("93.184.216.34")])
    port = site.server.server_address[1]
    site.serve("/internal", b"secret")
    http, _ = transport(respect_robots=False, private_hosts=())
    with pytest.raises(FetchError, match=r"refused to connect to localhost \((127\.0\.0\.1|::1)\)"):
        http.get(f"http://localhost:{port}/internal")
    assert site.hits("/internal") == 0


@pytest.fixture
def no_private_hosts(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("MI_HTTP_PRIVATE_HOSTS", raising=False)
    yield


def test_the_settings_feed_the_allowlist_and_the_limits_to_the_transport(tmp_path: Path,
                                                                         no_private_hosts: None) -> None:
    env = {"MI_DATA_DIR": str(tmp_path), "MI_HTTP_PRIVATE_HOSTS": " intranet.bank.example, 10.1.2.3 ,",
           "MI_LIMIT_FETCH_DEADLINE": "7.5", "MI_LIMIT_MAX_REDIRECTS": "2", "MI_LIMIT_MAX_BYTES": "1000"}
    settings = Settings.from_env(env)
    assert settings.http_private_hosts == ("intranet.bank.example", "10.1.2.3")
    http = Runtime(settings).transport.http
    assert http.fetch_deadline == 7.5 and http.max_redirects == 2 and http.max_bytes == 1000
    assert http.addresses.allows("10.1.2.3") and not http.addresses.allows("10.1.2.4")
    assert Settings.from_env({"MI_DATA_DIR": str(tmp_path)}).http_private_hosts == ()
