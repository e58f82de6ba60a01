-- A province's intake summed from its districts' one-stop shops, with how many of its districts
-- reported it: a partial sum is a floor, never the province's total.
select
    rollups.locality_name,
    periods.period_label_vi,
    rollups.sum_of_parts,
    rollups.n_reporting || ' of ' || rollups.n_known as coverage,
    rollups.is_complete,
    rollups.stated_value,
from {{ ref('ts_dossier_rollups') }} as rollups
inner join {{ ref('dim_period') }} as periods
    on rollups.period_id = periods.period_id
where rollups.level = 'province'
    and rollups.part_level = 'district'
    and rollups.tier = 'district'
    and rollups.metric = 'dossiers_received'
order by rollups.locality_name, rollups.period_start
