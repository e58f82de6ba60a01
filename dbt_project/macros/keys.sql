{#- Keys shared by the intermediate models and the marts. -#}

{#- An ASCII key of a Vietnamese name: lower case, đ -> d, accents and everything but letters and
    digits dropped. "Thọ Xuân" and "Tho  xuân" give "thoxuan"; "Hòa" and "Hoà" both give "hoa". -#}
{% macro name_key(expr) -%}
    regexp_replace(replace(strip_accents(lower(nfc_normalize({{ expr }}))), 'đ', 'd'), '[^a-z0-9]', '', 'g')
{%- endmacro %}

{#- The natural key of a locality as articles name it: type | province key | name key,
    e.g. 'huyen|thanhhoa|thoxuan'. An unknown province leaves its part empty. -#}
{% macro locality_key(type_expr, province_expr, name_expr) -%}
    ({{ type_expr }} || '|' || coalesce({{ name_key(province_expr) }}, '') || '|' || {{ name_key(name_expr) }})
{%- endmacro %}

{#- The key of a period: its inclusive ISO dates, e.g. '2024-01-01..2024-03-31'. -#}
{% macro period_id(start_expr, end_expr) -%}
    (strftime({{ start_expr }}, '%Y-%m-%d') || '..' || strftime({{ end_expr }}, '%Y-%m-%d'))
{%- endmacro %}

{#- The Vietnamese type word of a locality type code. -#}
{% macro locality_type_vi(type_expr) -%}
    case {{ type_expr }}
        when 'tinh' then 'Tỉnh'
        when 'thanh_pho' then 'Thành phố'
        when 'huyen' then 'Huyện'
        when 'quan' then 'Quận'
        when 'thi_xa' then 'Thị xã'
        when 'xa' then 'Xã'
        when 'phuong' then 'Phường'
        when 'thi_tran' then 'Thị trấn'
        when 'dac_khu' then 'Đặc khu'
    end
{%- endmacro %}

{#- 100 x part / whole, null when a term is missing or the whole is not positive. -#}
{% macro safe_rate(part_expr, whole_expr) -%}
    case when ({{ whole_expr }}) > 0 then 100.0 * ({{ part_expr }}) / ({{ whole_expr }}) end
{%- endmacro %}

{#- The day the two-level local government began (1 July 2025), as a DuckDB date literal. -#}
{% macro reorganisation_date() -%}
    date '{{ var("reorganisation_date") }}'
{%- endmacro %}
