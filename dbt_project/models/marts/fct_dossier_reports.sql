-- One row per report (article x locality x tier x period), one column per metric.

with

facts as (

    select * from {{ ref('int_facts__keyed') }}
    where is_report_value

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
    from facts
    group by report_id

)

select * from pivoted
