-- Where do sources disagree? Per portal of the chosen article: series values with several
-- sources, and the share whose exact values differ.
select
    articles.portal_id,
    portals.portal_name,
    count(*) as series_values,
    count(*) filter (where metrics.n_sources > 1) as with_several_sources,
    count(*) filter (where metrics.values_disagree) as disagreeing,
    round(100.0 * count(*) filter (where metrics.values_disagree) / count(*), 2) as pct_disagreeing,
from {{ ref('ts_dossier_metrics') }} as metrics
inner join {{ ref('dim_article') }} as articles
    on metrics.chosen_article_id = articles.article_id
left join {{ ref('dim_portal') }} as portals
    on articles.portal_id = portals.portal_id
group by articles.portal_id, portals.portal_name
order by disagreeing desc, series_values desc
