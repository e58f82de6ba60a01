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
        -- the decimals as written ("90,26" -> 2); a count is whole, its dots group thousands
        case when unit = 'count' then 0
            else length(regexp_extract(coalesce(value_text, ''), '\d[.,](\d+)\D*$', 1)) end as value_decimals,
        cast(evidence_start as integer) as evidence_start,
        cast(evidence_end as integer) as evidence_end,

        ---------- dates
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end

    from source

)

select * from renamed
