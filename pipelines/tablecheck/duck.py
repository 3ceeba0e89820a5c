"""DuckDB without its Python front end.

`import duckdb` (2.0) builds the relational API (relations, expressions, Arrow sources) in Python before
anything runs: 60-90 ms of every `ashyq validate`, which only executes SQL and fetches rows. Both come
from the compiled module that `duckdb` re-exports, `_duckdb`: the same connection class and the same
exception classes, so `except duckdb.Error` elsewhere catches what these connections raise. Should a
DuckDB release rename it, the package is imported instead.
"""
try:
    import _duckdb as duckdb
except ImportError:  # pragma: no cover - a DuckDB without the module
    import duckdb

__all__ = ["duckdb"]
