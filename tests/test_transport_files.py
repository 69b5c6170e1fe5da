"""Local files: only regular files, never past the byte cap, never through a link in an intake folder."""
from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from mi.transport import FetchError, FileTransport, Transport


def test_a_device_is_refused_although_it_reports_size_zero() -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero on this machine")
    with pytest.raises(FetchError, match="not a regular file"):
        FileTransport(max_bytes=1000).get("/dev/zero")


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(FetchError, match="not a regular file"):
        FileTransport().get(str(fifo))


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FetchError):
        FileTransport().get(str(tmp_path))


def test_a_file_over_the_cap_is_refused_and_one_at_the_cap_is_read(tmp_path: Path) -> None:
    (tmp_path / "big.csv").write_bytes(b"x" * 1001)
    (tmp_path / "fits.csv").write_bytes(b"x" * 1000)
    files = FileTransport(max_bytes=1000)
    with pytest.raises(FetchError, match="exceeds the 1000-byte cap"):
        files.get(str(tmp_path / "big.csv"))
    assert len(files.get(f"file://{tmp_path / 'fits.csv'}").body) == 1000


def test_an_address_of_another_scheme_is_not_read_as_a_path() -> None:
    with pytest.raises(FetchError, match="not an address this transport reads: ftp://h/x\\?token=\\*\\*\\*"):
        Transport().get("ftp://h/x?token=SECRET")


def test_the_listing_skips_links_out_of_the_intake_folder(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    outside = tmp_path / "outside.csv"
    outside.write_text("root:x:0:0:root:/root:/bin/bash\n")
    intake = tmp_path / "intake"
    intake.mkdir()
    (intake / "notes.csv").write_text("rm,text\nA,hello\n")
    (intake / "passwd.csv").symlink_to(outside)
    (intake / "inside.csv").symlink_to(intake / "notes.csv")  # a link is not taken even inside
    os.mkfifo(intake / "pipe.csv")
    files = FileTransport()
    with caplog.at_level(logging.WARNING, logger="mi.transport.files"):
        listed = files.listing(str(intake), [".csv"])
    assert listed == [str(intake / "notes.csv")]
    assert listed.skipped == [str(intake / "inside.csv"), str(intake / "passwd.csv")]
    assert "2 symbolic link(s) not read" in caplog.text and "passwd.csv" in caplog.text
    assert "root:" not in caplog.text


def test_a_listed_file_swapped_for_a_link_is_refused_without_echoing_it(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n")
    intake = tmp_path / "intake"
    intake.mkdir()
    note = intake / "notes.csv"
    note.write_text("rm,text\n")
    files = FileTransport()
    assert files.listing(str(intake), [".csv"]) == [str(note)]
    note.unlink()
    note.symlink_to(secret)
    with pytest.raises(FetchError) as caught:
        files.get(str(note))
    assert "symbolic link" in str(caught.value) and "root:" not in str(caught.value)


def test_a_configured_file_may_be_a_link(tmp_path: Path) -> None:
    """Outside a listing the operator names the file, and a link to today's export is normal."""
    (tmp_path / "export-2026-11-28.csv").write_text("a\n1\n")
    (tmp_path / "current.csv").symlink_to(tmp_path / "export-2026-11-28.csv")
    assert FileTransport().get(str(tmp_path / "current.csv")).body == b"a\n1\n"
