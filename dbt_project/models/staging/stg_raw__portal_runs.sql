with

source as (

    select * from {{ source('raw', 'portal_runs') }}

),

renamed as (

    select

        ----------  ids
        run_id || '|' || portal_id as portal_run_id,
        run_id,
        portal_id,

        ---------- text
        status,
        health_note,
        error,

        ---------- numerics
        cast(pages_new as integer) as pages_new,
        cast(pages_unchanged as integer) as pages_unchanged,
        cast(pages_failed as integer) as pages_failed,
        cast(articles_new as integer) as articles_new,

        ---------- timestamps
        cast(started_at as timestamp) as started_at,
        cast(finished_at as timestamp) as finished_at

    from source

)

select * from renamed
