-- Official localities before and after the reorganisation of 1 July 2025, one row per locality
-- version: the units of the seed admin_units (from the package vietnamadminunits), grouped by
-- the key articles can give (type | province | name), one version per era. A key whose one
-- former unit became one new unit of the same name and territory keeps a single version
-- (era 'both'); otherwise the former and the new unit are two versions with validity dates.

with

units as (

    select * from {{ ref('admin_units') }}

),

provinces as (

    select era, unit_code, locality_type, name from units where level = 'province'

),

districts as (

    select unit_code, locality_type, name, province_name from units where level = 'district'

),

keyed as (

    select
        units.*,
        {{ locality_key('units.locality_type', 'units.province_name', 'units.name') }} as locality_key,
        case
            when units.level = 'commune' and units.era = 'pre2025'
                then {{ locality_key('districts.locality_type', 'districts.province_name', 'districts.name') }}
            when units.level != 'province'
                then {{ locality_key('provinces.locality_type', 'provinces.name', 'provinces.name') }}
        end as parent_key,
    from units
    left join provinces
        on units.era = provinces.era
        and units.province_code = provinces.unit_code
    left join districts
        on units.era = 'pre2025'
        and units.district_code = districts.unit_code

),

by_era as (

    -- several units can share a key (two communes of one name in a province): each column is
    -- the first unit's (by code) that has it, the same every build
    select
        locality_key,
        era,
        arg_min(level, unit_code) filter (where level is not null) as level,
        arg_min(locality_type, unit_code) filter (where locality_type is not null) as locality_type,
        arg_min(unit_type_vi, unit_code) filter (where unit_type_vi is not null) as unit_type_vi,
        arg_min(name, unit_code) filter (where name is not null) as locality_name,
        arg_min(full_name, unit_code) filter (where full_name is not null) as full_name,
        arg_min(province_name, unit_code) filter (where province_name is not null) as province_name,
        count(*) as n_official_units,
        case when count(*) = 1 then any_value(unit_code) end as official_code,
        string_agg(unit_code, ', ' order by unit_code) as official_codes,
        case when count(distinct parent_key) = 1 then any_value(parent_key) end as parent_key,
        case when count(*) = 1 then any_value(district_name) end as district_name,
        arg_min(former_units, unit_code) filter (where former_units is not null) as former_units,
        arg_min(former_districts, unit_code) filter (where former_districts is not null) as former_districts,
        bool_and(coalesce(territory_unchanged, false)) as territory_unchanged,
    from keyed
    group by locality_key, era

),

former as (

    select * from by_era where era = 'pre2025'

),

new as (

    select * from by_era where era = 'from2025'

),

unchanged_keys as (

    select new.locality_key
    from new
    inner join former
        on new.locality_key = former.locality_key
    where new.territory_unchanged
        and new.n_official_units = 1
        and former.n_official_units = 1

),

versions as (

    select
        by_era.* replace (
            case when unchanged_keys.locality_key is not null then 'both' else by_era.era end as era
        ),
        former.official_code as former_official_code,
    from by_era
    left join unchanged_keys
        on by_era.locality_key = unchanged_keys.locality_key
    left join former
        on unchanged_keys.locality_key = former.locality_key
    -- an unchanged unit keeps one row: the new one, with the former code beside it
    where not (unchanged_keys.locality_key is not null and by_era.era = 'pre2025')

),

dated as (

    select
        locality_key || '|' || era as locality_id,
        *,
        case when era = 'from2025' then {{ reorganisation_date() }} end as valid_from,
        case when era = 'pre2025' then cast({{ reorganisation_date() }} - interval 1 day as date) end as valid_to,
    from versions

),

parent_versions as (

    -- the parent's version of the same era, else the one valid in both eras
    select
        dated.locality_id,
        parent.locality_id as parent_locality_id,
    from dated
    inner join dated as parent
        on dated.parent_key = parent.locality_key
    qualify row_number() over (
        partition by dated.locality_id
        order by
            case
                when parent.era = dated.era then 0
                when parent.era = 'both' then 1
                else 2
            end,
            parent.locality_id  -- a unit of both eras under a parent split by era: the same one every build
    ) = 1

),

with_parent as (

    select
        dated.*,
        parent_versions.parent_locality_id,
    from dated
    left join parent_versions
        on dated.locality_id = parent_versions.locality_id

)

select * from with_parent
