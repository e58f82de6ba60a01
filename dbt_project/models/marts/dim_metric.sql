with

vocabulary as (

    select * from {{ ref('metric_vocabulary') }}

),

final as (

    select
        metric,
        unit,
        metric_group,
        label_vi,
        label_en,
        unit = 'percent' as is_rate,
    from vocabulary

)

select * from final
