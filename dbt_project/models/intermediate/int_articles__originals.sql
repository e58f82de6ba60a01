-- One row per article whose facts reach the marts: the current version (int_articles__current)
-- of each publication's original (int_articles__publications; copies add no facts), with what
-- its facts take from it and `article_state`, a 64-bit hash of all of that. A new page version
-- or extraction, a changed publication date or first fetch, changes the state; an article that
-- becomes a copy leaves this table. The incremental fact models rebuild an article's rows
-- exactly when its state changes (macros/incremental.sql).

with

articles as (

    select * from {{ ref('int_articles__current') }}

),

originals as (

    select article_id from {{ ref('int_articles__publications') }}
    where copy_of_article_id is null

),

final as (

    select
        articles.article_id,
        articles.page_version_id,
        articles.extractor_version,
        articles.portal_id,
        articles.published_at,
        articles.fetched_at,
        articles.first_fetched_at,
        -- an article with no publication date counts as published when first fetched
        coalesce(articles.published_at, articles.first_fetched_at) as published_or_fetched_at,
        hash(
            articles.article_id, articles.page_version_id, articles.extractor_version, articles.portal_id,
            articles.published_at, articles.fetched_at, articles.first_fetched_at
        ) as article_state,
    from articles
    semi join originals
        on articles.article_id = originals.article_id

)

select * from final
