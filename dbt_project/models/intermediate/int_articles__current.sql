-- One row per article (canonical address): the page version and extraction the marts use.
-- The addresses of one article (http or https, www or not, tracking parameters) share its
-- canonical_url. A page re-fetched with a different body is a new page version of the same
-- article; a re-extraction adds an extraction of the same page version. Keep the latest
-- fetched page version that has been extracted, and its latest extraction (by extracted_at).

with

pages as (

    select * from {{ ref('stg_raw__pages') }}
    where page_kind = 'article'

),

extractions as (

    select * from {{ ref('stg_raw__articles') }}

),

latest_extraction as (

    select
        extractions.*,
        count(*) over (partition by extractions.page_version_id) as n_extractions,
    from extractions
    qualify row_number() over (
        partition by extractions.page_version_id
        order by extractions.extracted_at desc, extractions.extractor_version desc
    ) = 1

),

extracted_versions as (

    select
        latest_extraction.canonical_url,
        pages.url,
        pages.portal_id,
        pages.page_version_id,
        pages.fetched_at,
        latest_extraction.extractor_version,
        latest_extraction.extracted_at,
        latest_extraction.n_extractions,
        latest_extraction.title,
        latest_extraction.published_at,
        latest_extraction.published_source,
        latest_extraction.has_dossier_stats,
        latest_extraction.text_hash,
        latest_extraction.simhash,
        latest_extraction.figures_hash,
        count(*) over (partition by latest_extraction.canonical_url) as n_page_versions,
        count(distinct pages.url) over (partition by latest_extraction.canonical_url) as n_addresses,
        min(pages.fetched_at) over (partition by latest_extraction.canonical_url) as first_fetched_at,
    from pages
    inner join latest_extraction
        on pages.page_version_id = latest_extraction.page_version_id

),

current_version as (

    select
        md5(canonical_url) as article_id,
        *,
    from extracted_versions
    qualify row_number() over (
        partition by canonical_url
        order by fetched_at desc, page_version_id desc
    ) = 1

)

select * from current_version
