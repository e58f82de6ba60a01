-- One row per broken rule of the dossier arithmetic per report, as the checks keep it across
-- nights, keyed to the marts: the report, its locality and period, the facts it involves, and
-- the repair as typed columns.

with

violations as (

    select * from {{ ref('stg_dq__violations') }}

),

reports as (

    select report_id, locality_id, period_id from {{ ref('fct_dossier_reports') }}

),

final as (

    select
        ----------  ids
        violations.violation_id,
        violations.report_id,
        violations.article_id,
        reports.locality_id,
        reports.period_id,
        violations.tier,
        violations.period_start,
        violations.period_end,
        violations.fact_ids,

        ---------- what broke
        violations.rule,
        violations.check_name,
        violations.severity,
        violations.terms_json,
        violations.expected,
        violations.detail,
        violations.evidence_json,

        ---------- the repair
        violations.repair_fact_id,
        violations.repair_metric,
        violations.repair_tier,
        violations.repair_stated_value,
        violations.repair_suggested_value,
        violations.repair_rules_for,
        violations.repair_rules_against,

        ---------- as stated
        violations.locality_name_stated,
        violations.locality_type_stated,
        violations.locality_province_stated,
        violations.url,
        violations.title,

        ---------- history
        violations.is_current,
        violations.first_seen_run_id,
        violations.first_seen_at,
        violations.last_seen_run_id,
        violations.last_seen_at,
        violations.alerted_at,

    from violations
    left join reports
        on violations.report_id = reports.report_id

)

select * from final
