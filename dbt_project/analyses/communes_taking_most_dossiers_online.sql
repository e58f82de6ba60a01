-- Which communes (created on 1 July 2025) take most dossiers online, in the latest quarter
-- anyone reports: online rate computed from counts, at least 100 dossiers received.
with latest as (

    select max(period_start) as period_start
    from {{ ref('ts_dossier_kpis') }}
    where level = 'commune' and period_type = 'quarter'

)

select
    kpis.province_name,
    kpis.locality_name,
    kpis.period_label_vi,
    kpis.dossiers_received_online,
    coalesce(kpis.dossiers_received_new, kpis.dossiers_received) as dossiers_received,
    round(kpis.online_rate_computed, 2) as online_rate,
    kpis.online_rate_computed_rank_in_province as rank_in_province,
from {{ ref('ts_dossier_kpis') }} as kpis
inner join latest
    on kpis.period_start = latest.period_start
where kpis.level = 'commune'
    and kpis.period_type = 'quarter'
    and coalesce(kpis.dossiers_received_new, kpis.dossiers_received) >= 100
order by kpis.online_rate_computed desc, kpis.dossiers_received_online desc
limit 20
