with

source as (

    select * from {{ source('raw', 'facts') }}

),

renamed as (

    select

        ----------  ids
        fact_id,
        page_version_id,
        extractor_version,
        cast(ordinal as integer) as ordinal,

        ---------- text
        metric,
        unit,
        qualifier,
        nfc_normalize(trim(locality_name)) as locality_name,
        locality_type,
        nfc_normalize(trim(locality_province)) as locality_province,
        tier,
        evidence_text,
        value_text,

        ---------- numerics
        cast(value as double) as value,
        cast(evidence_start as integer) as evidence_start,
        cast(evidence_end as integer) as evidence_end,

        ---------- dates
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end

    from source

)

select * from renamed
