"""Frictionless itself, for what the DuckDB path does not reproduce (see docs/validation.md).

The report functions return Frictionless's own report descriptor. No error limit: Frictionless stops at
1,000 errors by default, which would leave the rest unchecked.
"""
from __future__ import annotations

NO_LIMIT = 10**9


def resource_report(path: str, schema: dict | None, dialect: dict | None) -> dict:
    """`path` is the caller's own file, so it is trusted: Frictionless would otherwise refuse an absolute
    path as "not safe" (a guard meant for paths inside descriptors, which `package_report` keeps)."""
    from frictionless import Dialect, FrictionlessException, Report, Resource, Schema, system

    with system.use_context(trusted=True):
        try:
            options = {}
            if schema is not None:
                options["schema"] = Schema.from_descriptor(schema)
            if dialect:
                options["dialect"] = Dialect.from_descriptor(dialect)
            resource = Resource(str(path), **options)
        except FrictionlessException as exception:
            return Report.from_validation(errors=exception.to_errors()).to_descriptor()
        return resource.validate(limit_errors=NO_LIMIT).to_descriptor()


def inferred_schema(path: str) -> dict | None:
    """The Table Schema `frictionless validate` would infer for a CSV given alone (types guessed from the
    first rows), so a file checked without a schema gets Frictionless's findings. Inference reads only a
    sample, however big the file. None when Frictionless cannot read the file (its report then says why)."""
    from frictionless import FrictionlessException, Resource, system

    with system.use_context(trusted=True):  # the caller's own file (see resource_report)
        try:
            resource = Resource(str(path))
            resource.infer()
        except FrictionlessException:
            return None
    return resource.schema.to_descriptor()


def package_report(descriptor_path: str, resource_name: str | None = None) -> dict:
    """One resource of a package (with the package, for foreign keys), or the whole package."""
    from frictionless import FrictionlessException, Package, Report

    try:
        package = Package(descriptor_path)
    except FrictionlessException as exception:
        return Report.from_validation(errors=exception.to_errors()).to_descriptor()
    if resource_name is None:
        return package.validate(limit_errors=NO_LIMIT).to_descriptor()
    return package.get_resource(resource_name).validate(limit_errors=NO_LIMIT).to_descriptor()
