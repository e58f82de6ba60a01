{#- Helpers of the incremental models (int_facts__keyed, int_series__chosen, fct_dossier_facts,
    fct_dossier_reports). Each rewrites the rows of an article (a series) whenever what they were
    built from changed, and finds them by comparing keys: every row carries the key of what it
    was built from (`build_key`: a hash of the article's state and of the model's code;
    `sources_key` for a series), the model's upstream gives the keys the rows should have now;
    the select inserts the rows whose key is not in the table yet, and the post-hook then deletes
    the rows whose key is no longer current (delete_replaced_rows). What is rebuilt depends on no
    clock and on no earlier build having succeeded: the table is compared with its upstream each
    time. (`rebuilt_at`, the build's start, only tells this build's rows from older ones.) -#}

{#- A literal naming this model's code: its SQL, that of `upstream_models`, the project macros
    they call (except this file's, which decide what to rebuild rather than what a row holds) and
    the variable the keys depend on, with comments and spacing left out. A change to any of them changes every build_key, so the next
    build rewrites every row (a full refresh by the incremental path, about twice as slow as
    `--full-refresh`) instead of keeping rows built by the old code. -#}
{% macro code_fingerprint(upstream_models=[]) -%}
    {%- set parts = [model.raw_code, var('reorganisation_date')] -%}
    {%- for name in upstream_models if execute -%}
        {%- do parts.append(graph.nodes['model.' ~ project_name ~ '.' ~ name].raw_code) -%}
    {%- endfor -%}
    {%- set seen = [] -%}
    {%- set pending = model.depends_on.macros | list -%}
    {%- for macro_id in pending -%}  {#- the list grows by the macros these call in turn -#}
        {%- set name = macro_id.split('.')[-1] -%}
        {%- set generator = context.get(name) if macro_id.startswith('macro.' ~ project_name ~ '.') else none -%}
        {%- if generator and macro_id not in seen and not generator.macro.original_file_path.endswith('incremental.sql') -%}
            {%- do seen.append(macro_id) -%}
            {%- do parts.append(generator.macro.macro_sql) -%}
            {%- do pending.extend(generator.macro.depends_on.macros) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set code = parts | join('\n') -%}
    {%- set code = modules.re.sub('(?s)\{#.*?#\}', ' ', code) -%}
    {%- set code = modules.re.sub('--[^\n]*', ' ', code) -%}
    {%- set code = modules.re.sub('\s+', '', code) -%}
    '{{ local_md5(code | trim) }}'
{%- endmacro %}

{#- When this build started (UTC): the `rebuilt_at` of the rows it writes. Tests of the
    incremental models check the rows of the latest build (a full build: every row). -#}
{% macro build_started_at() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp)
{%- endmacro %}

{#- True on an incremental build of a table that already has the build columns. A table built
    before these models were incremental has none: the select then builds every row,
    on_schema_change='sync_all_columns' adds the columns, and the post-hook deletes the old
    rows (their build key is null). -#}
{% macro is_incremental_build() -%}
    {%- if not is_incremental() -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set columns = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list -%}
    {{ return(('build_key' in columns or 'sources_key' in columns) and 'rebuilt_at' in columns) }}
{%- endmacro %}

{#- Post-hook of an incremental build: delete the rows written by earlier builds whose key
    (`key_column`) is not among `keys_sql` (the keys the rows should have now), and, with
    `replaced_by`, those of the articles (series) this build wrote rows for. After the insert, not
    before it: DuckDB cannot add a column (on_schema_change) to a table the same transaction has
    deleted from, and the select must see the table as it was. -#}
{% macro delete_replaced_rows(keys_sql, key_column='build_key', replaced_by=none) -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where rebuilt_at is distinct from {{ build_started_at() }}
            and (
                {{ key_column }} is null
                or {{ key_column }} not in ({{ keys_sql }})
                {%- if replaced_by %}
                or {{ replaced_by }} in (
                    select {{ replaced_by }} from {{ this }} where rebuilt_at = {{ build_started_at() }}
                )
                {%- endif %}
            )
    {%- else -%}
        select 1  -- a full build
    {%- endif -%}
{%- endmacro %}

{#- The build key of a model whose rows are built from another incremental model's rows: their
    build_key and this model's code. -#}
{% macro derived_build_key(upstream_key_expr) -%}
    hash({{ upstream_key_expr }}, {{ code_fingerprint() }})
{%- endmacro %}

{#- fct_dossier_facts: the articles with a fact whose is_series_value or quality marks in the
    table differ from int_series__chosen and int_facts__quality_marks (their rows are written
    again). Reads the table's series values and flagged facts (a small share) and the two small
    models. -#}
{% macro fact_flags_changed_articles(keyed, chosen, marks) -%}
    with
    series_values as (
        select fact_id, article_id from {{ this }} where is_series_value
    ),
    flagged as (
        select fact_id, violation_rules, worst_severity, n_violations, repaired_value
        from {{ this }} where is_flagged
    ),
    current_marks as (
        select fact_id, violation_rules, worst_severity, n_violations, repaired_value from {{ marks }}
    ),
    changed_marks as (
        (select * from flagged except select * from current_marks)
        union
        (select * from current_marks except select * from flagged)
    )
    select article_id from series_values
    where fact_id not in (select chosen_fact_id from {{ chosen }})
    union
    select chosen_article_id from {{ chosen }}
    where chosen_fact_id not in (select fact_id from series_values)
    union
    select article_id from {{ keyed }}
    where fact_id in (select fact_id from changed_marks)
{%- endmacro %}

{#- int_facts__keyed's build key of an article: its state (int_articles__originals), the code of
    the model and of the views it reads the facts through, and the locality seeds the facts are
    keyed with (a changed official unit or portal province may change the locality of any fact). -#}
{% macro keyed_build_key(state_expr) -%}
    hash(
        {{ state_expr }},
        {{ code_fingerprint(['stg_raw__facts', 'int_facts__deduplicated']) }},
        (select sum(hash(locality_key, locality_id, era)) from {{ ref('int_localities__official') }}),
        (select sum(hash(portal_id, locality_province)) from {{ ref('portals') }})
    )
{%- endmacro %}

{#- fct_dossier_reports: the articles with a report whose marks in the table differ from
    int_reports__quality_marks (both small: the flagged reports). -#}
{% macro report_marks_changed_articles(keyed, report_marks) -%}
    with
    flagged as (
        select report_id, violation_rules, worst_severity, flagged_metrics from {{ this }} where is_flagged
    ),
    current_marks as (
        select report_id, violation_rules, worst_severity, flagged_metrics from {{ report_marks }}
    ),
    changed as (
        (select * from flagged except select * from current_marks)
        union
        (select * from current_marks except select * from flagged)
    )
    select article_id from {{ keyed }}
    where report_id in (select report_id from changed)
{%- endmacro %}

{#- int_series__chosen: a series (locality x tier x period x metric, as two 64-bit hashes, which
    int_facts__keyed stores) and the key of its sources: their number, the xor of their
    build_keys and the model's code. A series' row depends on nothing else, so it is rebuilt
    exactly when this key changes. -#}
{% macro series_sources_key() -%}
    hash(series_key, series_key_2, count(*), bit_xor(build_key), {{ code_fingerprint() }})
{%- endmacro %}

{% macro series_sources(keyed) -%}
    select series_key, series_key_2, {{ series_sources_key() }} as sources_key
    from {{ keyed }}
    where is_report_value
    group by series_key, series_key_2
{%- endmacro %}
