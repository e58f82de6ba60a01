{#- How many official units there were on each side of the 2025 reorganisation (a unit of
    both eras counts in either): the "n known" of coverage and of ranks. -#}
{% macro n_known_by_era() -%}
    count(*) filter (where era in ('pre2025', 'both')) as n_known_pre2025,
    count(*) filter (where era in ('from2025', 'both')) as n_known_from2025,
{%- endmacro %}

{#- The count of the era a period ends in. -#}
{% macro n_known_in_era(known, period_end) -%}
    case when {{ period_end }} >= {{ reorganisation_date() }}
        then {{ known }}.n_known_from2025 else {{ known }}.n_known_pre2025 end
{%- endmacro %}
