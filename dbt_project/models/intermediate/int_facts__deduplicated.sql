-- The facts of the current extraction of each publication's original (int_articles__originals):
-- the latest extractor version of the latest page version. Facts of older versions and of copies
-- stop here, so a republished article counts once.
--
-- A view: int_facts__keyed reads it for the articles it rebuilds, and the filter on
-- article_state reaches the small side of the join, so a night reads raw.facts by the keys of
-- its few changed articles instead of writing ten million rows here.

{{ config(materialized='view') }}

with

facts as (

    select * from {{ ref('stg_raw__facts') }}

),

articles as (

    select * from {{ ref('int_articles__originals') }}

),

current_facts as (

    select
        facts.*,
        articles.article_id,
        articles.article_state,
        articles.portal_id,
        articles.published_at,
        articles.fetched_at,
        articles.published_or_fetched_at,
    from facts
    inner join articles
        on facts.page_version_id = articles.page_version_id
        and facts.extractor_version = articles.extractor_version

)

select * from current_facts
