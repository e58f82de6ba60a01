-- A district's intake (dossiers received) per quarter against the same quarter a year earlier.
select
    metrics.period_start,
    periods.period_label_vi,
    metrics.value as dossiers_received,
    metrics.last_year_value as dossiers_received_last_year,
    metrics.change_vs_last_year,
    round(metrics.pct_change_vs_last_year, 1) as pct_change_vs_last_year,
    metrics.n_sources,
    metrics.values_disagree,
from {{ ref('ts_dossier_metrics') }} as metrics
inner join {{ ref('dim_locality') }} as localities
    on metrics.locality_id = localities.locality_id
inner join {{ ref('dim_period') }} as periods
    on metrics.period_id = periods.period_id
where localities.full_name = 'Huyện Thọ Xuân'
    and localities.province_name = 'Thanh Hóa'
    and metrics.tier = 'district'
    and metrics.metric = 'dossiers_received'
    and periods.period_type = 'quarter'
order by metrics.period_start
