-- One row per run of the nightly checks: how many expectations ran and failed, how many
-- violations it found and how many were new, and where its Data Docs are.

select * from {{ ref('stg_dq__validation_runs') }}
