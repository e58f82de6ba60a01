with

source as (

    select * from {{ source('raw', 'pages') }}

),

renamed as (

    select

        ----------  ids
        page_version_id,
        portal_id,
        run_id as first_run_id,

        ---------- text
        url,
        final_url,
        page_kind,
        content_type,
        declared_charset,
        charset,
        etag,
        last_modified,
        content_hash,
        listing_title,

        ---------- numerics
        cast(http_status as integer) as http_status,
        cast(content_length as bigint) as content_bytes,

        ---------- booleans
        tls_verified as is_tls_verified,

        ---------- timestamps
        cast(fetched_at as timestamp) as fetched_at

        -- html stays in raw.pages: nothing downstream parses it

    from source

)

select * from renamed
