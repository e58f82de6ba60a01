-- The current facts with the keys of the star schema: locality version, period, report, and
-- which fact of a report carries its value for a metric.
--
-- Locality: the key the article gives (type | province | name); a fact without a province takes
-- the province of a province-level unit's own name, else of its portal. The version is the one
-- valid at the end of the period (the 2025 reorganisation splits eras on 1 July 2025); a key
-- with no official unit gets a version of its own ('unknown').
--
-- Incremental by article. Every key of a fact depends only on its own article (the article's
-- facts, its portal, its publication) and on the locality seeds; a report is one article's. So
-- an article's rows are exactly right until the article's state (int_articles__originals), the
-- seeds or the code (this model's, its macros', and that of the views it reads the facts through)
-- change, and all three are in `build_key`: the select below keys the facts of the articles
-- whose build_key is not in the table yet, and the post-hook deletes the rows whose build_key is
-- no longer current (a new page version or extraction, an article that became a copy: its facts
-- leave the marts). A night reads only those articles' facts. `dbt build --full-refresh` builds
-- the same rows from scratch; after a change of the code it is also the quicker way to the new
-- rows (the incremental path then rewrites every row, at about twice the cost).

{#- On a full build the CTEs over all facts are inlined where they are read (recomputed: cheaper
    than holding ten million wide rows in memory); on a night they hold a few thousand rows. -#}
{%- set inline = '' if is_incremental_build() else 'not materialized' -%}

{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='sync_all_columns',
    post_hook="{{ delete_replaced_rows('select ' ~ keyed_build_key('article_state') ~ ' from ' ~ ref('int_articles__originals')) }}",
) }}

with

articles as (

    select
        article_id,
        {{ keyed_build_key('article_state') }} as build_key,
    from {{ ref('int_articles__originals') }}

),

to_build as (

    select articles.*
    from articles
    {% if is_incremental_build() -%}
    anti join (select distinct build_key from {{ this }}) as built
        on articles.build_key = built.build_key
    {%- endif %}

),

facts as {{ inline }} (

    select
        deduplicated.*,
        to_build.build_key,
    from {{ ref('int_facts__deduplicated') }} as deduplicated
    inner join to_build
        on deduplicated.article_id = to_build.article_id

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

periods as (

    -- the distinct periods: their ids are computed once per period, not per fact
    select
        period_start,
        period_end,
        {{ period_id('period_start', 'period_end') }} as period_id,
    from (select distinct period_start, period_end from facts)

),

keyed as {{ inline }} (

    select
        facts.*,
        matched.province_name,
        matched.period_era,
        matched.locality_key,
        coalesce(matched.official_locality_id, matched.locality_key || '|unknown') as locality_id,
        matched.official_locality_id is not null as is_official_locality,
        periods.period_id,
    from facts
    inner join matched
        on facts.locality_type = matched.locality_type
        and facts.locality_name = matched.locality_name
        and facts.locality_province is not distinct from matched.locality_province
        and facts.portal_id = matched.portal_id
        and (facts.period_end >= {{ reorganisation_date() }}) = (matched.period_era = 'from2025')
    inner join periods
        on facts.period_start = periods.period_start
        and facts.period_end = periods.period_end

),

reports as (

    -- md5 once per report, not per fact (it is the costly part of keying ten million facts)
    select
        article_id,
        locality_id,
        tier,
        period_id,
        md5(article_id || '|' || locality_id || '|' || tier || '|' || period_id) as report_id,
    from (select distinct article_id, locality_id, tier, period_id from keyed)

),

with_report as {{ inline }} (

    select
        reports.report_id,
        keyed.*,
    from keyed
    inner join reports
        on keyed.article_id = reports.article_id
        and keyed.locality_id = reports.locality_id
        and keyed.tier = reports.tier
        and keyed.period_id = reports.period_id

),

report_values as (

    -- a metric stated twice in one report: the exact one, then the first stated
    -- (an aggregate, not a window: sorting the wide fact rows is what costs here)
    select
        report_id,
        metric,
        arg_min(fact_id, case when qualifier = 'exact' then 0 else 1 end * 1000000 + ordinal) as fact_id,
    from with_report
    group by report_id, metric
    having count(*) > 1

),

ranked as (

    select
        with_report.*,
        -- stated once (nearly always), or the one chosen among several
        report_values.fact_id is null or report_values.fact_id = with_report.fact_id as is_report_value,
        hash(with_report.locality_id, with_report.tier, with_report.period_id, with_report.metric) as series_key,
        hash(with_report.metric, with_report.period_id, with_report.tier, with_report.locality_id) as series_key_2,
        {{ build_started_at() }} as rebuilt_at,
    from with_report
    left join report_values
        on with_report.report_id = report_values.report_id
        and with_report.metric = report_values.metric

)

select * from ranked
