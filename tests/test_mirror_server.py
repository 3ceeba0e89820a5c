import requests

from conftest import write


def test_serves_files_by_host_and_path_with_query_mapping(mirror_tree, served):
    write(mirror_tree, "example.kz/docs/list@page=2", "<html><body>page two</body></html>")
    write(mirror_tree, "example.kz/files/a.pdf", b"%PDF-1.4 test")
    response = requests.get(f"{served}/example.kz/docs/list?page=2", timeout=5)
    assert response.status_code == 200 and "page two" in response.text
    assert response.headers["Content-Type"].startswith("text/html")
    assert requests.get(f"{served}/example.kz/files/a.pdf", timeout=5).headers["Content-Type"] == "application/pdf"


def test_directories_serve_index_and_missing_files_404(mirror_tree, served):
    write(mirror_tree, "example.kz/ru/index.html", "<p>index</p>")
    assert "index" in requests.get(f"{served}/example.kz/ru/", timeout=5).text
    assert requests.get(f"{served}/example.kz/nothing", timeout=5).status_code == 404


def test_conditional_get_answers_304(mirror_tree, served):
    write(mirror_tree, "example.kz/p.html", "<p>x</p>")
    first = requests.get(f"{served}/example.kz/p.html", timeout=5)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert requests.get(f"{served}/example.kz/p.html", headers={"If-None-Match": etag}, timeout=5).status_code == 304
    assert requests.get(f"{served}/example.kz/p.html", headers={"If-Modified-Since": modified}, timeout=5).status_code == 304
    assert requests.get(f"{served}/example.kz/p.html", headers={"If-None-Match": '"other"'}, timeout=5).status_code == 200


def test_redirects_from_the_hosts_table(mirror_tree, served):
    write(mirror_tree, "example.kz/_redirects", "/old /new.html 301\n")
    write(mirror_tree, "example.kz/new.html", "<p>new</p>")
    response = requests.get(f"{served}/example.kz/old", timeout=5)
    assert response.status_code == 200 and response.url.endswith("/example.kz/new.html")
    assert response.history[0].status_code == 301


def test_paths_cannot_escape_the_tree(tmp_path, mirror_tree, served):
    (tmp_path / "secret.txt").write_text("secret")
    for path in ("/example.kz/../../secret.txt", "/%2e%2e/secret.txt", "/../secret.txt"):
        response = requests.get(served + path, timeout=5)
        assert response.status_code == 404 and "secret" not in response.text
