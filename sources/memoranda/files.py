"""Memoranda from local files (`ashyq ingest memoranda FILE...`): one row per file, by the same rules as the sites."""
from __future__ import annotations

from pathlib import PurePath

from sources.extract import read_document
from sources.files import sha256_bytes
from sources.memoranda.record import text_facts

KINDS = {".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html", ".txt": "text"}


def parse_file(data: bytes, *, name: str, source_id: str = "ingest") -> dict[str, list[dict]]:
    """{"memoranda": [row]} for one memorandum document; its id is `<source_id>/<first 16 hex of its sha256>`."""
    text = read_document(data, name=name)
    sha = sha256_bytes(data)
    title = next((line.strip() for line in text.splitlines() if line.strip()), PurePath(name).stem)[:300]
    row = {
        "memorandum_id": f"{source_id}/{sha[:16]}",
        "title": title,
        **text_facts(text),
        "source_id": source_id,
        "source_url": f"file:{PurePath(name).name}",
        "document_sha256": sha,
        "locator": f"{KINDS.get(PurePath(name).suffix.lower(), 'text')}:{PurePath(name).name}",
    }
    return {"memoranda": [row]}
