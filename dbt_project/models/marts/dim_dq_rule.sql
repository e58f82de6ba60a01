-- The rules of the dossier arithmetic: the identity each one checks, in words, and when a
-- break is an error or a warning. Written by the checks from their own rule data.

select * from {{ ref('stg_dq__rules') }}
