-- One row per fact that a current violation involves: which rules it breaks, the worst
-- severity, and the value a repair suggests for it (when the repair changes this very number).

with

violations as (

    select * from {{ ref('stg_dq__violations') }}
    where is_current

),

involved as (

    select
        unnest(fact_ids) as fact_id,
        rule,
        severity,
        violation_id,
    from violations

),

repaired as (

    select
        repair_fact_id as fact_id,
        any_value(repair_suggested_value order by violation_id) as repaired_value,
    from violations
    where repair_fact_id is not null
    group by repair_fact_id

),

marked as (

    select
        fact_id,
        list_sort(list_distinct(list(rule))) as violation_rules,
        case when bool_or(severity = 'error') then 'error' else 'warning' end as worst_severity,
        count(distinct violation_id) as n_violations,
    from involved
    group by fact_id

),

final as (

    select
        marked.fact_id,
        marked.violation_rules,
        marked.worst_severity,
        marked.n_violations,
        repaired.repaired_value,
    from marked
    left join repaired
        on marked.fact_id = repaired.fact_id

)

select * from final
