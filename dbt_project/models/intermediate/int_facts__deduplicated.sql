-- The facts of the current extraction of each publication's original (int_articles__current,
-- int_articles__publications): the latest extractor version of the latest page version. Facts
-- of older versions and of copies stop here, so a republished article counts once.

with

facts as (

    select * from {{ ref('stg_raw__facts') }}

),

articles as (

    select * from {{ ref('int_articles__current') }}

),

originals as (

    select article_id from {{ ref('int_articles__publications') }}
    where copy_of_article_id is null

),

current_facts as (

    select
        facts.*,
        articles.article_id,
        articles.portal_id,
        articles.published_at,
        articles.fetched_at,
        -- an article with no publication date counts as published when first fetched
        coalesce(articles.published_at, articles.first_fetched_at) as published_or_fetched_at,
    from facts
    inner join articles
        on facts.page_version_id = articles.page_version_id
        and facts.extractor_version = articles.extractor_version
    inner join originals
        on articles.article_id = originals.article_id

)

select * from current_facts
