{#- The grain test: no two rows share these columns (optionally among rows matching `where`).
    dbt_utils.unique_combination_of_columns does the same; the hub is unreachable here. -#}
{% test unique_combination(model, columns, where=none) %}
select
    {{ columns | join(', ') }},
    count(*) as n_rows
from {{ model }}
{% if where %}where {{ where }}{% endif %}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
