{% set spine_start = "date '" ~ var('date_spine_start') ~ "'" %}
{% set spine_end = "date '" ~ var('date_spine_end') ~ "'" %}

with

spine as (

    select cast(day as date) as date_day
    from generate_series({{ spine_start }}, {{ spine_end }}, interval 1 day) as days (day)

),

final as (

    select
        date_day,
        year(date_day) as year,
        quarter(date_day) as quarter,
        month(date_day) as month,
        day(date_day) as day_of_month,
        isodow(date_day) as iso_day_of_week,
        week(date_day) as iso_week,
        isodow(date_day) in (6, 7) as is_weekend,
        case isodow(date_day)
            when 1 then 'Thứ Hai'
            when 2 then 'Thứ Ba'
            when 3 then 'Thứ Tư'
            when 4 then 'Thứ Năm'
            when 5 then 'Thứ Sáu'
            when 6 then 'Thứ Bảy'
            else 'Chủ Nhật'
        end as day_name_vi,
        'Tháng ' || month(date_day) || '/' || year(date_day) as month_label_vi,
        {{ period_id("date_trunc('month', date_day)", "last_day(date_day)") }} as month_period_id,
        {{ period_id("date_trunc('quarter', date_day)", "last_day(date_trunc('quarter', date_day) + interval 2 month)") }} as quarter_period_id,
        {{ period_id("date_trunc('year', date_day)", "make_date(year(date_day), 12, 31)") }} as year_period_id,
        case when date_day >= {{ reorganisation_date() }} then 'two_level' else 'three_level' end as local_government,
    from spine

)

select * from final
