"""Frictionless itself, for what the DuckDB path does not reproduce (see docs/validation.md).

The report functions return Frictionless's own report descriptor. No error limit: Frictionless stops at
1,000 errors by default, which would leave the rest unchecked. Frictionless failing with an exception of
its own (a schema it accepts but cannot apply, e.g. a `minimum` of "x" on a number field) becomes a
ValueError naming the file, not a traceback.
"""
from __future__ import annotations

NO_LIMIT = 10**9


def resource_report(path: str, schema: dict | None, dialect: dict | None, encoding: str | None = None) -> dict:
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
        except FrictionlessException as exception:
            # `frictionless validate FILE --schema S` reads S as it validates FILE: the error is the file's task's
            return _task_report(path, exception, encoding)
        try:
            resource = Resource(str(path), **options, **declared_encoding(encoding))
        except FrictionlessException as exception:
            return Report.from_validation(errors=exception.to_errors()).to_descriptor()
        return _validate(resource, path)


def _task_report(path: str, exception, encoding: str | None) -> dict:
    from frictionless import FrictionlessException, Report, Resource

    try:
        resource = Resource(str(path), **declared_encoding(encoding))
    except FrictionlessException:
        return Report.from_validation(errors=exception.to_errors()).to_descriptor()
    return Report.from_validation_task(resource, time=0, errors=exception.to_errors()).to_descriptor()


def declared_encoding(encoding: str | None) -> dict:
    """Resource options for a caller's encoding (none: Frictionless guesses)."""
    return {"encoding": encoding} if encoding else {}


def _validate(target, where: str) -> dict:
    """Frictionless's report of a resource or package, with no error limit."""
    try:
        return target.validate(limit_errors=NO_LIMIT).to_descriptor()
    except Exception as error:  # Frictionless's own crash; its CLI shows only the message, too
        raise ValueError(f"{where}: Frictionless failed while checking it ({type(error).__name__}: {error})") from error


def inferred_schema(path: str, encoding: str | None = None) -> dict | None:
    """The Table Schema `frictionless validate` would infer for a CSV given alone (types guessed from the
    first rows), so a file checked without a schema gets Frictionless's findings. Inference reads only a
    sample, however big the file. None when Frictionless cannot read the file (its report then says why)."""
    from frictionless import FrictionlessException, Resource, system

    with system.use_context(trusted=True):  # the caller's own file (see resource_report)
        try:
            resource = Resource(str(path), **declared_encoding(encoding))
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
        return _validate(package, descriptor_path)
    return _validate(package.get_resource(resource_name), f"{descriptor_path}: resource {resource_name}")
