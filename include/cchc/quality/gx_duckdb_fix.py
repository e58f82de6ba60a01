"""A small, version-pinned fix that lets Great Expectations' SQL data source run on DuckDB.

The bug (GX issue 11579, "IndexError in resolve_metric_bundle" over duckdb-engine): GX 1.24.1's
``SqlAlchemyExecutionEngine.execute_query`` returns its SQLAlchemy ``Result`` *after* the ``with
self.get_connection()`` block has closed the connection. Most drivers have buffered the rows by
then; duckdb-engine has not, so the rows are gone, metric bundles come back empty and GX fails
with an IndexError (column expectations) or finds no unexpected rows at all.

The fix: buffer the rows with ``Result.freeze()`` while the connection is still open and return a
fresh ``Result`` over the buffer. Same rows, same API; only for the duckdb dialect, only for
results that return rows. It is applied on the one GX version it was checked with: another version
is refused (``GxDuckdbFixError``) so that an upgrade re-checks the fix instead of trusting it.
"""
from __future__ import annotations

import logging

log = logging.getLogger(__name__)

CHECKED_GX_VERSION = "1.24.1"
_PATCH_MARK = "_cchc_duckdb_rows_buffered"
original_execute_query = None  # GX's own method, kept by apply() (the tests show the bug with it)


class GxDuckdbFixError(RuntimeError):
    """The installed GX is not the version this fix was checked with."""


def _buffered_execute_query(self, query):
    """``SqlAlchemyExecutionEngine.execute_query`` with the rows read before the connection closes."""
    with self.get_connection() as connection:
        result = self._execute_query_with_recovery(connection, query)
        if getattr(result, "returns_rows", False) and _is_duckdb(self):
            return result.freeze()()
    return result


setattr(_buffered_execute_query, _PATCH_MARK, True)


def _is_duckdb(engine) -> bool:
    try:
        return engine.engine.dialect.name == "duckdb"
    except AttributeError:
        return False


def is_applied() -> bool:
    from great_expectations.execution_engine.sqlalchemy_execution_engine import SqlAlchemyExecutionEngine

    return getattr(SqlAlchemyExecutionEngine.execute_query, _PATCH_MARK, False)


def apply(version: str | None = None) -> None:
    """Patch ``SqlAlchemyExecutionEngine.execute_query`` (idempotent). Raises ``GxDuckdbFixError``
    on any GX version other than the one the fix was checked with."""
    import great_expectations
    from great_expectations.execution_engine.sqlalchemy_execution_engine import SqlAlchemyExecutionEngine

    version = version or great_expectations.__version__
    if version != CHECKED_GX_VERSION:
        raise GxDuckdbFixError(
            f"cchc.quality.gx_duckdb_fix was checked with great_expectations {CHECKED_GX_VERSION}, "
            f"not {version}: re-check GX issue 11579 (rows lost once execute_query closes its "
            "connection, over duckdb-engine) on this version, then update CHECKED_GX_VERSION or drop the fix"
        )
    global original_execute_query
    if is_applied():
        return
    original_execute_query = SqlAlchemyExecutionEngine.execute_query
    SqlAlchemyExecutionEngine.execute_query = _buffered_execute_query
    log.debug("gx_duckdb_fix: SqlAlchemyExecutionEngine.execute_query buffers rows (GX %s)", version)
