"""Is a package's or resource's metadata plainly valid, as Frictionless's descriptor checks see it?

Frictionless checks a descriptor before any row (`Package.metadata_validate`, `Resource.metadata_validate`):
the types of `title`, `licenses`, `bytes`..., the v1 name pattern, `created` as a datetime, licenses with a
name or path, the profiles. One wrong property makes its report a single package- or resource-error and no
tasks. Rather than repeat those checks and their messages, this module recognises metadata that certainly
passes them; anything else (a wrong type, an email to check, an unknown profile) goes to Frictionless,
whose report then names the problem. Custom properties (Frictionless allows them) pass.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

NAME = re.compile(r"^[-a-z0-9._/]+$")  # the v1 name pattern (Data Package v2 drops it: such names go to Frictionless)
TEXT_KEYS = ("title", "description", "homepage", "image", "version", "created", "$schema")
RESOURCE_TEXT_KEYS = ("title", "description", "homepage", "profile", "scheme", "format", "mediatype", "encoding", "hash", "$schema")
COUNT_KEYS = ("bytes", "fields", "rows")
PARTIES = {"licenses": ("name", "path", "title"), "sources": ("title", "path", "email"),
           "contributors": ("title", "path", "email", "organisation", "role")}


def package_problem(descriptor: dict) -> str | None:
    """Why Frictionless might find the package's own metadata (not its resources') invalid, or None."""
    if not isinstance(descriptor, dict):
        return "the descriptor is not an object"
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not resources or not all(isinstance(item, dict) for item in resources):
        return "resources is not a list of objects"
    for key in ("type", "profiles", "missingValues", "fields"):  # another class, a v5 transform, misplaced keys
        if key in descriptor:
            return f"package property {key!r}"
    name = descriptor.get("name")
    if name is not None and not (isinstance(name, str) and NAME.match(name)):
        return f"package name {name!r}"
    problem = _text_problem(descriptor, TEXT_KEYS, "package") or _parties_problem(descriptor, ("licenses", "sources", "contributors"), "package")
    if problem:
        return problem
    keywords = descriptor.get("keywords")
    if keywords is not None and not (isinstance(keywords, list) and all(isinstance(word, str) for word in keywords)):
        return "package keywords"
    if descriptor.get("created") and not _is_datetime(descriptor["created"]):
        return f"package created {descriptor['created']!r}"
    profile = descriptor.get("profile")
    if profile not in (None, "data-package", "tabular-data-package"):
        return f"package profile {profile!r}"
    if profile == "tabular-data-package" and any(item.get("profile") != "tabular-data-resource" for item in resources):
        return "a tabular-data-package with a resource of another profile"
    return None


def resource_problem(item: dict) -> str | None:
    """Why Frictionless might find a resource's metadata invalid, or None. (A remote or multipart path is
    valid metadata: such a resource alone goes to Frictionless, in `api._plan`.)"""
    name = item.get("name")
    if not (isinstance(name, str) and NAME.match(name)):
        return f"resource name {name!r}"
    if (item.get("path") is None) == (item.get("data") is None):
        return "a resource needs one of path and data"
    paths = item.get("path") if isinstance(item.get("path"), list) else [item.get("path")]
    for path in paths:
        if path is not None and not (isinstance(path, str) and (is_safe_path(path) or _is_remote(path))):
            return f"path {path!r}"
    problem = _text_problem(item, RESOURCE_TEXT_KEYS, "resource") or _parties_problem(item, ("licenses", "sources"), "resource")
    if problem:
        return problem
    for key in COUNT_KEYS:
        if key in item and type(item[key]) is not int:
            return f"resource {key} {item[key]!r}"
    for key in ("schema", "dialect"):
        if key in item and not (isinstance(item[key], dict) or isinstance(item[key], str) and is_safe_path(item[key])):
            return f"resource {key} {item[key]!r}"
    profile = item.get("profile")
    if profile not in (None, "data-resource", "tabular-data-resource"):
        return f"resource profile {profile!r}"
    if profile == "tabular-data-resource" and not item.get("schema"):
        return "a tabular-data-resource without a schema"
    return None


def is_safe_path(path: str) -> bool:
    """A local path inside the package's directory (Frictionless's helpers.is_safe_path, stricter: no
    scheme, no variables either)."""
    return not ("://" in path or os.path.isabs(path) or ".." in Path(path).parts or path.startswith("~") or "$" in path or "%" in path)


def _is_remote(path: str) -> bool:
    return "://" in path and not path.lower().startswith("file:")


def _text_problem(descriptor: dict, keys: tuple[str, ...], what: str) -> str | None:
    for key in keys:
        if key in descriptor and not isinstance(descriptor[key], str):
            return f"{what} {key} {descriptor[key]!r}"
    return None


def _parties_problem(descriptor: dict, keys: tuple[str, ...], what: str) -> str | None:
    """licenses, sources, contributors: lists of objects with text properties; an email Frictionless would
    check as a format is left to it, and a license needs a name or a path."""
    for key in keys:
        if key not in descriptor:
            continue
        items = descriptor[key]
        if not isinstance(items, list) or not all(isinstance(party, dict) for party in items):
            return f"{what} {key} {items!r}"
        for party in items:
            if any(name in party and not isinstance(party[name], str) for name in PARTIES[key]) or party.get("email"):
                return f"{what} {key} {party!r}"
            if key == "licenses" and not (party.get("name") or party.get("path")):
                return f"{what} license without a name or path"
    return None


def _is_datetime(value) -> bool:
    """`created` as Frictionless reads it: a datetime field's default format."""
    from pipelines.tablecheck.cells import value_reader
    from pipelines.tablecheck.schema import Field

    return isinstance(value, str) and value_reader(Field(name="created", type="datetime"))(value) is not None
