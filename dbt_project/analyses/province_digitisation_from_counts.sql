-- Each province's digitisation rate per year, from the summed counts of its communes' quarterly
-- reports (never an average of rates), before and after the 2025 reorganisation.
select
    localities.province_name,
    periods.period_year,
    count(distinct kpis.locality_id) as n_communes,
    sum(kpis.dossiers_digitized) as dossiers_digitized,
    sum(kpis.dossiers_received) as dossiers_received,
    round(100.0 * sum(kpis.dossiers_digitized) / nullif(sum(kpis.dossiers_received), 0), 2) as digitisation_rate,
from {{ ref('ts_dossier_kpis') }} as kpis
inner join {{ ref('dim_locality') }} as localities
    on kpis.locality_id = localities.locality_id
inner join {{ ref('dim_period') }} as periods
    on kpis.period_id = periods.period_id
where localities.level = 'commune'
    and periods.period_type = 'quarter'
    and kpis.tier = 'commune'
    and kpis.dossiers_digitized is not null
    and kpis.dossiers_received is not null
group by localities.province_name, periods.period_year
order by localities.province_name, periods.period_year
