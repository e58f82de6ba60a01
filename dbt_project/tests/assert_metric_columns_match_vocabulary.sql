-- The metric columns of fct_dossier_reports and ts_dossier_kpis come from the var metric_names;
-- every metric of the vocabulary seed must be there, and nothing else.
with

vocabulary as (

    select metric from {{ ref('metric_vocabulary') }}

),

columns_var as (

    select unnest([{% for m in var('metric_names') %}'{{ m }}'{% if not loop.last %}, {% endif %}{% endfor %}]) as metric

)

select coalesce(vocabulary.metric, columns_var.metric) as metric
from vocabulary
full outer join columns_var
    on vocabulary.metric = columns_var.metric
where vocabulary.metric is null or columns_var.metric is null
