"""`ashyq extract FILE` on real documents: the bundled mirror's attachments and the project's seed texts."""
import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO.parent / "shared" / "seeds"


def extract(path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipelines.cli", "extract", str(path)], capture_output=True, text=True, cwd=REPO)


def test_extract_prints_the_documented_json_shape_for_a_pdf():
    pdf = sorted((REPO / "sources" / "mirror").rglob("*.pdf"))[0]
    result = extract(pdf)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert set(found) == {"language", "amounts", "dates", "periods", "regions", "organizations"}
    assert found["language"] in ("kk", "ru", "en") and found["dates"] and found["organizations"]


def test_extract_on_a_docx(tmp_path):
    docx = sorted((REPO / "sources" / "mirror").rglob("*.docx"))[0]
    result = extract(docx)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["organizations"]


def test_extract_reads_a_kazakh_project_page_the_tests_were_not_written_from(tmp_path):
    text = "Ұзақтығы\nАқпан 2017 – Қаңтар 2020\nБюджеті: € 470,000\n60 адам оқытуға қатысты\n11 кәсіпкерге 12 000 000 теңге көлеміндегі қолдау\nШҚО: Глубокое"
    page = tmp_path / "page.txt"
    page.write_text(text, encoding="utf-8")
    found = json.loads(extract(page).stdout)
    assert found["language"] == "kk"
    assert [(a["value"], a["currency"]) for a in found["amounts"]] == [(470000, "EUR"), (12000000, "KZT")]
    assert found["periods"][0]["start"] == "2017-02" and found["periods"][0]["end"] == "2020-01"
    assert found["regions"][0]["code"] == "630000000"


def test_extract_on_the_seed_documents_when_present():
    seeds = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    for seed in seeds:
        result = extract(seed)
        assert result.returncode == 0, result.stderr
        found = json.loads(result.stdout)
        for entity in ("amounts", "dates", "periods", "regions", "organizations"):
            for item in found[entity]:
                assert item["text"] in seed.read_text("utf-8")


def test_unreadable_file_is_a_clear_error(tmp_path):
    broken = tmp_path / "memo.pdf"
    broken.write_bytes(b"%PDF-1.4 not really")
    result = extract(broken)
    assert result.returncode == 1 and "memo.pdf" in result.stderr and result.stdout == ""
    missing = extract(tmp_path / "nope.docx")
    assert missing.returncode == 1 and "nope.docx" in missing.stderr
