-- The checks' violations, the repair unpacked into typed columns, marked when the latest run of
-- the checks found them (a violation not seen by it belongs to an article since corrected).

with

source as (

    select * from {{ source('dq', 'violations') }}

),

latest_run as (

    select run_id from {{ source('dq', 'validation_runs') }}
    order by started_at desc, run_id desc
    limit 1

),

renamed as (

    select

        ----------  ids
        source.violation_id,
        source.report_id,
        source.article_id,
        source.page_version_id,
        coalesce(source.fact_ids, []) as fact_ids,
        source.repair_fact_id,

        ---------- what broke
        source.rule,
        source.check_name,
        source.severity,
        source.terms as terms_json,
        source.expected,
        source.detail,
        source.evidence as evidence_json,

        ---------- as stated
        source.locality_name as locality_name_stated,
        source.locality_type as locality_type_stated,
        source.locality_province as locality_province_stated,
        source.tier,
        source.period_start,
        source.period_end,
        source.url,
        source.title,

        ---------- the repair, typed
        json_extract_string(source.repair, '$.metric') as repair_metric,
        json_extract_string(source.repair, '$.tier') as repair_tier,
        cast(json_extract(source.repair, '$.stated') as double) as repair_stated_value,
        cast(json_extract(source.repair, '$.suggested') as double) as repair_suggested_value,
        cast(json_extract(source.repair, '$.rules_for') as varchar[]) as repair_rules_for,
        cast(json_extract(source.repair, '$.rules_against') as varchar[]) as repair_rules_against,

        ---------- timestamps
        source.first_seen_run_id,
        source.first_seen_at,
        source.last_seen_run_id,
        source.last_seen_at,
        source.alerted_at,
        source.last_seen_run_id = latest_run.run_id as is_current,

    from source
    left join latest_run on true

)

select * from renamed
