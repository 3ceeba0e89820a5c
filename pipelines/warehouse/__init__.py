"""SQL copies of a published release: a self-contained SQLite file (for datasette / sqlite3) and a warehouse load
into any SQLAlchemy database. Both come from one DDL generator fed by the release's own `datapackage.json`,
so the SQL tables always match the CSVs they are loaded from.

    build_sqlite(release_dir, out_path)            -> SQLite file with keys enforced + <stem>.metadata.json
    load_release(release_dir, url=None, schema=None) -> replace the tables in ASHYQ_WAREHOUSE_URL atomically
    python -m pipelines.warehouse --help           the same from a shell
"""
from pipelines.warehouse.errors import WarehouseError
from pipelines.warehouse.load import Loaded, load_release, warehouse_url
from pipelines.warehouse.release_files import Release, read_release
from pipelines.warehouse.sqlite_file import build_sqlite, datasette_metadata
from pipelines.warehouse.tables import ReleaseTables, ddl, release_tables

__all__ = [
    "Loaded",
    "Release",
    "ReleaseTables",
    "WarehouseError",
    "build_sqlite",
    "datasette_metadata",
    "ddl",
    "load_release",
    "read_release",
    "release_tables",
    "warehouse_url",
]
