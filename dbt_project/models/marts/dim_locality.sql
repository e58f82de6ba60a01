-- Official locality versions (before / after 1 July 2025) and the localities articles name that
-- match no official unit.

with

official as (

    select * from {{ ref('int_localities__official') }}

),

facts as (

    select * from {{ ref('int_facts__keyed') }}

),

unknown_named as (

    select
        locality_id,
        any_value(locality_key) as locality_key,
        any_value(locality_type) as locality_type,
        mode(locality_name) as locality_name,
        mode(province_name) as province_name,
        max(period_end) >= {{ reorganisation_date() }} as reported_after_reorganisation,
    from facts
    where not is_official_locality
    group by locality_id

),

unknown_with_parent as (

    -- the province: its version of both eras, else the one of the era the locality reports in
    select
        unknown_named.*,
        official.locality_id as parent_locality_id,
    from unknown_named
    left join official
        on official.level = 'province'
        and {{ name_key('official.locality_name') }} = {{ name_key('unknown_named.province_name') }}
    qualify row_number() over (
        partition by unknown_named.locality_id
        order by
            case
                when official.era = 'both' then 0
                when official.era = case when unknown_named.reported_after_reorganisation then 'from2025' else 'pre2025' end then 1
                else 2
            end,
            official.locality_id  -- the same one every build
    ) = 1

),

unknown as (

    select
        locality_id,
        locality_key,
        'unknown' as era,
        case
            when locality_type = 'tinh' then 'province'
            when locality_type = 'thanh_pho'
                and {{ name_key('locality_name') }} = {{ name_key('province_name') }} then 'province'
            when locality_type in ('thanh_pho', 'huyen', 'quan', 'thi_xa') then 'district'
            else 'commune'
        end as level,
        locality_type,
        {{ locality_type_vi('locality_type') }} as unit_type_vi,
        locality_name,
        {{ locality_type_vi('locality_type') }} || ' ' || locality_name as full_name,
        province_name,
        cast(null as varchar) as district_name,
        parent_locality_id,
        cast(null as varchar) as official_code,
        cast(null as varchar) as official_codes,
        0 as n_official_units,
        cast(null as varchar) as former_official_code,
        cast(null as varchar) as former_units,
        cast(null as varchar) as former_districts,
        cast(null as boolean) as territory_unchanged,
        cast(null as date) as valid_from,
        cast(null as date) as valid_to,
        false as is_official,
    from unknown_with_parent

),

official_rows as (

    select
        locality_id,
        locality_key,
        era,
        level,
        locality_type,
        unit_type_vi,
        locality_name,
        full_name,
        province_name,
        district_name,
        parent_locality_id,
        official_code,
        official_codes,
        n_official_units,
        former_official_code,
        former_units,
        former_districts,
        territory_unchanged,
        valid_from,
        valid_to,
        true as is_official,
    from official

),

unioned as (

    select * from official_rows
    union all by name
    select * from unknown

),

final as (

    select
        *,
        -- localities are ranked among those of the same type in the same province;
        -- provinces among all provinces
        case when level = 'province' then 'VN' else {{ name_key('province_name') }} end as rank_scope,
    from unioned

)

select * from final
