with

source as (

    select * from {{ source('dq', 'validation_runs') }}

),

renamed as (

    select
        run_id,
        started_at,
        finished_at,
        success,
        n_expectations,
        n_failed,
        n_violations,
        n_new_violations,
        n_errors,
        n_warnings,
        n_reports,
        data_docs_path,
        gx_version,
        row_number() over (order by started_at desc, run_id desc) = 1 as is_latest,
    from source

)

select * from renamed
