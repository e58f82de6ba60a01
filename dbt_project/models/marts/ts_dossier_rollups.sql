-- One row per parent unit (province, or pre-2025 district) x level of its parts x tier x period
-- x count metric: the sum of its child units' chosen values, beside how many children of that
-- level reported it and how many the parent had in that period's era, and the parent's own
-- stated value. A sum of parts is
-- only as whole as its coverage: n_reporting of n_known, never a silent partial total.

with

series as (

    select * from {{ ref('ts_dossier_metrics') }}
    where unit = 'count'

),

localities as (

    select * from {{ ref('dim_locality') }}

),

children as (

    -- official units under a parent; a unit of both eras counts in either
    select locality_id, parent_locality_id, level, era
    from localities
    where is_official and parent_locality_id is not null

),

known as (

    select
        parent_locality_id,
        level,
        {{ n_known_by_era() }}
    from children
    group by parent_locality_id, level

),

parts as (

    select
        children.parent_locality_id as locality_id,
        children.level as part_level,
        series.tier,
        series.period_id,
        series.metric,
        any_value(series.period_type) as period_type,
        any_value(series.period_start) as period_start,
        any_value(series.period_end) as period_end,
        cast(sum(series.value) as bigint) as sum_of_parts,
        count(*) as n_reporting,
        bool_or(series.is_hedged) as has_hedged_part,
        bool_or(series.is_flagged) as has_flagged_part,
        bool_or(series.ends_after_publication) as ends_after_publication,
    from series
    inner join children
        on series.locality_id = children.locality_id
    group by children.parent_locality_id, children.level, series.tier, series.period_id, series.metric

),

final as (

    select
        parts.locality_id,
        localities.level,
        localities.locality_name,
        localities.province_name,
        parts.part_level,
        parts.tier,
        parts.period_id,
        parts.period_type,
        parts.period_start,
        parts.period_end,
        parts.metric,
        parts.sum_of_parts,
        parts.n_reporting,
        {{ n_known_in_era('known', 'parts.period_end') }} as n_known,
        parts.n_reporting = n_known as is_complete,
        parts.has_hedged_part,
        parts.has_flagged_part,
        parts.ends_after_publication,
        stated.value as stated_value,
        stated.qualifier as stated_qualifier,
    from parts
    inner join localities
        on parts.locality_id = localities.locality_id
    inner join known
        on parts.locality_id = known.parent_locality_id
        and parts.part_level = known.level
    left join series as stated
        on parts.locality_id = stated.locality_id
        and parts.tier = stated.tier
        and parts.period_id = stated.period_id
        and parts.metric = stated.metric

)

select * from final
