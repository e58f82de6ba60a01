-- The kpi rows of a quarter an analyst should not take at face value: a value that breaks a rule
-- of the dossier arithmetic (and the rates computed from it), a hedged figure, a quarter
-- reported before it was over, sources that disagree.
select
    locality_name,
    tier,
    worst_severity,
    flagged_metrics,
    violation_rules,
    hedged_metrics,
    ends_after_publication,
    disagreeing_metrics,
from {{ ref('ts_dossier_kpis') }}
where period_type = 'quarter'
    and period_start = date '2024-10-01'
    and (has_flagged_value or has_hedged_value or ends_after_publication or disagreeing_metrics is not null)
order by worst_severity nulls last, locality_name, tier
