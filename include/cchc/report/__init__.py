"""The nightly static HTML report: ``build_report()`` writes one self-contained folder,
openable offline, from the marts, ``dq.violations`` and the night's crawl; ``cchc report`` and
the DAG's last task call it."""
from cchc.report.render import build_report, run_report

__all__ = ["build_report", "run_report"]
