"""Ashyq's pipeline: Dagster definitions, validation, publishing and the `ashyq` CLI.

Modules that the CLI needs for quick commands (extract, validate) must not import Dagster at import
time; only `definitions` and `assets` do.
"""
