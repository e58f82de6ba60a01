{#- A row-level identity every row must satisfy, e.g. the dossier arithmetic. Written here because
    `dbt deps` cannot reach the hub (dbt_utils offers the same test). Rows where the expression is
    false are failures; null (a term not stated) passes. -#}
{% test expression_is_true(model, expression, column_name=none) %}
select *
from {{ model }}
where not coalesce(({{ expression }}), true)
{% endtest %}
