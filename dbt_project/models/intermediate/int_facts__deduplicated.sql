-- The facts of the current extraction of each article (int_articles__current): the latest
-- extractor version of the latest page version. Facts of older versions stop here.

with

facts as (

    select * from {{ ref('stg_raw__facts') }}

),

articles as (

    select * from {{ ref('int_articles__current') }}

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

)

select * from current_facts
