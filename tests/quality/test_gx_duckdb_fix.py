"""The GX 1.24.1 / duckdb-engine fix (GX issue 11579): rows survive execute_query, only on the
checked GX version."""
from __future__ import annotations

import pytest

from cchc import warehouse
from cchc.quality import gx_duckdb_fix


@pytest.fixture
def engine(data_dir):
    import sqlalchemy as sa
    from great_expectations.execution_engine.sqlalchemy_execution_engine import SqlAlchemyExecutionEngine

    path = data_dir / "w.duckdb"
    with warehouse.connect(path=path) as con:
        con.execute("create table numbers as select range as i from range(5)")
    gx_duckdb_fix.apply()
    e = SqlAlchemyExecutionEngine(connection_string=f"duckdb:///{path}")
    yield e, sa.text("select i from numbers order by i")
    e.close()


def test_execute_query_keeps_its_rows_once_its_connection_closed(engine):
    e, query = engine
    assert e.execute_query(query).fetchall() == [(0,), (1,), (2,), (3,), (4,)]


def test_without_the_fix_duckdb_rows_are_lost(engine):
    """The bug the fix is for: if this starts passing rows, GX or duckdb-engine fixed it."""
    e, query = engine
    assert gx_duckdb_fix.original_execute_query(e, query).fetchall() == []


def test_apply_is_idempotent():
    from great_expectations.execution_engine.sqlalchemy_execution_engine import SqlAlchemyExecutionEngine

    gx_duckdb_fix.apply()
    patched = SqlAlchemyExecutionEngine.execute_query
    gx_duckdb_fix.apply()
    assert SqlAlchemyExecutionEngine.execute_query is patched and gx_duckdb_fix.is_applied()


def test_another_gx_version_is_refused():
    with pytest.raises(gx_duckdb_fix.GxDuckdbFixError, match="1.24.1, not 1.25.0"):
        gx_duckdb_fix.apply(version="1.25.0")
