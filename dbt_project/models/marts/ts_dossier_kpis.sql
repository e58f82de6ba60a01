-- One row per locality x tier x period: the chosen value of every metric, the rates computed
-- from counts beside the stated ones, their changes, and ranks in the province; marked where a
-- value is hedged or takes part in a broken rule (and which computed rate reads such a value),
-- where the period ends after publication, and the latest period.

{% set kpis = ['dossiers_received', 'on_time_rate_computed', 'online_rate_computed', 'digitized_rate_computed'] %}
{#- the counts each computed rate reads: a rate is as flagged (or hedged) as any of them -#}
{% set kpi_inputs = {
    'on_time_rate_computed': ['dossiers_resolved_early_or_on_time', 'dossiers_resolved_early', 'dossiers_resolved_on_time', 'dossiers_resolved'],
    'online_rate_computed': ['dossiers_received_online', 'dossiers_received_new', 'dossiers_received'],
    'digitized_rate_computed': ['dossiers_digitized', 'dossiers_received'],
} %}

with

series as (

    select * from {{ ref('ts_dossier_metrics') }}

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

pivoted as (

    select
        locality_id,
        tier,
        period_id,
        count(*) as n_metrics,
        max(n_sources) as max_sources,
        string_agg(metric, ', ' order by metric) filter (where values_disagree) as disagreeing_metrics,
        string_agg(metric, ', ' order by metric) filter (where is_hedged) as hedged_metrics,
        string_agg(metric, ', ' order by metric) filter (where is_flagged) as flagged_metrics,
        coalesce(list(metric order by metric) filter (where is_hedged), []) as hedged_metric_list,
        coalesce(list(metric order by metric) filter (where is_flagged), []) as flagged_metric_list,
        list_sort(list_distinct(flatten(list(violation_rules)))) as violation_rules,
        case when bool_or(worst_severity = 'error') then 'error'
            when bool_or(worst_severity = 'warning') then 'warning' end as worst_severity,
        bool_or(ends_after_publication) as ends_after_publication,
        {% for metric in var('metric_names') %}
        {% if metric.startswith('rate_') -%}
        max(value) filter (where metric = '{{ metric }}') as {{ metric }},
        {%- else -%}
        cast(max(value) filter (where metric = '{{ metric }}') as bigint) as {{ metric }},  -- a count is whole
        {%- endif %}
        {% endfor %}
    from series
    group by locality_id, tier, period_id

),

computed as (

    select
        *,
        {{ safe_rate(
            'coalesce(dossiers_resolved_early_or_on_time, dossiers_resolved_early + dossiers_resolved_on_time)',
            'dossiers_resolved') }} as on_time_rate_computed,
        {{ safe_rate('dossiers_received_online', 'coalesce(dossiers_received_new, dossiers_received)') }} as online_rate_computed,
        {{ safe_rate('dossiers_digitized', 'dossiers_received') }} as digitized_rate_computed,
        {% for kpi, inputs in kpi_inputs.items() %}
        list_has_any(flagged_metric_list, {{ inputs }}) as {{ kpi }}_is_flagged,
        list_has_any(hedged_metric_list, {{ inputs }}) as {{ kpi }}_is_hedged,
        {% endfor %}
    from pivoted

),

described as (

    select
        computed.*,
        periods.period_type,
        periods.period_start,
        periods.period_end,
        periods.period_label_vi,
        periods.previous_period_id,
        periods.last_year_period_id,
        localities.locality_name,
        localities.locality_type,
        localities.level,
        localities.province_name,
        localities.rank_scope,
        {{ n_known_in_era('known', 'periods.period_end') }} as n_known_in_province,
    from computed
    inner join periods
        on computed.period_id = periods.period_id
    inner join localities
        on computed.locality_id = localities.locality_id
    left join known
        on localities.rank_scope = known.rank_scope
        and localities.locality_type = known.locality_type

),

compared as (

    select
        described.*,
        {% for kpi in kpis %}
        previous.{{ kpi }} as {{ kpi }}_previous,
        last_year.{{ kpi }} as {{ kpi }}_last_year,
        {% endfor %}
    from described
    left join computed as previous
        on described.locality_id = previous.locality_id
        and described.tier = previous.tier
        and described.previous_period_id = previous.period_id
    left join computed as last_year
        on described.locality_id = last_year.locality_id
        and described.tier = last_year.tier
        and described.last_year_period_id = last_year.period_id

),

final as (

    select
        *,
        {% for kpi in kpis %}
        {{ kpi }} - {{ kpi }}_previous as {{ kpi }}_change_vs_previous,
        {{ kpi }} - {{ kpi }}_last_year as {{ kpi }}_change_vs_last_year,
        case when {{ kpi }} is not null then
            rank() over (
                partition by rank_scope, locality_type, tier, period_id, {{ kpi }} is null
                order by {{ kpi }} desc
            )
        end as {{ kpi }}_rank_in_province,
        {% endfor %}
        count(*) over (partition by rank_scope, locality_type, tier, period_id) as n_localities_in_province,
        -- a rate computed from a hedged count is as hedged as the count
        hedged_metrics is not null as has_hedged_value,
        flagged_metrics is not null as has_flagged_value,
        row_number() over (
            partition by locality_id, tier, period_type order by period_end desc, period_start desc
        ) = 1 as is_latest,
    from compared

)

select * exclude (hedged_metric_list, flagged_metric_list) from final
