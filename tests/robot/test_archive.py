"""The raw-mail archive: one file per distinct mail, owner-only, safe to write from two threads."""

from __future__ import annotations

import stat
import threading

from robot.archive import archive_raw, content_hash


def test_the_same_bytes_land_once_at_their_hash(tmp_path):
    raw = b"From: a@b.example\r\nSubject: x\r\n\r\nbody\r\n"
    first = archive_raw(tmp_path / "archive", raw)
    again = archive_raw(tmp_path / "archive", raw)
    assert first == again and first[1] == content_hash(raw)
    assert first[0].read_bytes() == raw
    assert [p.name for p in (tmp_path / "archive").rglob("*") if p.is_file()] == [f"{first[1]}.eml"]
    assert stat.S_IMODE((tmp_path / "archive").stat().st_mode) == 0o700


def test_reader_threads_archiving_at_once_into_a_new_folder_all_succeed(tmp_path):
    """A poll reads two mails ahead: both may be the first to create the archive folder."""
    for round_number in range(50):
        archive = tmp_path / f"round{round_number}" / "archive"
        start = threading.Barrier(4)
        errors: list[BaseException] = []

        def archive_one(number: int) -> None:
            start.wait()
            try:
                archive_raw(archive, f"mail {number}".encode())
            except BaseException as exc:  # noqa: BLE001 - collected for the assertion
                errors.append(exc)

        threads = [threading.Thread(target=archive_one, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert len([p for p in archive.rglob("*.eml")]) == 4
