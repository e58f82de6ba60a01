-- Every period a fact covers, plus every calendar month, quarter, half year, nine months and
-- year of the date spine, classified and labelled (docs.md: period_type).

{% set first_year = var('date_spine_start')[:4] | int %}
{% set last_year = var('date_spine_end')[:4] | int %}

with

observed as (

    select distinct period_start, period_end from {{ ref('int_facts__keyed') }}

),

years as (

    select unnest(generate_series({{ first_year }}, {{ last_year }})) as y

),

calendar as (

    select make_date(y, m, 1) as period_start, last_day(make_date(y, m, 1)) as period_end
    from years, (select unnest(generate_series(1, 12)) as m)
    union all
    select make_date(y, 3 * q - 2, 1), last_day(make_date(y, 3 * q, 1))
    from years, (select unnest(generate_series(1, 4)) as q)
    union all
    select make_date(y, 1, 1), make_date(y, 6, 30) from years
    union all
    select make_date(y, 7, 1), make_date(y, 12, 31) from years
    union all
    select make_date(y, 1, 1), make_date(y, 9, 30) from years
    union all
    select make_date(y, 1, 1), make_date(y, 12, 31) from years

),

periods as (

    select period_start, period_end from calendar
    union
    select period_start, period_end from observed

),

measured as (

    select
        period_start,
        period_end,
        -- calendar shapes
        day(period_start) = 1 and month(period_start) = 1 as starts_year,
        period_end = last_day(period_end) as ends_month,
        -- Decree 09/2019 reporting windows: from the 15th to the 14th (or 15th) some months later;
        -- some offices count from the 16th to the 15th
        (day(period_start) = 15 and day(period_end) in (14, 15))
            or (day(period_start) = 16 and day(period_end) = 15) as is_window,
        date_diff('month', period_start, period_end) as month_span,
    from periods

),

classified as (

    select
        *,
        case
            when day(period_start) = 1 and period_end = last_day(period_start)
                then 'month'
            when day(period_start) = 1 and month(period_start) in (1, 4, 7, 10)
                and period_end = last_day(period_start + interval 2 month)
                then 'quarter'
            when day(period_start) = 1 and month(period_start) in (1, 7)
                and period_end = last_day(period_start + interval 5 month)
                then 'half_year'
            when starts_year and period_end = make_date(year(period_start), 9, 30)
                then 'nine_months'
            when starts_year and period_end = make_date(year(period_start), 12, 31)
                then 'year'
            when is_window and month_span = 1 then 'month'
            when is_window and month_span = 3 and month(period_end) in (3, 6, 9, 12) then 'quarter'
            when is_window and month_span = 6 and month(period_end) in (6, 12) then 'half_year'
            when is_window and month_span = 9 and month(period_end) = 9 then 'nine_months'
            when is_window and month_span = 12 and month(period_end) = 12 then 'year'
            when starts_year and year(period_end) = year(period_start)
                then 'year_to_date'
            else 'other_range'
        end as period_type,
    from measured

),

numbered as (

    select
        *,
        is_window and period_type not in ('year_to_date', 'other_range') as is_reporting_window,
        year(period_end) as period_year,
        case period_type
            when 'month' then month(period_end)
            when 'quarter' then quarter(period_end)
            when 'half_year' then case when month(period_end) <= 6 then 1 else 2 end
        end as period_number,
        case period_type
            when 'month' then 1
            when 'quarter' then 3
            when 'half_year' then 6
            when 'year' then 12
        end as step_months,
    from classified

),

labelled as (

    select
        *,
        case period_type
            when 'month' then 'Tháng ' || period_number || '/' || period_year
            when 'quarter' then 'Quý ' || ['I', 'II', 'III', 'IV'][period_number] || '/' || period_year
            when 'half_year' then
                case period_number when 1 then '6 tháng đầu năm ' else '6 tháng cuối năm ' end || period_year
            when 'nine_months' then '9 tháng ' || period_year
            when 'year' then 'Năm ' || period_year
            when 'year_to_date' then
                case
                    when ends_month then month(period_end) || ' tháng đầu năm ' || period_year
                    else 'Từ đầu năm ' || period_year || ' đến ' || strftime(period_end, '%d/%m/%Y')
                end
            else 'Từ ' || strftime(period_start, '%d/%m/%Y') || ' đến ' || strftime(period_end, '%d/%m/%Y')
        end
        || case
            when is_window and period_type not in ('year_to_date', 'other_range')
                then ' (' || strftime(period_start, '%d/%m/%Y') || ' - ' || strftime(period_end, '%d/%m/%Y') || ')'
            else ''
        end as period_label_vi,
        case period_type
            when 'month' then strftime(make_date(period_year, period_number, 1), '%B %Y')
            when 'quarter' then 'Q' || period_number || ' ' || period_year
            when 'half_year' then 'H' || period_number || ' ' || period_year
            when 'nine_months' then '9M ' || period_year
            when 'year' then cast(period_year as varchar)
            when 'year_to_date' then 'YTD ' || period_year || ' to ' || strftime(period_end, '%Y-%m-%d')
            else strftime(period_start, '%Y-%m-%d') || ' to ' || strftime(period_end, '%Y-%m-%d')
        end
        || case
            when is_window and period_type not in ('year_to_date', 'other_range')
                then ' (reporting window ' || strftime(period_start, '%Y-%m-%d') || ' to ' || strftime(period_end, '%Y-%m-%d') || ')'
            else ''
        end as period_label_en,
    from numbered

),

related as (

    select
        *,
        case when step_months is not null
            then cast(period_start - to_months(step_months) as date) end as previous_period_start,
        case when step_months is not null
            then cast(period_start - interval 1 day as date) end as previous_period_end,
        cast(period_start - interval 1 year as date) as last_year_period_start,
        case
            when ends_month then last_day(period_end - interval 1 year)
            else cast(period_end - interval 1 year as date)
        end as last_year_period_end,
    from labelled

),

final as (

    select
        {{ period_id('period_start', 'period_end') }} as period_id,
        period_type,
        period_start,
        period_end,
        period_year,
        period_number,
        period_label_vi,
        period_label_en,
        is_reporting_window,
        -- the calendar period a reporting window stands for (Quý I/2024 for 15/12/2023-14/03/2024);
        -- a calendar period stands for itself
        case
            when is_reporting_window then {{ period_id(
                "make_date(period_year, month(period_end) + 1 - case period_type when 'month' then 1 when 'quarter' then 3"
                " when 'half_year' then 6 when 'nine_months' then 9 else 12 end, 1)",
                "last_day(make_date(period_year, month(period_end), 1))") }}
            when period_type not in ('year_to_date', 'other_range') then {{ period_id('period_start', 'period_end') }}
        end as calendar_period_id,
        date_diff('day', period_start, period_end) + 1 as n_days,
        previous_period_start,
        previous_period_end,
        case when previous_period_start is not null
            then {{ period_id('previous_period_start', 'previous_period_end') }} end as previous_period_id,
        last_year_period_start,
        last_year_period_end,
        {{ period_id('last_year_period_start', 'last_year_period_end') }} as last_year_period_id,
    from related

)

select * from final
