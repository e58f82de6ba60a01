-- One value per locality x tier x period x metric (int_series__chosen), with the change against
-- the previous period of the same type and the same period a year earlier, and the rank among
-- localities of the same type in the same province. Marks: a hedged value ("hơn", "gần"), a
-- value that takes part in a broken rule of the checks (with the repair suggested for it), a
-- period that ends after the article was published, the latest period of its series.

with

series as (

    select * from {{ ref('int_series__chosen') }}

),

periods as (

    select * from {{ ref('dim_period') }}

),

localities as (

    select * from {{ ref('dim_locality') }}

),

known as (

    select * from {{ ref('int_localities__known_in_scope') }}

),

articles as (

    select article_id, cast(published_at as date) as published_date from {{ ref('int_articles__current') }}

),

marks as (

    select * from {{ ref('int_facts__quality_marks') }}

),

described as (

    select
        series.*,
        periods.period_type,
        periods.previous_period_id,
        periods.last_year_period_id,
        localities.locality_type,
        localities.rank_scope,
        {{ n_known_in_era('known', 'periods.period_end') }} as n_known_in_province,
        articles.published_date,
        {{ quality_mark_columns('marks', 'fact_id') }}
        marks.repaired_value,
    from series
    inner join periods
        on series.period_id = periods.period_id
    inner join localities
        on series.locality_id = localities.locality_id
    left join known
        on localities.rank_scope = known.rank_scope
        and localities.locality_type = known.locality_type
    left join articles
        on series.chosen_article_id = articles.article_id
    left join marks
        on series.chosen_fact_id = marks.fact_id

),

compared as (

    select
        described.*,
        previous.value as previous_value,
        last_year.value as last_year_value,
    from described
    left join series as previous
        on described.locality_id = previous.locality_id
        and described.tier = previous.tier
        and described.metric = previous.metric
        and described.previous_period_id = previous.period_id
    left join series as last_year
        on described.locality_id = last_year.locality_id
        and described.tier = last_year.tier
        and described.metric = last_year.metric
        and described.last_year_period_id = last_year.period_id

),

final as (

    select
        ----------  ids
        locality_id,
        tier,
        period_id,
        metric,
        period_type,
        period_start,
        period_end,

        ---------- the value and its sources
        value,
        value_decimals,
        unit,
        qualifier,
        chosen_fact_id,
        chosen_article_id,
        n_sources,
        n_exact_sources,
        min_value,
        max_value,
        values_disagree,

        ---------- marks
        qualifier != 'exact' as is_hedged,
        is_flagged,
        violation_rules,
        worst_severity,
        repaired_value,
        coalesce(period_end > published_date, false) as ends_after_publication,
        row_number() over (
            partition by locality_id, tier, metric, period_type
            order by period_end desc, period_start desc
        ) = 1 as is_latest,

        ---------- change
        previous_period_id,
        previous_value,
        value - previous_value as change_vs_previous,
        case when previous_value != 0
            then 100.0 * (value - previous_value) / previous_value end as pct_change_vs_previous,
        last_year_period_id,
        last_year_value,
        value - last_year_value as change_vs_last_year,
        case when last_year_value != 0
            then 100.0 * (value - last_year_value) / last_year_value end as pct_change_vs_last_year,

        ---------- rank
        locality_type,
        rank_scope,
        rank() over (
            partition by rank_scope, locality_type, tier, period_id, metric
            order by value desc
        ) as rank_in_province,
        count(*) over (
            partition by rank_scope, locality_type, tier, period_id, metric
        ) as n_ranked_in_province,
        n_known_in_province,

    from compared

)

select * from final
