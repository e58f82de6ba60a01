-- The current facts with the keys of the star schema: locality version, period, report, and
-- which fact of a report carries its value for a metric.
--
-- Locality: the key the article gives (type | province | name); a fact without a province takes
-- the province of a province-level unit's own name, else of its portal. The version is the one
-- valid at the end of the period (the 2025 reorganisation splits eras on 1 July 2025); a key
-- with no official unit gets a version of its own ('unknown').

{% set reorganisation_date = "date '" ~ var('reorganisation_date') ~ "'" %}

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

with_province as (

    select
        facts.*,
        coalesce(
            facts.locality_province,
            case when facts.locality_type = 'tinh' then facts.locality_name end,
            portals.locality_province,
            case when facts.locality_type = 'thanh_pho' then facts.locality_name end
        ) as province_name,
        case when facts.period_end >= {{ reorganisation_date }} then 'from2025' else 'pre2025' end as period_era,
    from facts
    left join portals
        on facts.portal_id = portals.portal_id

),

with_key as (

    select
        *,
        {{ locality_key('locality_type', 'province_name', 'locality_name') }} as locality_key,
    from with_province

),

locality_keys as (

    select distinct locality_key, period_era from with_key

),

matched as (

    -- the version of the period's era, else the one of both eras, else the other era
    select
        locality_keys.locality_key,
        locality_keys.period_era,
        official.locality_id,
    from locality_keys
    inner join official
        on locality_keys.locality_key = official.locality_key
    qualify row_number() over (
        partition by locality_keys.locality_key, locality_keys.period_era
        order by
            case
                when official.era = locality_keys.period_era then 0
                when official.era = 'both' then 1
                else 2
            end
    ) = 1

),

keyed as (

    select
        with_key.*,
        coalesce(matched.locality_id, with_key.locality_key || '|unknown') as locality_id,
        matched.locality_id is not null as is_official_locality,
        {{ period_id('with_key.period_start', 'with_key.period_end') }} as period_id,
    from with_key
    left join matched
        on with_key.locality_key = matched.locality_key
        and with_key.period_era = matched.period_era

),

with_report as (

    select
        md5(article_id || '|' || locality_id || '|' || tier || '|' || period_id) as report_id,
        *,
    from keyed

),

ranked as (

    select
        *,
        -- a metric stated twice in one report: the exact one, then the first stated
        row_number() over (
            partition by report_id, metric
            order by (qualifier = 'exact') desc, ordinal
        ) = 1 as is_report_value,
    from with_report

)

select * from ranked
