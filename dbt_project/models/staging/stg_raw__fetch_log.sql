with

source as (

    select * from {{ source('raw', 'fetch_log') }}

),

renamed as (

    select

        ----------  ids
        fetch_id,
        run_id,
        portal_id,
        page_version_id,

        ---------- text
        url,
        final_url,
        page_kind,
        outcome,
        error,
        content_hash,
        note,

        ---------- numerics
        cast(elapsed_ms as integer) as elapsed_ms,
        cast(attempts as integer) as attempts,
        cast(http_status as integer) as http_status,
        cast(bytes as bigint) as content_bytes,

        ---------- booleans
        tls_verified as is_tls_verified,

        ---------- timestamps
        cast(requested_at as timestamp) as requested_at

    from source

)

select * from renamed
