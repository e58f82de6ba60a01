-- The raw layer of the warehouse: what the crawler fetched and what extraction derived.
-- Mirrored by dbt_project/models/staging/__sources.yml. Times are UTC, stored as TIMESTAMP.
-- Append-only: nothing downstream updates these rows; re-extraction adds rows under a new
-- extractor_version. Every statement is idempotent so setup can rerun.

create schema if not exists raw;

-- One row per distinct page version (url x content hash): the HTML and its provenance.
create table if not exists raw.pages (
    page_version_id   varchar primary key,  -- sha256(url, content_hash)[:32]
    url               varchar not null,     -- the URL we asked for
    final_url         varchar not null,     -- after redirects
    portal_id         varchar not null,
    page_kind         varchar not null,     -- article | listing | feed | sitemap
    run_id            varchar not null,     -- the run that first fetched this version
    fetched_at        timestamp not null,
    http_status       integer not null,
    content_type      varchar,
    declared_charset  varchar,              -- from the Content-Type header, if any
    charset           varchar not null,     -- the one we decoded with
    etag              varchar,
    last_modified     varchar,
    content_hash      varchar not null,     -- sha256 of the body bytes
    content_length    bigint not null,
    tls_verified      boolean not null,
    listing_title     varchar,              -- the link text that led here, if any
    html              varchar not null
);

-- One row per request outcome per run: what happened to every URL, fetched or not.
create table if not exists raw.fetch_log (
    fetch_id          varchar primary key,  -- sha256(run_id, portal_id, url)[:32]
    run_id            varchar not null,
    portal_id         varchar not null,
    url               varchar not null,
    final_url         varchar,
    page_kind         varchar not null,
    requested_at      timestamp not null,
    elapsed_ms        integer,
    attempts          integer not null,
    http_status       integer,
    outcome           varchar not null,     -- new | unchanged | not_modified | not_due | failed | too_large | skipped_robots | skipped_filter
                                            -- | skipped_unsafe | end_of_listing | listing_no_match | possibly_broken
    error             varchar,
    content_hash      varchar,
    page_version_id   varchar,
    bytes             bigint,
    tls_verified      boolean,
    note              varchar
);

-- One row per portal per run: the night's verdict on each portal.
create table if not exists raw.portal_runs (
    run_id            varchar not null,
    portal_id         varchar not null,
    started_at        timestamp,
    finished_at       timestamp,
    status            varchar not null,     -- ok | failed | possibly_broken
    pages_new         integer not null,
    pages_unchanged   integer not null,
    pages_failed      integer not null,
    articles_new      integer not null,
    health_note       varchar,
    error             varchar,
    primary key (run_id, portal_id)
);

-- One row per page version per extractor version: the article text and its metadata.
create table if not exists raw.articles (
    page_version_id   varchar not null,
    extractor_version varchar not null,
    portal_id         varchar not null,
    url               varchar not null,
    title             varchar,
    published_at      timestamp,
    published_source  varchar,              -- date_line | htmldate | relative | none
    text              varchar,
    has_dossier_stats boolean,
    extracted_at      timestamp not null,
    primary key (page_version_id, extractor_version)
);
-- Publication identity (cchc.extract.identity): added with alter, so a warehouse created without
-- these columns gains them on the next setup.
alter table raw.articles add column if not exists canonical_url varchar;  -- address key: no scheme, www, tracking, trailing slash
alter table raw.articles add column if not exists text_hash varchar;      -- sha256 of the folded text: exact copies
alter table raw.articles add column if not exists simhash bigint;         -- trafilatura's 64-bit Simhash: near copies
alter table raw.articles add column if not exists figures_hash varchar;   -- sha256 of the figures in order: a near copy states the same

-- One row per stated fact: the contract of docs/facts.md, traced to its sentence.
create table if not exists raw.facts (
    fact_id           varchar primary key,  -- sha256(page_version_id, extractor_version, ordinal)[:32]
    page_version_id   varchar not null,
    extractor_version varchar not null,
    ordinal           integer not null,     -- order of the fact in the article
    metric            varchar not null,
    value             double not null,
    unit              varchar not null,
    qualifier         varchar not null,
    locality_name     varchar not null,
    locality_type     varchar not null,
    locality_province varchar,
    tier              varchar not null,
    period_start      date not null,
    period_end        date not null,
    evidence_text     varchar not null,
    evidence_start    integer not null,
    evidence_end      integer not null,
    value_text        varchar
);

-- The nightly checks' own tables (cchc.quality): what they found, kept across nights. The dbt
-- marts fct_dq_violations, fct_dq_validation_runs and dim_dq_rule document them for analysts;
-- they are created here, empty, so that dbt can read them before the first night's checks.
create schema if not exists dq;

-- One row per broken rule per report of the dossier arithmetic (cchc.quality.violations).
create table if not exists dq.violations (
    violation_id       varchar primary key,  -- sha256(article, locality, tier, period, rule, check, terms)[:32]
    report_id          varchar,              -- marts.fct_dossier_reports.report_id of the report's first fact
    article_id         varchar not null,     -- marts.dim_article.article_id (md5 of the URL)
    page_version_id    varchar,
    url                varchar not null,
    title              varchar,
    locality_name      varchar not null,
    locality_type      varchar not null,
    locality_province  varchar,
    tier               varchar not null,
    period_start       date not null,
    period_end         date not null,
    rule               varchar not null,     -- intake, channels, outcome, balance, tiers, rates, parts, services, tasks
    check_name         varchar not null,     -- which identity of the rule
    severity           varchar not null,     -- error | warning
    terms              varchar not null,     -- JSON: metric -> stated value
    expected           double,
    detail             varchar,
    repair             varchar,              -- JSON or null: metric, tier, stated, suggested, rules_for, rules_against
    evidence           varchar,              -- JSON list: the sentences of the facts involved
    report_uid         varchar,              -- dq.reports.report_uid (the checks' own report key)
    first_seen_run_id  varchar not null,
    first_seen_at      timestamp not null,
    last_seen_run_id   varchar not null,
    last_seen_at       timestamp not null,
    alerted_at         timestamp
);
-- Which facts a violation involves, and the one its repair changes (alter: an existing warehouse gains them).
alter table dq.violations add column if not exists fact_ids varchar[];
alter table dq.violations add column if not exists repair_fact_id varchar;

-- One row per run of the checks.
create table if not exists dq.validation_runs (
    run_id             varchar primary key,
    started_at         timestamp not null,
    finished_at        timestamp,
    success            boolean not null,     -- every expectation met
    n_expectations     integer not null,
    n_failed           integer not null,
    n_violations       integer not null,
    n_new_violations   integer not null,
    n_errors           integer not null,
    n_warnings         integer not null,
    n_reports          integer,
    data_docs_path     varchar,
    gx_version         varchar
);

-- The rule vocabulary of the checks (cchc.quality.rules.rule_vocabulary()), rewritten by every run.
create table if not exists dq.rules (
    rule               varchar primary key,
    rule_order         integer not null,
    identity           varchar not null,     -- the identity in words
    severity_logic     varchar not null      -- when a break is an error and when a warning
);
