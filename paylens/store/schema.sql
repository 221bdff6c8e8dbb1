-- PayLens store schema: sources with provenance, then build-time aggregates.
create table build_info (
    build_id varchar not null,      -- sha256 of every source file in data/
    built_at timestamp not null,
    synthetic boolean not null,
    counts varchar not null         -- json: table -> rows
);

create table platforms (
    platform_id varchar primary key,
    name varchar not null,
    short_name varchar not null,
    name_zh varchar,
    operator varchar,
    parent_group varchar,
    launched varchar,
    notes varchar,
    kind varchar not null           -- payment | aggregate | ai_product
);

create table metric_catalogue (
    metric varchar primary key,
    label varchar not null,
    family varchar not null,
    research_firm varchar,
    unit varchar not null,          -- comma-joined when a metric is published in several units
    headline boolean not null,
    description varchar not null
);

create table metric_values (
    platform_id varchar not null,
    metric varchar not null,
    period varchar not null,
    period_start date not null,
    period_end date not null,
    value double not null,
    unit varchar not null,
    source_publisher varchar not null,
    source_title varchar,
    source_url varchar not null,
    source_date varchar,
    -- source_date as a day when it is a full date (YYYY-MM-DD), else null: written by the build so the digest's
    -- window test reads a date column instead of parsing 100M texts
    source_day date,
    confidence varchar not null,
    note varchar,
    source_file varchar not null,
    source_line integer not null,
    synthetic boolean not null default false
);

create table events (
    date date not null,
    platform_id varchar not null,
    category varchar not null,
    title varchar not null,
    description varchar,
    source_url varchar,
    source_publisher varchar,
    source_line integer
);

create table articles (
    article_id varchar primary key, -- first 16 hex digits of the body's sha256
    file varchar not null,
    title varchar not null,
    url varchar,
    publisher varchar,
    date date,
    lang varchar not null,
    body varchar not null,
    synthetic boolean not null default false,
    fetched_at timestamp            -- when `paylens ingest URL` / `watch` fetched it (UTC); null for hand-added files
);

create table signal_hits (
    article_id varchar not null,
    platform_id varchar not null,
    signal varchar not null,
    stance varchar not null,
    evidence varchar not null,
    sentence_idx integer not null,
    score double not null,
    rival varchar not null default ''  -- competitive_threat: the platform that moves (platform_id is threatened; rival = platform_id: it is the mover)
);

-- Analysts' corrections of hits (data/corrections.csv); `applied` and `hits` say what the latest one per key did.
create table hit_corrections (
    article_id varchar not null,
    sentence_idx integer not null,
    platform_id varchar not null,
    signal varchar not null,
    action varchar not null,        -- wrong_platform (hit dropped, or moved to right_platform) | not_signal (dropped) | stance (stance replaced)
    stance varchar not null,        -- the right stance for action 'stance', else ''
    reason varchar not null,
    who varchar not null,
    corrected_at timestamp not null,
    right_platform varchar not null default '',  -- wrong_platform: where the hit moved ('' = dropped)
    applied boolean not null,
    hits integer not null           -- signal_hits rows it dropped or changed
);

-- A story found again under another URL (data/intake/also_in.csv): "also in N sources".
create table article_sources (
    article_id varchar not null,    -- the original in articles
    url varchar not null,
    publisher varchar,
    title varchar,
    date date,
    similarity double not null,     -- shingle containment with the original (paylens.web.dedup)
    found_at timestamp not null
);

-- One row per feed per `paylens watch` run (data/intake/feed_runs.csv).
create table feed_runs (
    run_at timestamp not null,      -- UTC
    feed varchar not null,
    feed_url varchar not null,
    items_seen integer not null,
    added integer not null,
    skipped_duplicate integer not null,
    skipped_off_topic integer not null,
    errors integer not null,
    error_detail varchar
);
