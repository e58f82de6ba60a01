with

source as (

    select * from {{ source('raw', 'articles') }}

),

renamed as (

    select

        ----------  ids
        page_version_id || '|' || extractor_version as extraction_id,
        page_version_id,
        extractor_version,
        portal_id,

        ---------- identity
        coalesce(canonical_url, url) as canonical_url,
        text_hash,
        simhash,
        figures_hash,

        ---------- text
        url,
        title,
        published_source,
        text as article_text,

        ---------- booleans
        coalesce(has_dossier_stats, false) as has_dossier_stats,

        ---------- timestamps
        cast(published_at as timestamp) as published_at,
        cast(extracted_at as timestamp) as extracted_at

    from source

)

select * from renamed
