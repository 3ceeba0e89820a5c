"""One exception type, so callers (CLI, Dagster asset) can tell a bad release or load from a programming error."""


class WarehouseError(Exception):
    """A release cannot be turned into SQL tables; the message names the file, row and column."""
