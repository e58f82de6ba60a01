-- One value per locality x tier x period x metric, chosen among the reports that state it:
-- exact over qualified, then the latest published article, then the latest fetched, then the
-- smallest fact_id (docs.md: source_choice_rule). The other sources stay visible as counts and
-- bounds.
--
-- A report states a metric once (int_facts__keyed's grain) and is one article's, so a series'
-- sources are its rows: n_sources counts rows. The series are grouped by two 64-bit hashes of
-- their four key columns (series_key, series_key_2 of int_facts__keyed: grouping by the strings
-- costs three times as much); two series would merge only if both hashes of their keys collided.
--
-- Incremental by series. A series' row is a function of its sources' rows in int_facts__keyed,
-- and those are a function of their articles' build_keys; so each row carries `sources_key`, a
-- hash of its series, of how many sources it has and of the xor of their build_keys (and of this
-- model's code). Every night the keys are computed again from int_facts__keyed (one aggregate of
-- two numbers over the report values): the select below chooses again for the series whose key
-- is not in the table, and the post-hook deletes the rows whose key is no longer current (a
-- source changed, came or went). Nothing depends on what an earlier build saw.

{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='sync_all_columns',
    post_hook="{{ delete_replaced_rows(
        'select sources_key from (' ~ series_sources(ref('int_facts__keyed')) ~ ')', key_column='sources_key'
    ) }}",
) }}

with

report_values as (

    select
        series_key,
        series_key_2,
        fact_id,
        article_id,
        report_id,
        locality_id,
        tier,
        period_id,
        period_start,
        period_end,
        metric,
        value,
        value_decimals,
        unit,
        qualifier,
        published_or_fetched_at,
        fetched_at,
        build_key,
    from {{ ref('int_facts__keyed') }}
    where is_report_value

),

{% if is_incremental_build() -%}
to_build as (

    -- the series whose sources changed since this table was built
    select series_key, series_key_2
    from ({{ series_sources(ref('int_facts__keyed')) }}) as sources
    anti join (select sources_key from {{ this }}) as built
        on sources.sources_key = built.sources_key

),

sources as (

    select report_values.*
    from report_values
    semi join to_build
        on report_values.series_key = to_build.series_key
        and report_values.series_key_2 = to_build.series_key_2

),
{%- else -%}
sources as (

    select * from report_values

),
{%- endif %}

summarised as (

    select
        series_key,
        series_key_2,
        {{ series_sources_key() }} as sources_key,
        any_value(locality_id) as locality_id,
        any_value(tier) as tier,
        any_value(period_id) as period_id,
        any_value(metric) as metric,
        arg_min(
            struct_pack(value, value_decimals, unit, qualifier, fact_id, article_id, report_id),
            -- the source_choice_rule as one ascending key (nulls last, as in an order by)
            struct_pack(
                hedged := qualifier != 'exact',
                published := coalesce(-epoch_us(published_or_fetched_at), 9223372036854775807),
                fetched := coalesce(-epoch_us(fetched_at), 9223372036854775807),
                fact_id := fact_id
            )
        ) as chosen,
        min(period_start) as period_start,
        min(period_end) as period_end,
        count(*) as n_sources,
        count(*) filter (where qualifier = 'exact') as n_exact_sources,
        min(value) as min_value,
        max(value) as max_value,
        min(value) filter (where qualifier = 'exact') < max(value) filter (where qualifier = 'exact') as values_disagree,
    from sources
    group by series_key, series_key_2

),

final as (

    select
        locality_id,
        tier,
        period_id,
        metric,
        chosen.value,
        chosen.value_decimals,
        chosen.unit,
        chosen.qualifier,
        chosen.fact_id as chosen_fact_id,
        chosen.article_id as chosen_article_id,
        chosen.report_id as chosen_report_id,
        period_start,
        period_end,
        n_sources,
        n_exact_sources,
        min_value,
        max_value,
        coalesce(values_disagree, false) as values_disagree,
        series_key,
        series_key_2,
        sources_key,
        {{ build_started_at() }} as rebuilt_at,
    from summarised

)

select * from final
