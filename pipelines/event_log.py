"""Dagster's SQLite event log (one database file per run, and an index), keeping one SQLAlchemy engine per
file instead of creating one for every event.

Dagster 1.13's SqliteEventLogStorage builds a new engine each time it stores or reads an event, and a new
engine compiles every statement again (the compiled-statement cache lives in the engine): a refresh stores a
few hundred events, and that was 2-3 s of it. The engines here use NullPool as Dagster's do, so no connection
stays open between events and other processes (the webserver, the daemon) see the files as before. Used by
dagster.yaml (`event_log_storage`); PostgreSQL instances (dagster.postgres.yaml) keep Dagster's own storage.

This overrides a private method of the pinned Dagster version (pyproject.toml pins it exactly);
tests/test_definitions.py runs a job on it and reads its events back.
"""
from __future__ import annotations

import os
from collections import OrderedDict
from contextlib import contextmanager
from typing import Iterator

from dagster._config import Field, StringSource
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import NullPool

MAX_ENGINES = 64  # the webserver reads many runs' files: the least recently used engines are let go


class KeptEngineSqliteEventLogStorage(SqliteEventLogStorage):
    def __init__(self, base_dir: str, inst_data=None):
        self._engines: OrderedDict[str, Engine] = OrderedDict()
        super().__init__(base_dir, inst_data)

    @classmethod
    def config_type(cls):
        return {"base_dir": Field(StringSource, is_required=False)}

    @classmethod
    def from_config_value(cls, inst_data, config_value):
        """`base_dir` defaults to where Dagster's own SQLite event log is: $DAGSTER_HOME/history/runs."""
        base_dir = config_value.get("base_dir") or os.path.join(os.environ["DAGSTER_HOME"], "history", "runs")
        return cls(base_dir, inst_data=inst_data)

    def _engine(self, shard: str) -> Engine:
        engine = self._engines.pop(shard, None)
        if engine is None:
            engine = create_engine(self.conn_string_for_shard(shard), poolclass=NullPool,
                                   connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS})
        self._engines[shard] = engine
        while len(self._engines) > MAX_ENGINES:
            self._engines.popitem(last=False)[1].dispose()
        return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        with self._db_lock:
            engine = self._engine(shard)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as conn:
                with conn.begin():
                    yield conn

    def dispose(self) -> None:
        super().dispose()
        while self._engines:
            self._engines.popitem()[1].dispose()
