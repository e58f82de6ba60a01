with

facts as (

    select * from {{ ref('int_facts__keyed') }}

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
        {{ quality_mark_columns('marks', 'fact_id') }}
        coalesce(marks.n_violations, 0) as n_violations,
        marks.repaired_value,

    from facts
    left join chosen
        on facts.fact_id = chosen.chosen_fact_id
    left join marks
        on facts.fact_id = marks.fact_id

)

select * from final
