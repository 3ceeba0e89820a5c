"""Is a package's or resource's metadata plainly valid, as Frictionless's descriptor checks see it?

Frictionless checks a descriptor before any row (`Package.metadata_validate`, `Resource.metadata_validate`):
the types of `title`, `licenses`, `bytes`..., the v1 name pattern, `created` as a datetime, licenses with a
name or path, the profiles. One wrong property makes its report a single package- or resource-error and no
tasks. Rather than repeat those checks and their messages, this module recognises metadata that certainly
passes them and raises `Unsupported` for anything else (a wrong type, an email to check, an unknown
profile): Frictionless then checks the package, and its report names the problem. Custom properties
(Frictionless allows them) pass.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from pipelines.tablecheck.cells import value_reader
from pipelines.tablecheck.schema import Field, Unsupported, text_only

NAME = re.compile(r"^[-a-z0-9._/]+$")  # the v1 name pattern (Data Package v2 drops it: such names go to Frictionless)
PACKAGE_TEXT = ("title", "description", "homepage", "image", "version", "created", "$schema")
RESOURCE_TEXT = ("title", "description", "homepage", "profile", "scheme", "format", "mediatype", "encoding", "hash", "$schema")
COUNTS = ("bytes", "fields", "rows")
PARTIES = {"licenses": ("name", "path", "title"), "sources": ("title", "path", "email"),
           "contributors": ("title", "path", "email", "organisation", "role")}


def check_package_metadata(descriptor: dict) -> None:
    """The package's own metadata and every resource's (Frictionless rejects the whole package for either)."""
    if not isinstance(descriptor, dict):
        raise Unsupported("the descriptor is not an object")
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not resources or not all(isinstance(item, dict) for item in resources):
        raise Unsupported("resources is not a list of objects")
    for key in ("type", "profiles", "missingValues", "fields"):  # another class, a v5 transform, misplaced keys
        if key in descriptor:
            raise Unsupported(f"package property {key!r}")
    name = descriptor.get("name")
    if name is not None and not (isinstance(name, str) and NAME.match(name)):
        raise Unsupported(f"package name {name!r}")
    text_only(descriptor, PACKAGE_TEXT, "package")
    _check_parties(descriptor, ("licenses", "sources", "contributors"), "package")
    keywords = descriptor.get("keywords")
    if keywords is not None and not (isinstance(keywords, list) and all(isinstance(word, str) for word in keywords)):
        raise Unsupported("package keywords")
    if descriptor.get("created") and not _is_datetime(descriptor["created"]):
        raise Unsupported(f"package created {descriptor['created']!r}")
    profile = descriptor.get("profile")
    if profile not in (None, "data-package", "tabular-data-package"):
        raise Unsupported(f"package profile {profile!r}")
    if profile == "tabular-data-package" and any(item.get("profile") != "tabular-data-resource" for item in resources):
        raise Unsupported("a tabular-data-package with a resource of another profile")
    for item in resources:
        check_resource_metadata(item)


def check_resource_metadata(item: dict) -> None:
    """A resource's metadata. (A remote or multipart path is valid metadata: such a resource alone goes to
    Frictionless, in `api._plan`.)"""
    name = item.get("name")
    if not (isinstance(name, str) and NAME.match(name)):
        raise Unsupported(f"resource name {name!r}")
    if (item.get("path") is None) == (item.get("data") is None):
        raise Unsupported("a resource needs one of path and data")
    paths = item.get("path") if isinstance(item.get("path"), list) else [item.get("path")]
    for path in paths:
        if path is not None and not (isinstance(path, str) and (is_safe_path(path) or _is_remote(path))):
            raise Unsupported(f"path {path!r}")
    text_only(item, RESOURCE_TEXT, f'resource "{name}"')
    _check_parties(item, ("licenses", "sources"), f'resource "{name}"')
    for key in COUNTS:
        if key in item and type(item[key]) is not int:
            raise Unsupported(f'resource "{name}": {key} {item[key]!r}')
    for key in ("schema", "dialect"):
        if key in item and not (isinstance(item[key], dict) or isinstance(item[key], str) and is_safe_path(item[key])):
            raise Unsupported(f'resource "{name}": {key} {item[key]!r}')
    profile = item.get("profile")
    if profile not in (None, "data-resource", "tabular-data-resource"):
        raise Unsupported(f'resource "{name}": profile {profile!r}')
    if profile == "tabular-data-resource" and not item.get("schema"):
        raise Unsupported(f'resource "{name}": a tabular-data-resource without a schema')


def is_safe_path(path: str) -> bool:
    """A local path inside the package's directory (Frictionless's helpers.is_safe_path, stricter: no
    scheme, no variables either)."""
    return not ("://" in path or os.path.isabs(path) or ".." in Path(path).parts or path.startswith("~") or "$" in path or "%" in path)


def _is_remote(path: str) -> bool:
    return "://" in path and not path.lower().startswith("file:")


def _check_parties(descriptor: dict, keys: tuple[str, ...], where: str) -> None:
    """licenses, sources, contributors: lists of objects with text properties; an email Frictionless would
    check as a format is left to it, and a license needs a name or a path."""
    for key in keys:
        items = descriptor.get(key, [])
        if not isinstance(items, list) or not all(isinstance(party, dict) for party in items):
            raise Unsupported(f"{where}: {key} {items!r}")
        for party in items:
            text_only(party, PARTIES[key], f"{where}: {key}")
            if party.get("email") or key == "licenses" and not (party.get("name") or party.get("path")):
                raise Unsupported(f"{where}: {key} {party!r}")


def _is_datetime(value) -> bool:
    """`created` as Frictionless reads it: a datetime field's default format."""
    return isinstance(value, str) and value_reader(Field(name="created", type="datetime"))(value) is not None
