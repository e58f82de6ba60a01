-- One value per locality x tier x period x metric, chosen among the reports that state it:
-- exact over qualified, then the latest published article, then the latest fetched, then the
-- smallest fact_id (docs.md: source_choice_rule). The other sources stay visible as counts and
-- bounds.

with

report_values as (

    select
        fact_id,
        article_id,
        report_id,
        locality_id,
        tier,
        period_id,
        period_start,
        period_end,
        metric,
        value,
        value_decimals,
        unit,
        qualifier,
        published_or_fetched_at,
        fetched_at,
    from {{ ref('int_facts__keyed') }}
    where is_report_value

),

ranked as (

    select
        *,
        row_number() over (
            partition by locality_id, tier, period_id, metric
            order by
                (qualifier = 'exact') desc,
                published_or_fetched_at desc,
                fetched_at desc,
                fact_id
        ) as source_rank,
    from report_values

),

summarised as (

    select
        locality_id,
        tier,
        period_id,
        metric,
        any_value(value) filter (where source_rank = 1) as value,
        any_value(value_decimals) filter (where source_rank = 1) as value_decimals,
        any_value(unit) filter (where source_rank = 1) as unit,
        any_value(qualifier) filter (where source_rank = 1) as qualifier,
        any_value(fact_id) filter (where source_rank = 1) as chosen_fact_id,
        any_value(article_id) filter (where source_rank = 1) as chosen_article_id,
        any_value(report_id) filter (where source_rank = 1) as chosen_report_id,
        min(period_start) as period_start,
        min(period_end) as period_end,
        count(distinct article_id) as n_sources,
        count(distinct article_id) filter (where qualifier = 'exact') as n_exact_sources,
        min(value) as min_value,
        max(value) as max_value,
        count(distinct value) filter (where qualifier = 'exact') > 1 as values_disagree,
    from ranked
    group by locality_id, tier, period_id, metric

)

select * from summarised
