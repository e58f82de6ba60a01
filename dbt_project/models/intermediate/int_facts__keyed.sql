-- The current facts with the keys of the star schema: locality version, period, report, and
-- which fact of a report carries its value for a metric.
--
-- Locality: the key the article gives (type | province | name); a fact without a province takes
-- the province of a province-level unit's own name, else of its portal. The version is the one
-- valid at the end of the period (the 2025 reorganisation splits eras on 1 July 2025); a key
-- with no official unit gets a version of its own ('unknown').

with

facts as (

    select * from {{ ref('int_facts__deduplicated') }}

),

portals as (

    select * from {{ ref('portals') }}

),

official as (

    select locality_key, locality_id, era from {{ ref('int_localities__official') }}

),

named as (

    -- the distinct ways facts name a locality: keys are computed once per way, not per fact
    select distinct
        facts.locality_type,
        facts.locality_name,
        facts.locality_province,
        facts.portal_id,
        case when facts.period_end >= {{ reorganisation_date() }} then 'from2025' else 'pre2025' end as period_era,
    from facts

),

with_province as (

    select
        named.*,
        coalesce(
            named.locality_province,
            case when named.locality_type = 'tinh' then named.locality_name end,
            portals.locality_province,
            case when named.locality_type = 'thanh_pho' then named.locality_name end
        ) as province_name,
    from named
    left join portals
        on named.portal_id = portals.portal_id

),

with_key as (

    select
        *,
        {{ locality_key('locality_type', 'province_name', 'locality_name') }} as locality_key,
    from with_province

),

matched as (

    -- the version of the period's era, else the one of both eras, else the other era
    select
        with_key.*,
        official.locality_id as official_locality_id,
    from with_key
    left join official
        on with_key.locality_key = official.locality_key
    qualify row_number() over (
        partition by with_key.locality_type, with_key.locality_name, with_key.locality_province,
            with_key.portal_id, with_key.period_era
        order by
            case
                when official.era = with_key.period_era then 0
                when official.era = 'both' then 1
                else 2
            end,
            official.locality_id  -- the same one every build
    ) = 1

),

keyed as (

    select
        facts.*,
        matched.province_name,
        matched.period_era,
        matched.locality_key,
        coalesce(matched.official_locality_id, matched.locality_key || '|unknown') as locality_id,
        matched.official_locality_id is not null as is_official_locality,
        {{ period_id('facts.period_start', 'facts.period_end') }} as period_id,
    from facts
    inner join matched
        on facts.locality_type = matched.locality_type
        and facts.locality_name = matched.locality_name
        and facts.locality_province is not distinct from matched.locality_province
        and facts.portal_id = matched.portal_id
        and (facts.period_end >= {{ reorganisation_date() }}) = (matched.period_era = 'from2025')

),

with_report as (

    select
        md5(article_id || '|' || locality_id || '|' || tier || '|' || period_id) as report_id,
        *,
    from keyed

),

report_values as (

    -- a metric stated twice in one report: the exact one, then the first stated
    -- (an aggregate, not a window: sorting the wide fact rows is what costs here)
    select
        arg_min(fact_id, case when qualifier = 'exact' then 0 else 1 end * 1000000 + ordinal) as fact_id,
    from with_report
    group by report_id, metric

),

ranked as (

    select
        with_report.*,
        report_values.fact_id is not null as is_report_value,
    from with_report
    left join report_values
        on with_report.fact_id = report_values.fact_id

)

select * from ranked
