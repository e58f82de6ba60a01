with

registered as (

    select * from {{ ref('portals') }}

),

pages as (

    select * from {{ ref('stg_raw__pages') }}

),

portal_runs as (

    select * from {{ ref('stg_raw__portal_runs') }}

),

articles as (

    select * from {{ ref('int_articles__current') }}

),

seen as (

    select portal_id from pages
    union
    select portal_id from portal_runs

),

page_summary as (

    select
        portal_id,
        count(*) as n_page_versions,
        min(fetched_at) as first_fetched_at,
        max(fetched_at) as last_fetched_at,
    from pages
    group by portal_id

),

article_summary as (

    select
        portal_id,
        count(*) as n_articles,
        count(*) filter (where has_dossier_stats) as n_articles_with_facts,
    from articles
    group by portal_id

),

last_run as (

    select
        portal_id,
        status as last_run_status,
        started_at as last_run_started_at,
        health_note as last_health_note,
    from portal_runs
    where not starts_with(run_id, 'backfill__')  -- a backfill's pages (cchc.backfill) are no nights
    qualify row_number() over (partition by portal_id order by started_at desc nulls last, run_id desc) = 1

),

portal_ids as (

    select portal_id from registered
    union
    select portal_id from seen

),

final as (

    select
        portal_ids.portal_id,
        registered.portal_name,
        registered.family,
        registered.base_url,
        registered.locality_name,
        registered.locality_type,
        registered.locality_province,
        coalesce(registered.in_real_registry, false) as in_real_registry,
        coalesce(registered.in_sample_registry, false) as in_sample_registry,
        registered.portal_id is not null as is_registered,
        coalesce(page_summary.n_page_versions, 0) as n_page_versions,
        page_summary.first_fetched_at,
        page_summary.last_fetched_at,
        coalesce(article_summary.n_articles, 0) as n_articles,
        coalesce(article_summary.n_articles_with_facts, 0) as n_articles_with_facts,
        last_run.last_run_status,
        last_run.last_run_started_at,
        last_run.last_health_note,
    from portal_ids
    left join registered on portal_ids.portal_id = registered.portal_id
    left join page_summary on portal_ids.portal_id = page_summary.portal_id
    left join article_summary on portal_ids.portal_id = article_summary.portal_id
    left join last_run on portal_ids.portal_id = last_run.portal_id

)

select * from final
