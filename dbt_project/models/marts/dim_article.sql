with

articles as (

    select * from {{ ref('int_articles__current') }}

),

publications as (

    select * from {{ ref('int_articles__publications') }}

),

facts as (

    select * from {{ ref('int_facts__keyed') }}

),

fact_summary as (

    select
        article_id,
        count(*) as n_facts,
        count(distinct report_id) as n_reports,
    from facts
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
        coalesce(fact_summary.n_facts, 0) as n_facts,
        coalesce(fact_summary.n_reports, 0) as n_reports,
    from articles
    inner join publications
        on articles.article_id = publications.article_id
    left join fact_summary
        on articles.article_id = fact_summary.article_id

)

select * from final
