-- The kpi rows of a quarter an analyst should not take at face value: a hedged figure (and the
-- rates computed from it), a quarter reported before it was over, sources that disagree.
select
    locality_name,
    tier,
    hedged_metrics,
    ends_after_publication,
    disagreeing_metrics,
from {{ ref('ts_dossier_kpis') }}
where period_type = 'quarter'
    and period_start = date '2024-10-01'
    and (has_hedged_value or ends_after_publication or disagreeing_metrics is not null)
