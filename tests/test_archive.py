import pytest

from sources.files import sha256_bytes


def meta(**overrides):
    base = dict(source_id="s", role="detail", url="https://x.kz/a", final_url="https://x.kz/a", retrieved_at="2026-01-01T00:00:00Z",
                http_status=200, content_type="text/html", etag="", last_modified="", sample=True)
    return {**base, **overrides}


def test_same_bytes_are_stored_once_and_keep_their_first_provenance(archive):
    first = archive.put(b"hello", **meta())
    again = archive.put(b"hello", **meta(url="https://x.kz/other", retrieved_at="2027-01-01T00:00:00Z"))
    assert again == first
    assert first.sha256 == sha256_bytes(b"hello") and first.bytes == 5
    blobs = [p for p in (archive.root / "sha256").rglob("*") if p.is_file()]
    assert len(blobs) == 2  # the bytes and one sidecar


def test_read_refuses_bytes_that_no_longer_match_their_hash(archive):
    record = archive.put(b"original", **meta())
    archive.path_of(record.sha256).write_bytes(b"tampered")
    with pytest.raises(ValueError, match="corrupt"):
        archive.read(record.sha256)


def test_last_response_is_remembered_per_url(archive):
    record = archive.put(b"page", **meta())
    assert archive.last_response("https://x.kz/a") is None
    archive.remember_response("https://x.kz/a", sha256=record.sha256, etag='"e1"', last_modified="", final_url="https://x.kz/a")
    assert archive.last_response("https://x.kz/a")["etag"] == '"e1"'
