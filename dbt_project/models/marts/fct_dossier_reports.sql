-- One row per report (article x locality x tier x period), one column per metric.

with

facts as (

    select * from {{ ref('int_facts__keyed') }}
    where is_report_value

),

marks as (

    select * from {{ ref('int_facts__quality_marks') }}

),

-- A report is flagged when any of its facts takes part in a broken rule, its own or one that
-- crosses tiers (the tiers rule marks the `all` report and each tier it sums).
report_marks as (

    select
        keyed.report_id,
        list_sort(list_distinct(flatten(list(marks.violation_rules)))) as violation_rules,
        case when bool_or(marks.worst_severity = 'error') then 'error' else 'warning' end as worst_severity,
        string_agg(distinct keyed.metric, ', ' order by keyed.metric) as flagged_metrics,
    from {{ ref('int_facts__keyed') }} as keyed
    inner join marks
        on keyed.fact_id = marks.fact_id
    group by keyed.report_id

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

),

final as (

    select
        pivoted.*,
        {{ quality_mark_columns('report_marks', 'report_id') }}
        report_marks.flagged_metrics,
    from pivoted
    left join report_marks
        on pivoted.report_id = report_marks.report_id

)

select * from final
