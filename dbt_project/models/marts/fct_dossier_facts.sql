-- Incremental by article, like int_facts__keyed (see its header): an article's rows are rebuilt
-- when its keyed rows were (build_key: the keyed rows' key and this model's code). Two columns
-- depend on other articles too: is_series_value (another article may now win the series) and
-- the quality marks (tonight's checks). So the select also rebuilds every article one of whose
-- facts changes either (the facts this table marks as series values or flagged, against
-- int_series__chosen and int_facts__quality_marks, all small), and the post-hook deletes the
-- rows these replace: every row stays what a full build writes. The second build of the night
-- (source:dq+, after the checks) rewrites only the articles whose marks changed.

{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='sync_all_columns',
    post_hook="{{ delete_replaced_rows(
        'select distinct ' ~ derived_build_key('build_key') ~ ' from ' ~ ref('int_facts__keyed'), replaced_by='article_id'
    ) }}",
) }}

with

facts as (

    select
        *,
        {{ derived_build_key('build_key') }} as fact_build_key,
    from {{ ref('int_facts__keyed') }}
    {% if is_incremental_build() -%}
    where {{ derived_build_key('build_key') }} not in (select distinct build_key from {{ this }})
        or article_id in (
            {{ fact_flags_changed_articles(ref('int_facts__keyed'), ref('int_series__chosen'), ref('int_facts__quality_marks')) }}
        )
    {%- endif %}

),

chosen as (

    select chosen_fact_id from {{ ref('int_series__chosen') }}

),

marks as (

    select * from {{ ref('int_facts__quality_marks') }}

),

final as (

    select
        ----------  ids
        facts.fact_id,
        facts.report_id,
        facts.article_id,
        facts.locality_id,
        facts.period_id,
        facts.metric,
        facts.tier,
        cast(facts.published_at as date) as published_date,

        ---------- the number
        facts.value,
        facts.value_decimals,
        facts.unit,
        facts.qualifier,
        facts.value_text,

        ---------- as stated
        facts.locality_name as locality_name_stated,
        facts.locality_type as locality_type_stated,
        facts.locality_province as locality_province_stated,
        facts.period_start,
        facts.period_end,

        ---------- evidence
        facts.evidence_text,
        facts.evidence_start,
        facts.evidence_end,
        facts.page_version_id,
        facts.extractor_version,
        facts.ordinal,

        ---------- flags
        facts.is_report_value,
        chosen.chosen_fact_id is not null as is_series_value,
        facts.is_official_locality,

        ---------- quality
        facts.qualifier != 'exact' as is_hedged,
        marks.fact_id is not null as is_flagged,
        coalesce(marks.violation_rules, []) as violation_rules,
        marks.worst_severity,
        coalesce(marks.n_violations, 0) as n_violations,
        marks.repaired_value,

        ---------- build
        facts.fact_build_key as build_key,
        {{ build_started_at() }} as rebuilt_at,

    from facts
    left join chosen
        on facts.fact_id = chosen.chosen_fact_id
    left join marks
        on facts.fact_id = marks.fact_id

)

select * from final
