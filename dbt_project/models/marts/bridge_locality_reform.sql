-- From each unit before 1 July 2025 to the unit(s) it went into, read from the official list of
-- what each new commune was formed from (admin_units.former_units, from vietnamadminunits):
-- "Xã Xuân Bái (Huyện Thọ Xuân, Thanh Hóa)", with "(một phần)" where only part of it went in.

with

new_units as (

    select locality_id, locality_key, former_units
    from {{ ref('int_localities__official') }}
    where era = 'from2025' and level = 'commune' and former_units is not null

),

former as (

    select locality_id, locality_key
    from {{ ref('int_localities__official') }}
    where era in ('pre2025', 'both') and level = 'commune'

),

parts as (

    select
        new_units.locality_id as from2025_locality_id,
        trim(part) as former_unit,
    from new_units, unnest(string_split(new_units.former_units, '; ')) as t (part)

),

parsed as (

    select
        *,
        former_unit like '%(một phần)' as is_partial,
        regexp_extract(former_unit, '^(Phường|Xã|Thị trấn|Đặc khu) (.+?) \((.+), (.+?)\)', ['type_vi', 'name', 'district', 'province']) as m,
    from parts

),

keyed as (

    select
        from2025_locality_id,
        former_unit,
        is_partial,
        {{ locality_key(
            "case m.type_vi when 'Phường' then 'phuong' when 'Xã' then 'xa' when 'Thị trấn' then 'thi_tran' else 'dac_khu' end",
            'm.province', 'm.name') }} as former_locality_key,
    from parsed
    where m.name != ''

),

pairs as (

    -- two former units of one name in one province (in different districts) share a key, as
    -- articles name them: one pair, partial if either went in only in part
    select
        former.locality_id as pre2025_locality_id,
        keyed.from2025_locality_id,
        string_agg(keyed.former_unit, '; ' order by keyed.former_unit) as former_unit,
        bool_or(keyed.is_partial) as is_partial,
    from keyed
    inner join former
        on keyed.former_locality_key = former.locality_key
    group by former.locality_id, keyed.from2025_locality_id

),

final as (

    select
        *,
        count(*) over (partition by pre2025_locality_id) as n_successors,
        not is_partial and count(*) over (partition by pre2025_locality_id) = 1 as went_in_whole,
    from pairs

)

select * from final
