"""Frictionless itself, for what the DuckDB path does not reproduce (see docs/validation.md).

Both functions return Frictionless's own report descriptor. No error limit: Frictionless stops at 1,000
errors by default, which would leave the rest unchecked.
"""
from __future__ import annotations

NO_LIMIT = 10**9


def resource_report(path: str, schema: dict | None, dialect: dict | None) -> dict:
    from frictionless import Dialect, FrictionlessException, Report, Resource, Schema

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
