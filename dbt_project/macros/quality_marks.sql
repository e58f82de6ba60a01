{#- The quality marks every fact, report and series row carries, from a relation of marks
    (int_facts__quality_marks, or its roll-up per report) joined on `key`. -#}
{% macro quality_mark_columns(marks, key) -%}
    {{ marks }}.{{ key }} is not null as is_flagged,
    coalesce({{ marks }}.violation_rules, []) as violation_rules,
    {{ marks }}.worst_severity,
{%- endmacro %}
