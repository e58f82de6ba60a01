-- A new commune's intake across 1 July 2025: the former units it was formed from, summed,
-- before; its own figure after. Comparable only where the mapping is whole and all reported.
select
    harmonised.period_id,
    harmonised.value,
    harmonised.source,
    harmonised.n_former_reporting || ' of ' || harmonised.n_former_units as former_reporting,
    harmonised.mapping,
    harmonised.is_comparable,
from {{ ref('ts_dossier_harmonised') }} as harmonised
inner join {{ ref('dim_locality') }} as localities
    on harmonised.locality_id = localities.locality_id
where localities.full_name = 'Xã Lam Sơn'
    and localities.province_name = 'Thanh Hóa'
    and harmonised.tier = 'commune'
    and harmonised.metric = 'dossiers_received'
    and harmonised.period_type = 'quarter'
order by harmonised.period_start
