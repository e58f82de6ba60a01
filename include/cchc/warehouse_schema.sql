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
-- Publication identity (cchc.extract.identity); added after the first release, hence alter.
alter table raw.articles add column if not exists canonical_url varchar;  -- address key: no scheme, www, tracking, trailing slash
alter table raw.articles add column if not exists text_hash varchar;      -- sha256 of the folded text: exact copies
alter table raw.articles add column if not exists simhash bigint;         -- trafilatura's 64-bit Simhash: near copies
alter table raw.articles add column if not exists figures_hash varchar;   -- sha256 of the figures in order: a near copy states the same

-- One row per stated fact: the contract of docs/domain.md, traced to its sentence.
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
