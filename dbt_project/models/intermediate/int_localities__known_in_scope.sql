-- How many official units of each type a ranking scope (a province, or the country for
-- provinces) holds on each side of the 2025 reorganisation: the "n" of a rank "k of n known".

with

localities as (

    select * from {{ ref('dim_locality') }}
    where is_official

),

final as (

    select
        rank_scope,
        locality_type,
        {{ n_known_by_era() }}
    from localities
    group by rank_scope, locality_type

)

select * from final
