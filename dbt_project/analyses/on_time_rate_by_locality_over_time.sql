-- On-time rate of each district of a province, quarter by quarter: computed from the counts,
-- beside the rate the articles state, with the rank in the province.
select
    locality_name,
    period_label_vi,
    period_start,
    round(on_time_rate_computed, 2) as on_time_rate_computed,
    rate_resolved_early_or_on_time as on_time_rate_stated,
    on_time_rate_computed_rank_in_province as rank_in_province,
    n_localities_in_province,
from {{ ref('ts_dossier_kpis') }}
where province_name = 'Thanh Hóa'
    and level = 'district'
    and tier = 'district'
    and period_type = 'quarter'
order by locality_name, period_start
