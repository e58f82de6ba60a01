-- A new commune's series across 1 July 2025: before, the sum of the former units it was formed
-- from (bridge_locality_reform); from then on, its own. The sum stands for the new commune only
-- where every former unit went into it whole and every one reported: `is_comparable`. Otherwise
-- the row says what is missing (`mapping`, n_former_reporting of n_former_units).

with

series as (

    select * from {{ ref('ts_dossier_metrics') }}
    where unit = 'count'

),

bridge as (

    select * from {{ ref('bridge_locality_reform') }}

),

formed as (

    select
        from2025_locality_id,
        count(*) as n_former_units,
        bool_and(went_in_whole) as all_whole,
    from bridge
    group by from2025_locality_id

),

before as (

    select
        bridge.from2025_locality_id as locality_id,
        series.tier,
        series.period_id,
        series.metric,
        any_value(series.period_type) as period_type,
        any_value(series.period_start) as period_start,
        any_value(series.period_end) as period_end,
        cast(sum(series.value) as bigint) as value,
        count(*) as n_former_reporting,
        bool_or(series.is_hedged) as is_hedged,
    from series
    inner join bridge
        on series.locality_id = bridge.pre2025_locality_id
    where series.period_end < {{ reorganisation_date() }}
    group by bridge.from2025_locality_id, series.tier, series.period_id, series.metric

),

after as (

    select
        series.locality_id,
        series.tier,
        series.period_id,
        series.metric,
        series.period_type,
        series.period_start,
        series.period_end,
        cast(series.value as bigint) as value,
        series.is_hedged,
    from series
    inner join formed
        on series.locality_id = formed.from2025_locality_id
    where series.period_start >= {{ reorganisation_date() }}

),

final as (

    select
        before.locality_id, before.tier, before.period_id, before.period_type, before.period_start, before.period_end,
        before.metric, before.value, before.is_hedged,
        'former_units' as source,
        formed.n_former_units,
        before.n_former_reporting,
        case when formed.all_whole then 'whole' else 'partial' end as mapping,
        formed.all_whole and before.n_former_reporting = formed.n_former_units as is_comparable,
    from before
    inner join formed
        on before.locality_id = formed.from2025_locality_id

    union all

    select
        after.locality_id, after.tier, after.period_id, after.period_type, after.period_start, after.period_end,
        after.metric, after.value, after.is_hedged,
        'own' as source,
        formed.n_former_units,
        null as n_former_reporting,
        case when formed.all_whole then 'whole' else 'partial' end as mapping,
        true as is_comparable,
    from after
    inner join formed
        on after.locality_id = formed.from2025_locality_id

)

select * from final
