with

articles as (

    select * from {{ ref('int_articles__current') }}

),

publications as (

    select * from {{ ref('int_articles__publications') }}

),

fact_counts as (

    -- grouped by build_key (one per article, a number) rather than by article_id (a string):
    -- ten million facts group several times faster
    select
        any_value(article_id) as article_id,
        count(*) as n_facts,
    from {{ ref('int_facts__keyed') }}
    group by build_key

),

report_counts as (

    select
        article_id,
        count(*) as n_reports,
    from {{ ref('fct_dossier_reports') }}
    group by article_id

),

final as (

    select
        articles.article_id,
        publications.publication_id,
        publications.copy_of_article_id,
        publications.n_copies,
        articles.canonical_url,
        articles.n_addresses,
        articles.url,
        articles.title,
        articles.published_at,
        cast(articles.published_at as date) as published_date,
        articles.published_source,
        articles.portal_id,
        articles.page_version_id,
        articles.extractor_version,
        articles.extracted_at,
        articles.n_page_versions,
        articles.n_extractions,
        articles.first_fetched_at,
        articles.fetched_at,
        articles.has_dossier_stats,
        coalesce(fact_counts.n_facts, 0) as n_facts,
        coalesce(report_counts.n_reports, 0) as n_reports,
    from articles
    inner join publications
        on articles.article_id = publications.article_id
    left join fact_counts
        on articles.article_id = fact_counts.article_id
    left join report_counts
        on articles.article_id = report_counts.article_id

)

select * from final
