"""published/index.html: every package and every version, newest first, the latest marked.

Versions published before the site existed have no release page; they link to their datapackage.json.
"""
from __future__ import annotations

import json
from pathlib import Path

from pipelines.site.markup import Markup, join, tag
from pipelines.site.release_data import ReleaseData, version_key
from pipelines.site.style import page
from sources.files import write_atomic


def _versions(package_dir: Path) -> list[ReleaseData]:
    found = []
    for child in package_dir.iterdir():
        if child.is_dir() and version_key(child.name) and (child / "datapackage.json").is_file():
            try:
                found.append(ReleaseData(child))
            except (ValueError, OSError):
                continue  # an unreadable descriptor is not listed rather than breaking the catalog
    return sorted(found, key=lambda r: version_key(r.folder.name), reverse=True)


def _latest(package_dir: Path) -> str | None:
    try:
        return json.loads((package_dir / "latest.json").read_text("utf-8")).get("version")
    except (OSError, ValueError, AttributeError):
        return None


def _version_item(package: str, release: ReleaseData, latest: str | None) -> Markup:
    version = release.folder.name
    base = f"{package}/{version}/"
    page_link = f"{base}index.html" if release.has_page() else f"{base}datapackage.json"
    badges = []
    if version == latest:
        badges.append(tag("span", "latest", class_="badge latest"))
    if release.sample:
        badges.append(tag("span", "sample — fictional", class_="badge sample"))
    links = [tag("a", "datapackage.json", href=f"{base}datapackage.json")]
    links += [tag("a", name, href=base + name) for name, _ in release.downloads()]
    resources = len(release.resources)
    return tag(
        "li",
        tag("a", tag("strong", f"Version {version}"), href=page_link),
        " ", join(badges, " "), tag("br"),
        tag("span", f"published {release.created_text or '(date not given)'} · {resources} tables · ", join(links, " · "), class_="muted"),
    )


def catalog_page(published_dir: Path) -> bytes:
    packages = []
    for package_dir in sorted(p for p in Path(published_dir).iterdir() if p.is_dir() and not p.name.startswith(".")):
        versions = _versions(package_dir)
        if versions:
            packages.append((package_dir.name, versions, _latest(package_dir)))
    blocks = [
        tag("h1", "Ashyq open data releases"),
        tag("p", "What oil, gas and mining companies (subsoil users) promise and spend on social infrastructure in Kazakhstan and "
            "Kyrgyzstan: memoranda with akimats, companies' project disclosures, and local budget lines. Each release is a "
            "Data Package — CSV files you can open in any spreadsheet, described by datapackage.json — and is never changed "
            "once published; a new version is added instead."),
    ]
    if (Path(published_dir) / "README.md").is_file():
        blocks.append(tag("p", "How the folders are organised: ", tag("a", "README.md", href="README.md"), "."))
    if not packages:
        blocks.append(tag("p", "Nothing has been published yet."))
    for name, versions, latest in packages:
        current = next((r for r in versions if r.folder.name == latest), versions[0])
        description = str(current.descriptor.get("description", "")).split("\n\n")
        blocks += [
            tag("h2", current.title, id=f"package-{name}"),
            tag("p", tag("code", name), " · ", f"{len(versions)} version{'s' if len(versions) != 1 else ''}", class_="meta"),
        ]
        if current.sample:
            blocks.append(tag("div", tag("strong", "SAMPLE DATA — FICTIONAL"),
                              "The latest release of this package is built from invented sample data. Do not cite it.", class_="banner", role="note"))
        blocks.append(tag("ul", *[_version_item(name, r, latest) for r in versions], class_="versions", aria_label=f"Versions of {name}, newest first"))
        about = [tag("p", paragraph.strip()) for paragraph in description if paragraph.strip() and not paragraph.startswith("SAMPLE")]
        if about:
            blocks.append(tag("details", tag("summary", "What this package contains"), *about))
    body = join([
        tag("header", tag("div", "Ashyq — open data on subsoil users' social spending", class_="wrap"), class_="top"),
        tag("main", *blocks, class_="wrap"),
        tag("footer", tag("p", "All links are relative: this folder works offline, for example copied to a USB stick."), class_="wrap"),
    ])
    return page(title="Ashyq open data releases", body=body, description="Every published release of Ashyq's data packages.")


def render_catalog(published_dir: Path) -> Path:
    """Write published/index.html atomically (a reader sees the old page or the new one) and return its path."""
    target = Path(published_dir) / "index.html"
    write_atomic(target, catalog_page(Path(published_dir)))
    return target


