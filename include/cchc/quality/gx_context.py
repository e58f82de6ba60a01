"""The Great Expectations project of the nightly checks, as code: a GX 1.x *file* data context in
``<data_dir>/gx`` (out of git, beside the warehouse), its data source, suites, validation
definitions and checkpoint, all created with ``add_or_update`` so that ``setup()`` reruns safely.

Layout:

- data source ``cchc_warehouse``: GX's SQL data source over the warehouse file, *read-only*, with
  query assets ``reports`` (``dq.reports``), ``report_terms`` (``dq.report_terms``) and
  ``fct_dossier_facts`` (``marts.fct_dossier_facts``), each with a whole-table batch definition;
- suites: ``cchc_dossier_arithmetic_reports`` and ``cchc_dossier_arithmetic_terms`` (every rule of
  the dossier arithmetic, docs/arithmetic.md, as ``UnexpectedRowsExpectation`` queries from
  ``quality.rules_sql``, plus GX's own column expectations where a check is one column or a pair
  of columns), and ``cchc_marts_facts`` (the shape of the facts mart, built-in expectations only);
- one validation definition per suite, one checkpoint ``cchc_nightly`` running all three with
  ``UpdateDataDocsAction`` (static Data Docs in ``gx/uncommitted/data_docs/local_site``, made to
  load their scripts, styles and fonts from the site itself by ``quality.data_docs_assets``).

Why a SQL data source on the file rather than pandas batches: ``UnexpectedRowsExpectation``, the
expectation that states a rule across columns or rows, runs only on SQL batches; GX then runs
the rule queries itself and its results (and Data Docs) hold the broken rows. The price is the
one connection to the warehouse that ``cchc.warehouse`` does not open: SQLAlchemy's, made by
duckdb-engine from the URL below, read-only. It is opened only inside ``run_checkpoint``, while
the caller holds no connection of its own (DuckDB refuses two connections of different
configurations to one file in a process), and closed before it returns. GX 1.24.1 loses rows on
duckdb-engine without ``gx_duckdb_fix``, applied here.

The warehouse URL is a GX config variable (``cchc_gx_warehouse_url`` in
``uncommitted/config_variables.yml``), written on every setup: the data source's stored config
stays the same whatever ``CCHC_WAREHOUSE`` says, so its assets and ids survive reruns.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cchc.settings import get_settings
from cchc.vocabulary import LOCALITY_TYPES, METRIC_NAMES, QUALIFIERS, TIERS, UNITS

log = logging.getLogger(__name__)

DATASOURCE = "cchc_warehouse"
URL_VARIABLE = "cchc_gx_warehouse_url"
CHECKPOINT = "cchc_nightly"
SUITE_REPORTS = "cchc_dossier_arithmetic_reports"
SUITE_TERMS = "cchc_dossier_arithmetic_terms"
SUITE_FACTS = "cchc_marts_facts"
BATCH = "whole_table"
ASSETS = {
    "reports": "select * from dq.reports",
    "report_terms": "select * from dq.report_terms",
    "fct_dossier_facts": "select * from marts.fct_dossier_facts",
}
SUITE_ASSET = {SUITE_REPORTS: "reports", SUITE_TERMS: "report_terms", SUITE_FACTS: "fct_dossier_facts"}


class QualityCheckError(RuntimeError):
    """A check could not run (missing table, GX error): the task must fail, loudly."""


def gx_root() -> Path:
    return get_settings().data_dir / "gx"


def warehouse_url(path: Path | None = None) -> str:
    return f"duckdb:///{Path(path or get_settings().warehouse_path).resolve()}"


def data_docs_index(context=None) -> Path:
    return gx_root() / "uncommitted" / "data_docs" / "local_site" / "index.html"


def serve_data_docs_locally(context=None) -> None:
    """After GX built the Data Docs: their jQuery, Bootstrap, bootstrap-table, Font Awesome and Vega
    from the site itself, not from CDNs (``quality.data_docs_assets``), so that they open offline."""
    from cchc.quality.data_docs_assets import DataDocsAssetsError, serve_locally

    try:
        serve_locally(data_docs_index(context).parent)
    except DataDocsAssetsError as exc:
        raise QualityCheckError(f"Data Docs: {exc}") from exc


def get_context():
    """The file data context under ``<data_dir>/gx`` (created on first use), with analytics and
    progress bars off (no network here; task logs stay readable)."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    from cchc.quality import gx_duckdb_fix

    gx_duckdb_fix.apply()
    gx_logger = logging.getLogger("great_expectations")
    if gx_logger.level == logging.NOTSET:  # GX logs every metric at INFO: thousands of lines a night
        gx_logger.setLevel(logging.WARNING)
    root = get_settings().data_dir
    root.mkdir(parents=True, exist_ok=True)
    context = gx.get_context(mode="file", project_root_dir=str(root))
    bars = context.variables.progress_bars  # a ProgressBarsConfig when set here, a dict once read back
    bars_on = bars is None or (bars.get("globally", True) if isinstance(bars, dict) else bars.globally)
    if context.variables.analytics_enabled is not False or bars_on:
        context.variables.analytics_enabled = False
        context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
        context.variables.save()
    return context


# --------------------------------------------------------------------------- suites


def rule_expectations(table: str) -> list:
    """One ``UnexpectedRowsExpectation`` per (rule, severity) whose query reads ``table``."""
    import great_expectations as gx
    from great_expectations.expectations.metadata_types import FailureSeverity

    from cchc.quality.rules_sql import rule_queries

    out = []
    for q in rule_queries():
        if q.table != table:
            continue
        out.append(gx.expectations.UnexpectedRowsExpectation(
            unexpected_rows_query=q.sql,
            description=q.description,
            severity=FailureSeverity.WARNING if q.severity == "warning" else FailureSeverity.CRITICAL,
            meta={"cchc_rule": q.rule, "cchc_severity": q.severity, "cchc_check": q.name},
        ))
    return out


def suites() -> dict[str, list]:
    import great_expectations as gx

    E = gx.expectations
    keys = ["report_uid", "article_id", "locality_name", "locality_type", "tier", "period_start", "period_end"]
    reports = rule_expectations("reports") + [
        E.ExpectColumnValuesToBeUnique(column="report_uid"),
        *[E.ExpectColumnValuesToNotBeNull(column=c) for c in keys],
        E.ExpectColumnValuesToBeInSet(column="tier", value_set=list(TIERS)),
        E.ExpectColumnValuesToBeInSet(column="locality_type", value_set=list(LOCALITY_TYPES)),
        E.ExpectColumnPairValuesAToBeGreaterThanB(column_A="period_end", column_B="period_start", or_equal=True),
    ]
    terms = rule_expectations("report_terms") + [
        E.ExpectCompoundColumnsToBeUnique(column_list=["report_uid", "term_key"]),
        *[E.ExpectColumnValuesToNotBeNull(column=c) for c in ("report_uid", "term_key", "metric", "stated", "lo")],
        E.ExpectColumnValuesToBeInSet(column="metric", value_set=list(METRIC_NAMES)),
        E.ExpectColumnValuesToBeInSet(column="qualifier", value_set=[*QUALIFIERS, "mixed"]),
        E.ExpectColumnValuesToBeBetween(column="lo", min_value=0),
        # an interval's upper bound is at least its lower bound; NULL hi (unbounded) is skipped
        E.ExpectColumnPairValuesAToBeGreaterThanB(column_A="hi", column_B="lo", or_equal=True, ignore_row_if="either_value_is_missing"),
    ]
    facts = [
        E.ExpectColumnValuesToBeUnique(column="fact_id"),
        *[E.ExpectColumnValuesToNotBeNull(column=c) for c in ("fact_id", "report_id", "article_id", "metric", "value", "evidence_text")],
        E.ExpectColumnValuesToBeInSet(column="metric", value_set=list(METRIC_NAMES)),
        E.ExpectColumnValuesToBeInSet(column="unit", value_set=list(UNITS)),
        E.ExpectColumnValuesToBeInSet(column="qualifier", value_set=list(QUALIFIERS)),
        E.ExpectColumnValuesToBeInSet(column="tier", value_set=list(TIERS)),
        E.ExpectColumnValuesToBeBetween(column="value", min_value=0),
    ]
    return {SUITE_REPORTS: reports, SUITE_TERMS: terms, SUITE_FACTS: facts}


# --------------------------------------------------------------------------- setup


def _datasource(context, url: str):
    context.save_config_variable(URL_VARIABLE, url)
    try:
        ds = context.data_sources.get(DATASOURCE)
    except KeyError:
        ds = context.data_sources.add_sql(
            DATASOURCE, connection_string="${" + URL_VARIABLE + "}", kwargs={"connect_args": {"read_only": True}}
        )
        close_engines([ds])  # add_sql tested the connection: let the file go
    names = {a.name for a in ds.assets}
    for name, query in ASSETS.items():
        if name not in names:
            ds.add_query_asset(name, query=query)
    for name in ASSETS:
        asset = ds.get_asset(name)
        if BATCH not in {b.name for b in asset.batch_definitions}:
            asset.add_batch_definition_whole_table(BATCH)
    return ds


def setup(context=None, warehouse_path: Path | None = None):
    """Create or update everything (rerunnable); returns the checkpoint."""
    import great_expectations as gx

    context = context or get_context()
    ds = _datasource(context, warehouse_url(warehouse_path))
    definitions = []
    for suite_name, expectations in suites().items():
        suite = context.suites.add_or_update(gx.ExpectationSuite(name=suite_name, expectations=expectations))
        batch = ds.get_asset(SUITE_ASSET[suite_name]).get_batch_definition(BATCH)
        definitions.append(context.validation_definitions.add_or_update(
            gx.ValidationDefinition(name=suite_name, data=batch, suite=suite)
        ))
    return context.checkpoints.add_or_update(gx.Checkpoint(
        name=CHECKPOINT,
        validation_definitions=definitions,
        actions=[gx.checkpoint.UpdateDataDocsAction(name="update_data_docs")],
        result_format={"result_format": "COMPLETE"},
    ))


def close_engines(datasources) -> None:
    """Close every SQLAlchemy engine GX opened on the warehouse, so the file is free again."""
    seen = set()
    for ds in datasources:
        if id(ds) in seen:
            continue
        seen.add(id(ds))
        execution_engine = getattr(ds, "_execution_engine", None)
        if execution_engine is not None:
            execution_engine.close()
        engine = getattr(ds, "_engine", None)
        if engine is not None:
            engine.dispose()


# --------------------------------------------------------------------------- run


@dataclass
class ExpectationOutcome:
    suite: str
    type: str
    success: bool
    rule: str | None = None  # cchc rule of an UnexpectedRowsExpectation
    severity: str | None = None
    check: str | None = None
    query: str | None = None
    observed: int | None = None
    rows: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    kwargs: dict[str, Any] = field(default_factory=dict)


@dataclass
class CheckpointOutcome:
    success: bool
    expectations: list[ExpectationOutcome]
    data_docs_path: Path
    validation_pages: list[str]

    @property
    def n_expectations(self) -> int:
        return len(self.expectations)

    @property
    def n_failed(self) -> int:
        return sum(not e.success for e in self.expectations)

    @property
    def errors(self) -> list[ExpectationOutcome]:
        return [e for e in self.expectations if e.error]


def _error_of(evr) -> str | None:
    """The exception GX caught while computing an expectation, if any (GX reports it in
    ``exception_info``, either flat or keyed by the metric that failed)."""
    info = evr.exception_info or {}
    if info.get("raised_exception"):
        return info.get("exception_message") or "GX raised an exception"
    for value in info.values():
        if isinstance(value, dict) and value.get("raised_exception"):
            return value.get("exception_message") or "GX raised an exception"
    return None


def run_checkpoint(run_id: str, warehouse_path: Path | None = None) -> CheckpointOutcome:
    """Set up, run the checkpoint once, release the warehouse. Expectation failures are results;
    anything GX could not compute is reported in ``ExpectationOutcome.error``."""
    from great_expectations.core.run_identifier import RunIdentifier

    context = get_context()
    checkpoint = None
    try:
        checkpoint = setup(context, warehouse_path)
        result = checkpoint.run(run_id=RunIdentifier(run_name=run_id))
    finally:
        opened = [context.data_sources.get(DATASOURCE)] if DATASOURCE in context.data_sources.all() else []
        if checkpoint is not None:
            opened += [vd.data_source for vd in checkpoint.validation_definitions]
        close_engines(opened)
    serve_data_docs_locally(context)
    outcomes: list[ExpectationOutcome] = []
    pages: list[str] = []
    for identifier, suite_result in result.run_results.items():
        suite_name = suite_result.suite_name
        try:
            for site in context.get_docs_sites_urls(resource_identifier=identifier):
                if site.get("site_url"):
                    pages.append(site["site_url"])
        except Exception as exc:  # a missing page is not worth failing the night for
            log.warning("data docs: no page for %s: %s", identifier, exc)
        for evr in suite_result.results:
            cfg = evr.expectation_config
            meta = cfg.meta or {}
            res = evr.result or {}
            outcomes.append(ExpectationOutcome(
                suite=suite_name,
                type=cfg.type,
                success=bool(evr.success),
                rule=meta.get("cchc_rule"),
                severity=meta.get("cchc_severity"),
                check=meta.get("cchc_check"),
                query=cfg.kwargs.get("unexpected_rows_query"),
                observed=res.get("observed_value") if meta.get("cchc_rule") else res.get("unexpected_count"),
                rows=list((res.get("details") or {}).get("unexpected_rows") or []),
                error=_error_of(evr),
                kwargs={k: v for k, v in cfg.kwargs.items() if k != "unexpected_rows_query"},
            ))
    return CheckpointOutcome(bool(result.success), outcomes, data_docs_index(context), pages)
