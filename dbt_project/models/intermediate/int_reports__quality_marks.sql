-- One row per report with a fact that a current violation involves (int_facts__quality_marks):
-- the rules, the worst severity and the metrics flagged. A report is flagged when any of its facts
-- takes part in a broken rule, its own or one that crosses tiers (the tiers rule marks the `all`
-- report and each tier it sums). A view: the marks are few, and fct_dossier_reports reads it
-- twice (for its rows, and to find the reports whose marks changed since it was built).

{{ config(materialized='view') }}

with

marks as (

    select * from {{ ref('int_facts__quality_marks') }}

),

keyed as (

    select fact_id, report_id, metric from {{ ref('int_facts__keyed') }}

),

report_marks as (

    select
        keyed.report_id,
        list_sort(list_distinct(flatten(list(marks.violation_rules)))) as violation_rules,
        case when bool_or(marks.worst_severity = 'error') then 'error' else 'warning' end as worst_severity,
        string_agg(distinct keyed.metric, ', ' order by keyed.metric) as flagged_metrics,
    from keyed
    inner join marks
        on keyed.fact_id = marks.fact_id
    group by keyed.report_id

)

select * from report_marks
