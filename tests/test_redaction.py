"""Secrets in addresses are masked before they reach a message or the warehouse."""
from __future__ import annotations

import pytest

from mi.records.redaction import is_secret_name, redact_text
from mi.transport import redact_url


@pytest.mark.parametrize(("url", "shown"), [
    ("https://api.example/v1/rates?api_key=abc123&format=csv", "https://api.example/v1/rates?api_key=***&format=csv"),
    ("https://h/f?token=t&access_token=a&password=p&secret=s&sig=x&key=k",
     "https://h/f?token=***&access_token=***&password=***&secret=***&sig=***&key=***"),
    ("https://s3.example/b/o?X-Amz-Signature=deadbeef&X-Amz-Credential=c&X-Amz-Date=20261128",
     "https://s3.example/b/o?X-Amz-Signature=***&X-Amz-Credential=***&X-Amz-Date=20261128"),
    ("https://user:pa@ss@host:8443/feed", "https://user:***@host:8443/feed"),
    ("https://user@host/feed", "https://user@host/feed"),
    ("https://h/cb#access_token=tok&state=1", "https://h/cb#access_token=***&state=1"),
    ("https://h/f?page=2&monkey=1", "https://h/f?page=2&monkey=1"),
    ("https://h/f?token=", "https://h/f?token="),
    ("/srv/snapshot/feed.rss", "/srv/snapshot/feed.rss"),
])
def test_secret_values_are_masked_and_the_rest_kept(url: str, shown: str) -> None:
    assert redact_url(url) == shown


def test_secret_names() -> None:
    assert all(is_secret_name(name) for name in ("API-KEY", "apikey", "client_secret", "subscription-key",
                                                 "x_amz_security_token", "Signature"))
    assert not any(is_secret_name(name) for name in ("page", "format", "keyword", "monkey", "date"))


def test_free_text_is_masked_too() -> None:
    text = ("HTTPConnectionPool(host='h', port=80): Max retries exceeded with url: /f?apikey=SECRET "
            "(proxy http://me:hunter2@proxy:3128/)")
    masked = redact_text(text)
    assert "SECRET" not in masked and "hunter2" not in masked and "apikey=***" in masked
