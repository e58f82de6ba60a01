"""What the nightly report shows, read from the warehouse into plain Python values.

Every query is defensive: a table or column that is not there (a warehouse before its first
``dbt build``, a ``dq.violations`` from an older or newer checks module) leaves its section
empty with a reason instead of failing the report. Nothing here formats HTML: the templates
escape everything they print (``cchc.report.render``).
"""
from __future__ import annotations

import json
import math
from collections import defaultdict
from datetime import date, datetime
from typing import Any

from cchc.vocabulary import LOCALITY_TYPE_WORDS

TIER_LABELS = {"all": "Toàn địa phương", "province": "Cấp tỉnh", "district": "Cấp huyện", "commune": "Cấp xã"}
TIER_ORDER = {"all": 0, "province": 1, "district": 2, "commune": 3}
LEVEL_ORDER = {"province": 0, "district": 1, "commune": 2}
PERIOD_TYPE_LABELS = {
    "month": "Theo tháng", "quarter": "Theo quý", "half_year": "6 tháng", "nine_months": "9 tháng",
    "year": "Theo năm", "year_to_date": "Từ đầu năm đến nay", "other_range": "Khoảng thời gian khác",
}
PERIOD_TYPE_ORDER = {k: i for i, k in enumerate(PERIOD_TYPE_LABELS)}
RULE_LABELS = {
    "intake": "Tiếp nhận (tổng = mới + kỳ trước)", "channels": "Kênh tiếp nhận (trực tuyến + trực tiếp)",
    "outcome": "Kết quả giải quyết (đúng hạn + quá hạn)", "balance": "Cân đối (tiếp nhận = giải quyết + tồn)",
    "tiers": "Tổng các cấp", "rates": "Tỷ lệ nêu so với số liệu", "parts": "Phần không vượt tổng",
    "services": "Dịch vụ công trực tuyến", "tasks": "Nhiệm vụ CCHC",
}
SEVERITY_LABELS = {"error": "Lỗi", "warning": "Cảnh báo"}
RUN_STATUS_LABELS = {"ok": "Bình thường", "failed": "Thất bại", "possibly_broken": "Có thể hỏng"}
QUALIFIER_MARKS = {"approx": "≈", "more_than": ">", "less_than": "<"}

# The three charts of every locality: (key, Vietnamese title, unit, computed column, stated fallback)
CHART_METRICS = (
    ("intake", "Hồ sơ tiếp nhận", "count", "dossiers_received", None),
    ("on_time", "Tỷ lệ giải quyết đúng hạn (%)", "percent", "on_time_rate_computed", "rate_resolved_early_or_on_time"),
    ("online", "Tỷ lệ tiếp nhận trực tuyến (%)", "percent", "online_rate_computed", "rate_received_online"),
)
MAX_VIOLATIONS = 500


# --------------------------------------------------------------------------- helpers

def _columns(con, schema: str, table: str) -> set[str]:
    rows = con.execute(
        "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchall()
    return {r[0] for r in rows}


def _rows(con, sql: str, params: list | None = None) -> list[dict[str, Any]]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def _col(cols: set[str], name: str, alias: str | None = None, cast: str | None = None) -> str:
    """``name`` when the table has it, else a null of that name: queries survive schema drift."""
    alias = alias or name
    if name in cols:
        return f'"{name}"' + (f"::{cast}" if cast else "") + f' as "{alias}"'
    return f'null as "{alias}"'


def _iso(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, (date, datetime)):
        return v.isoformat(sep=" ") if isinstance(v, datetime) else v.isoformat()
    return str(v)


def _num(v: Any) -> float | None:
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None  # NaN and infinities are no value


def locality_label(name: str | None, ltype: str | None, province: str | None = None) -> str:
    known = LOCALITY_TYPE_WORDS.get(ltype or "")
    word = known.capitalize() if known else (ltype or "")
    label = f"{word} {name}".strip() if name else (word or "?")
    if province and province != name:
        label += f", {province}"
    return label


# --------------------------------------------------------------------------- the run

def latest_run(con) -> str | None:
    if "run_id" not in _columns(con, "raw", "portal_runs"):
        return None
    row = con.execute(
        "select run_id from raw.portal_runs group by run_id order by max(started_at) desc nulls last, run_id desc limit 1"
    ).fetchone()
    return row[0] if row else None


# --------------------------------------------------------------------------- time series

def _periods(con) -> dict[str, dict[str, Any]]:
    cols = _columns(con, "marts", "dim_period")
    if "period_id" not in cols:
        return {}
    rows = _rows(con, f"select period_id, {_col(cols, 'period_label_vi')}, {_col(cols, 'period_type')}, "
                      f"{_col(cols, 'period_start')}, {_col(cols, 'period_end')} from marts.dim_period")
    return {r["period_id"]: r for r in rows}


def series(con) -> dict[str, Any]:
    """Charts per province and locality, and the comparison of the latest periods."""
    cols = _columns(con, "marts", "ts_dossier_kpis")
    if not {"locality_id", "tier", "period_id"} <= cols:
        return {"available": False, "provinces": [], "charts": [], "comparison": []}
    lcols = _columns(con, "marts", "dim_locality")
    join = "left join marts.dim_locality l using (locality_id)" if "locality_id" in lcols else ""
    full_name = "l.full_name" if "full_name" in lcols else "null"
    wanted = [
        "period_type", "period_start", "period_end", "period_label_vi", "locality_name", "locality_type", "level",
        "province_name", "dossiers_received", "on_time_rate_computed", "rate_resolved_early_or_on_time",
        "online_rate_computed", "rate_received_online", "n_localities_in_province", "n_known_in_province",
        "has_flagged_value", "flagged_metrics", "worst_severity", "on_time_rate_computed_is_flagged",
        "online_rate_computed_is_flagged",
    ]
    for m in ("dossiers_received", "on_time_rate_computed", "online_rate_computed"):
        wanted += [f"{m}_change_vs_previous", f"{m}_change_vs_last_year", f"{m}_previous", f"{m}_last_year",
                   f"{m}_rank_in_province"]
    select = ", ".join(["k.locality_id", "k.tier", "k.period_id", f"{full_name} as full_name"]
                       + [("k." + _col(cols, c)) if c in cols else _col(cols, c) for c in wanted])
    rows = _rows(con, f"select {select} from marts.ts_dossier_kpis k {join}")
    periods = _periods(con)
    for r in rows:  # dim_period is the label of record; the kpis copy it
        p = periods.get(r["period_id"]) or {}
        for key in ("period_label_vi", "period_type", "period_start", "period_end"):
            r[key] = r[key] if r[key] is not None else p.get(key)
        r["period_label_vi"] = r["period_label_vi"] or r["period_id"]
        r["period_type"] = r["period_type"] or "other_range"
        r["name"] = r["full_name"] or locality_label(r["locality_name"], r["locality_type"])
        r["province_name"] = r["province_name"] or "Không rõ tỉnh"
        r["level"] = r["level"] or "commune"
    qualifiers = _intake_qualifiers(con)

    # --- charts: province -> locality -> period type -> three charts with one line per tier
    by_loc: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_loc[r["locality_id"]].append(r)
    charts: list[dict[str, Any]] = []
    provinces: dict[str, list[dict]] = defaultdict(list)
    for loc_id, lrows in by_loc.items():
        first = lrows[0]
        groups = []
        by_type: dict[str, list[dict]] = defaultdict(list)
        for r in lrows:
            by_type[r["period_type"]].append(r)
        for ptype, trows in sorted(by_type.items(), key=lambda kv: (-len({r["period_id"] for r in kv[1]}),
                                                                    PERIOD_TYPE_ORDER.get(kv[0], 99))):
            group = {"period_type": ptype, "label": PERIOD_TYPE_LABELS.get(ptype, ptype), "charts": []}
            for key, title, unit, computed, stated in CHART_METRICS:
                lines = []
                for tier in sorted({r["tier"] for r in trows}, key=lambda t: TIER_ORDER.get(t, 9)):
                    pts = []
                    for r in sorted((r for r in trows if r["tier"] == tier), key=lambda r: (_iso(r["period_end"]) or "", r["period_id"])):
                        y = _num(r[computed])
                        if y is None and stated:
                            y = _num(r[stated])
                        if y is None:
                            continue
                        pts.append({"x": _iso(r["period_end"]) or "", "y": round(y, 4), "label": r["period_label_vi"],
                                    "q": qualifiers.get((loc_id, tier, r["period_id"])) if key == "intake" else None})
                    if pts:
                        lines.append({"tier": tier, "name": TIER_LABELS.get(tier, tier), "points": pts})
                chart = {"key": key, "title": title, "unit": unit, "empty": not lines}
                if lines:
                    chart["index"] = len(charts)
                    charts.append({"id": f"c{len(charts)}", "title": f"{first['name']} - {title} - {group['label']}",
                                   "unit": unit, "series": lines})
                group["charts"].append(chart)
            groups.append(group)
        provinces[first["province_name"]].append({
            "locality_id": loc_id, "name": first["name"], "level": first["level"], "groups": groups,
        })
    province_list = []
    for i, (pname, locs) in enumerate(sorted(provinces.items(), key=lambda kv: kv[0])):
        locs.sort(key=lambda l: (LEVEL_ORDER.get(l["level"], 9), l["name"]))
        for j, loc in enumerate(locs):
            loc["anchor"] = f"p{i}-l{j}"
        province_list.append({"name": pname, "anchor": f"p{i}", "localities": locs})

    return {"available": True, "provinces": province_list, "charts": charts,
            "comparison": _comparison(rows, qualifiers, [p["name"] for p in province_list])}


def _intake_qualifiers(con) -> dict[tuple, str]:
    cols = _columns(con, "marts", "ts_dossier_metrics")
    if not {"locality_id", "tier", "period_id", "metric", "qualifier"} <= cols:
        return {}
    rows = con.execute(
        "select locality_id, tier, period_id, qualifier from marts.ts_dossier_metrics "
        "where metric = 'dossiers_received' and qualifier is not null and qualifier <> 'exact'"
    ).fetchall()
    return {(a, b, c): QUALIFIER_MARKS.get(q, "~") for a, b, c, q in rows}


LEVEL_LABELS = {"province": "tỉnh, thành phố", "district": "huyện, quận, thị xã", "commune": "xã, phường, thị trấn"}


def _comparison(rows: list[dict], qualifiers: dict, province_order: list[str]) -> list[dict]:
    """Per province, per level of locality and period type: every locality and tier in the
    latest period of that type (localities of one level are the ones the marts rank together)."""
    by_prov: dict[str, dict[tuple, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        by_prov[r["province_name"]][(r["level"], r["period_type"])].append(r)
    out = []
    for pname in province_order:
        blocks = []
        for (level, ptype), prows in sorted(by_prov[pname].items(),
                                            key=lambda kv: (LEVEL_ORDER.get(kv[0][0], 9), PERIOD_TYPE_ORDER.get(kv[0][1], 99))):
            latest = max(prows, key=lambda r: (_iso(r["period_end"]) or "", _iso(r["period_start"]) or ""))
            pid = latest["period_id"]
            sel = sorted((r for r in prows if r["period_id"] == pid), key=lambda r: (r["name"], TIER_ORDER.get(r["tier"], 9)))
            blocks.append({
                "period_type": ptype, "period_type_label": PERIOD_TYPE_LABELS.get(ptype, ptype),
                "period_label": latest["period_label_vi"], "level_label": LEVEL_LABELS.get(level, level),
                "n_localities": len({r["locality_id"] for r in sel}),
                "rows": [_comparison_row(r, qualifiers) for r in sel],
            })
        out.append({"province": pname, "blocks": blocks})
    return out


def _comparison_row(r: dict, qualifiers: dict) -> dict[str, Any]:
    flagged = [m.strip() for m in (r["flagged_metrics"] or "").split(",") if m.strip()]

    def metric(col: str, stated: str | None = None, is_flagged: bool = False) -> dict[str, Any]:
        value = _num(r[col])
        is_stated = False
        if value is None and stated:
            value, is_stated = _num(r[stated]), True
        prev, last = _num(r[f"{col}_previous"]), _num(r[f"{col}_last_year"])
        d_prev, d_last = _num(r[f"{col}_change_vs_previous"]), _num(r[f"{col}_change_vs_last_year"])
        return {
            "value": value, "stated": is_stated and value is not None,
            "change_prev": d_prev, "change_last": d_last,
            "pct_prev": 100 * d_prev / prev if d_prev is not None and prev else None,
            "pct_last": 100 * d_last / last if d_last is not None and last else None,
            "rank": r[f"{col}_rank_in_province"],
            "flagged": bool(is_flagged),
        }
    return {
        "name": r["name"], "tier": TIER_LABELS.get(r["tier"], r["tier"]),
        "intake": metric("dossiers_received", is_flagged="dossiers_received" in flagged),
        "intake_q": qualifiers.get((r["locality_id"], r["tier"], r["period_id"])),
        "on_time": metric("on_time_rate_computed", "rate_resolved_early_or_on_time", r["on_time_rate_computed_is_flagged"]),
        "online": metric("online_rate_computed", "rate_received_online", r["online_rate_computed_is_flagged"]),
        "n_ranked": r["n_localities_in_province"],
        "n_known": r["n_known_in_province"],
        # the same marks as the marts: a value of the row takes part in a broken rule of the checks
        "flag": {"severity": r["worst_severity"], "metrics": ", ".join(flagged)} if r["has_flagged_value"] else None,
    }


# --------------------------------------------------------------------------- data quality

def _parse_json(text: Any) -> Any:
    if text is None or not isinstance(text, str):
        return text
    try:
        return json.loads(text)
    except ValueError:
        return text


def _metric_labels(con) -> dict[str, str]:
    cols = _columns(con, "marts", "dim_metric")
    if not {"metric", "label_vi"} <= cols:
        return {}
    return dict(con.execute("select metric, label_vi from marts.dim_metric").fetchall())


def violations(con, run_id: str | None) -> dict[str, Any]:
    cols = _columns(con, "dq", "violations")
    if not cols:
        return {"available": False, "rows": [], "n_errors": 0, "n_warnings": 0, "n_new": 0, "n_other_nights": 0,
                "truncated": 0, "scope": None}
    wanted = ["violation_id", "report_id", "article_id", "url", "title", "locality_name", "locality_type",
              "locality_province", "tier", "period_start", "period_end", "rule", "check_name", "severity", "terms",
              "expected", "detail", "repair", "evidence", "first_seen_run_id", "last_seen_run_id", "alerted_at"]
    where, params, scope = "", [], "all"
    if run_id is not None and "last_seen_run_id" in cols:
        where, params, scope = "where last_seen_run_id = ?", [run_id], "night"
    rows = _rows(con, f"select {', '.join(_col(cols, c) for c in wanted)} from dq.violations {where}", params)
    n_other = 0
    if scope == "night":
        n_other = con.execute("select count(*) from dq.violations where last_seen_run_id is distinct from ?", [run_id]).fetchone()[0]
    periods = {(_iso(p["period_start"]), _iso(p["period_end"])): p["period_label_vi"] for p in _periods(con).values()}
    labels = _metric_labels(con)

    def metric_label(m: str) -> str:
        return labels.get(m, m)

    out = []
    for v in rows:
        severity = (v["severity"] or "").lower()
        start, end = _iso(v["period_start"]), _iso(v["period_end"])
        terms = _parse_json(v["terms"])
        if isinstance(terms, dict):
            terms_list = [{"label": metric_label(str(k)), "metric": str(k), "value": _num(val) if _num(val) is not None else val}
                          for k, val in terms.items()]
            terms_text = None
        else:
            terms_list, terms_text = [], (None if terms is None else str(terms))
        evidence = _parse_json(v["evidence"])
        if isinstance(evidence, list):
            sentences = [str(s.get("sentence") or s.get("text") or s) if isinstance(s, dict) else str(s) for s in evidence]
        elif evidence in (None, ""):
            sentences = []
        else:
            sentences = [str(evidence)]
        sentences = list(dict.fromkeys(s for s in sentences if s))
        repair = _parse_json(v["repair"])
        repair_items = []
        for item in (repair if isinstance(repair, list) else [repair] if repair else []):
            if isinstance(item, dict):
                repair_items.append({
                    "metric": metric_label(str(item.get("metric", ""))), "tier": TIER_LABELS.get(item.get("tier"), item.get("tier")),
                    "stated": _num(item.get("stated")), "suggested": _num(item.get("suggested")), "text": None,
                })
            else:
                repair_items.append({"text": str(item)})
        url = v["url"] or ""
        out.append({
            "severity": severity, "severity_label": SEVERITY_LABELS.get(severity, severity or "?"),
            "is_new": run_id is not None and v["first_seen_run_id"] == run_id,
            "rule": v["rule"], "rule_label": RULE_LABELS.get(v["rule"], v["rule"] or ""), "check": v["check_name"],
            "locality": locality_label(v["locality_name"], v["locality_type"], v["locality_province"]),
            "province": v["locality_province"] or "",
            "tier": TIER_LABELS.get(v["tier"], v["tier"] or ""),
            "period": periods.get((start, end)) or (f"{start} – {end}" if start or end else ""),
            "period_sort": (start or "", end or ""),
            "terms": terms_list, "terms_text": terms_text, "expected": _num(v["expected"]),
            "detail": v["detail"], "repair": repair_items, "evidence": sentences,
            "title": v["title"] or url, "url": url, "safe_url": url if _is_web_url(url) else None,
        })
    out.sort(key=lambda v: (v["severity"] != "error", not v["is_new"], v["province"], v["locality"], v["period_sort"], v["rule"] or ""))
    n_errors = sum(v["severity"] == "error" for v in out)
    n_warnings = sum(v["severity"] == "warning" for v in out)
    n_new = sum(v["is_new"] for v in out)
    truncated = max(0, len(out) - MAX_VIOLATIONS)
    return {"available": True, "rows": out[:MAX_VIOLATIONS], "n_total": len(out), "n_errors": n_errors,
            "n_warnings": n_warnings, "n_new": n_new, "n_other_nights": n_other, "truncated": truncated, "scope": scope}


def _is_web_url(url: str) -> bool:
    """Only http(s) links become hrefs: a ``javascript:`` or ``data:`` URL from a page stays text."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


# --------------------------------------------------------------------------- Data Docs

def data_docs(con, run_id: str | None) -> dict[str, Any]:
    """The night's Great Expectations result pages, for a night that ran its checks (a row of
    ``dq.validation_runs``): the Data Docs site of the data folder (else the one the night
    recorded, if the folder moved), and in it one page per suite validated under the night's run
    name (the latest, where a night's checks ran more than once), with the verdict GX stored
    beside it (``gx/uncommitted/validations/<same path>.json``). Absolute paths: ``render`` makes
    them relative to the report's folder."""
    import glob
    from pathlib import Path

    from cchc.quality.gx_context import data_docs_index

    none = {"available": False, "index": None, "pages": []}
    if run_id is None or not {"run_id", "data_docs_path"} <= _columns(con, "dq", "validation_runs"):
        return none
    row = con.execute("select data_docs_path from dq.validation_runs where run_id = ? and data_docs_path is not null"
                      " order by started_at desc limit 1", [run_id]).fetchone()
    index = next((p for p in ((data_docs_index(), Path(row[0])) if row else ()) if p.is_file()), None)
    if index is None:
        return none
    site = index.parent
    results = site.parent.parent / "validations"  # gx/uncommitted/data_docs/<site> -> gx/uncommitted/validations
    latest: dict[str, Path] = {}
    for page in sorted(Path(p) for p in glob.glob(str(site / "validations" / "*" / glob.escape(run_id) / "*" / "*.html"))):
        rel = page.relative_to(site / "validations")
        latest[rel.parts[0]] = page  # sorted: the last run time of a suite wins
    pages = []
    for suite, page in sorted(latest.items()):
        success, stats = None, {}
        try:
            stored = json.loads((results / page.relative_to(site / "validations")).with_suffix(".json").read_text(encoding="utf-8"))
            success, stats = stored.get("success"), stored.get("statistics") or {}
        except (OSError, ValueError):
            pass
        pages.append({
            "suite": suite, "path": page, "success": success,
            "status_label": {True: "đạt", False: "không đạt"}.get(success, "không rõ"),
            "n_failed": stats.get("unsuccessful_expectations"), "n_evaluated": stats.get("evaluated_expectations"),
        })
    return {"available": True, "index": index, "pages": pages}


# --------------------------------------------------------------------------- the crawl

def crawl(con, run_id: str | None) -> dict[str, Any]:
    cols = _columns(con, "raw", "portal_runs")
    if not cols or run_id is None:
        return {"available": bool(cols), "rows": [], "totals": None}
    wanted = ["portal_id", "started_at", "finished_at", "status", "pages_new", "pages_unchanged", "pages_failed",
              "articles_new", "health_note", "error"]
    rows = _rows(con, f"select {', '.join(_col(cols, c) for c in wanted)} from raw.portal_runs where run_id = ? order by portal_id", [run_id])
    pcols = _columns(con, "marts", "dim_portal")
    names = {}
    if {"portal_id", "portal_name"} <= pcols:
        names = dict(con.execute("select portal_id, portal_name from marts.dim_portal where portal_name is not null").fetchall())
    outcomes: dict[str, dict[str, int]] = defaultdict(dict)
    if {"run_id", "portal_id", "outcome"} <= _columns(con, "raw", "fetch_log"):
        for pid, outcome, n in con.execute(
            "select portal_id, outcome, count(*) from raw.fetch_log where run_id = ? group by all order by 1, 3 desc, 2", [run_id]
        ).fetchall():
            outcomes[pid][outcome] = n
    out = []
    for r in rows:
        started, finished = r["started_at"], r["finished_at"]
        seconds = (finished - started).total_seconds() if isinstance(started, datetime) and isinstance(finished, datetime) else None
        status = r["status"] or ""
        out.append({
            "portal_id": r["portal_id"], "portal_name": names.get(r["portal_id"]), "status": status,
            "status_label": RUN_STATUS_LABELS.get(status, status), "started_at": _iso(started), "seconds": seconds,
            "pages_new": r["pages_new"] or 0, "pages_unchanged": r["pages_unchanged"] or 0,
            "pages_failed": r["pages_failed"] or 0, "articles_new": r["articles_new"] or 0,
            "note": r["health_note"], "error": r["error"], "outcomes": sorted(outcomes.get(r["portal_id"], {}).items()),
        })
    totals = {k: sum(r[k] for r in out) for k in ("pages_new", "pages_unchanged", "pages_failed", "articles_new")}
    totals["portals"] = len(out)
    totals["not_ok"] = sum(r["status"] != "ok" for r in out)
    started = [r["started_at"] for r in out if r["started_at"]]
    totals["started_at"] = min(started) if started else None
    return {"available": True, "rows": out, "totals": totals}


def overview(con) -> dict[str, Any]:
    counts = {}
    for key, schema, table in (("articles", "marts", "dim_article"), ("facts", "marts", "fct_dossier_facts"),
                               ("reports", "marts", "fct_dossier_reports"), ("series_rows", "marts", "ts_dossier_kpis")):
        counts[key] = con.execute(f"select count(*) from {schema}.{table}").fetchone()[0] if _columns(con, schema, table) else None
    return counts


def collect(con, run_id: str | None = None) -> dict[str, Any]:
    run_id = run_id or latest_run(con)
    return {"run_id": run_id, "series": series(con), "violations": violations(con, run_id),
            "crawl": crawl(con, run_id), "overview": overview(con), "data_docs": data_docs(con, run_id)}
