-- One row per report (article x locality x tier x period), one column per metric.
--
-- Incremental by article, like int_facts__keyed (see its header): a report is one article's, so
-- an article's reports are rebuilt when its keyed rows were (build_key), and when the marks of
-- one of them changed (int_reports__quality_marks against the flagged rows of this table); the
-- post-hook deletes the rows these replace.

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
        {{ derived_build_key('build_key') }} as report_build_key,
    from {{ ref('int_facts__keyed') }}
    where is_report_value
    {%- if is_incremental_build() %}
        and (
            {{ derived_build_key('build_key') }} not in (select distinct build_key from {{ this }})
            or article_id in (
                {{ report_marks_changed_articles(ref('int_facts__keyed'), ref('int_reports__quality_marks')) }}
            )
        )
    {%- endif %}

),

report_marks as (

    select * from {{ ref('int_reports__quality_marks') }}

),

pivoted as (

    select
        report_id,
        any_value(article_id) as article_id,
        any_value(portal_id) as portal_id,
        any_value(locality_id) as locality_id,
        any_value(tier) as tier,
        any_value(period_id) as period_id,
        any_value(period_start) as period_start,
        any_value(period_end) as period_end,
        cast(any_value(published_at) as date) as published_date,
        count(*) as n_metrics,
        string_agg(metric, ', ' order by metric) filter (where qualifier != 'exact') as hedged_metrics,
        {% for metric in var('metric_names') %}
        max(value) filter (where metric = '{{ metric }}') as {{ metric }},
        {% endfor %}
        any_value(report_build_key) as build_key,
    from facts
    group by report_id

),

final as (

    select
        pivoted.* exclude (build_key),
        report_marks.report_id is not null as is_flagged,
        coalesce(report_marks.violation_rules, []) as violation_rules,
        report_marks.worst_severity,
        report_marks.flagged_metrics,
        pivoted.build_key,
        {{ build_started_at() }} as rebuilt_at,
    from pivoted
    left join report_marks
        on pivoted.report_id = report_marks.report_id

)

select * from final
