-- Schema of the cluster-policy database: the data contract of DESIGN.md plus a few helper tables.
-- params: none
-- returns: nothing; creates every table with its constraints (DuckDB cannot add CHECK or FOREIGN KEY later)

create table source (
    source_id  varchar primary key check (regexp_full_match(source_id, '[a-z0-9_]+')),
    title      varchar not null check (length(title) > 0),
    title_en   varchar,
    publisher  varchar not null,
    url        varchar check (url is null or regexp_full_match(url, 'https?://\S+')),
    published  date,
    kind       varchar not null check (kind in ('published', 'derived', 'illustrative')),
    note       varchar
);

create table cluster (
    cluster_id      varchar primary key check (regexp_full_match(cluster_id, '[a-z0-9_]+')),
    name            varchar not null check (length(name) > 0),
    domain          varchar not null,
    domain_nl       varchar,
    type            varchar not null check (type in ('spearhead', 'ibn')),
    recognised_year smallint not null check (recognised_year between 2000 and 2100),
    ended_year      smallint check (ended_year is null or ended_year >= recognised_year),
    website         varchar,
    source_id       varchar not null references source (source_id),
    ended_source_id varchar references source (source_id),
    check (ended_year is null or ended_source_id is not null)
);

create table basic_funding (
    cluster_id varchar not null references cluster (cluster_id),
    year       smallint not null check (year between 2000 and 2100),
    public_eur decimal(14, 2) not null check (public_eur >= 0),
    member_eur decimal(14, 2) not null check (member_eur >= 0),
    source_id  varchar not null references source (source_id),
    primary key (cluster_id, year)
);

create table earmarked_budget (
    year       smallint not null check (year between 2000 and 2100),
    envelope   varchar not null check (envelope in ('cluster_projects', 'intercluster_projects')),
    cluster_id varchar references cluster (cluster_id),
    amount_eur decimal(14, 2) not null check (amount_eur >= 0),
    source_id  varchar not null references source (source_id),
    note       varchar
);
-- cluster_id null means "all clusters"; a primary key cannot hold nulls, so the key is an expression index
create unique index earmarked_budget_key on earmarked_budget (year, envelope, (coalesce(cluster_id, '*')));

create table intercluster_project (
    project_id varchar primary key,
    title      varchar not null check (length(title) > 0),
    theme      varchar not null,
    start_year smallint not null check (start_year between 2000 and 2100),
    end_year   smallint not null check (end_year between 2000 and 2100),
    budget_eur decimal(14, 2) not null check (budget_eur >= 0),
    public_eur decimal(14, 2) not null check (public_eur >= 0),
    source_id  varchar not null references source (source_id),
    check (end_year >= start_year),
    check (public_eur <= budget_eur)
);

create table project_cluster (
    project_id varchar not null references intercluster_project (project_id),
    cluster_id varchar not null references cluster (cluster_id),
    primary key (project_id, cluster_id)
);

create table kpi (
    kpi_id           varchar primary key check (regexp_full_match(kpi_id, '[a-z0-9_]+')),
    name_nl          varchar not null,
    name_en          varchar not null,
    unit             varchar not null check (unit in ('count', 'pct', 'eur')),
    higher_is_better boolean not null,
    recommendation   varchar not null,
    definition_nl    varchar,
    definition_en    varchar
);

create table kpi_value (
    cluster_id      varchar not null references cluster (cluster_id),
    kpi_id          varchar not null references kpi (kpi_id),
    year            smallint not null check (year between 2000 and 2100),
    value           decimal(18, 4) not null,
    source_id       varchar not null references source (source_id),
    value_qualifier varchar check (value_qualifier is null or value_qualifier in ('about', 'more_than')),
    primary key (cluster_id, kpi_id, year)
);

create table kpi_target (
    cluster_id varchar not null references cluster (cluster_id),
    kpi_id     varchar not null references kpi (kpi_id),
    year       smallint not null check (year between 2000 and 2100),
    target     decimal(18, 4) not null,
    source_id  varchar not null references source (source_id),
    primary key (cluster_id, kpi_id, year)
);

create table policy_parameter (
    parameter_id varchar primary key,
    value        decimal(18, 4) not null,
    unit         varchar not null check (unit in ('share', 'eur', 'years')),
    label_nl     varchar not null,
    label_en     varchar not null,
    source_id    varchar not null references source (source_id)
);

create table published_fact (
    fact_id   varchar primary key,
    label_nl  varchar not null,
    label_en  varchar not null,
    value     decimal(18, 2) not null,
    unit      varchar not null check (unit in ('count', 'eur', 'pct')),
    period    varchar not null,
    qualifier varchar check (qualifier is null or qualifier in ('about', 'more_than')),
    source_id varchar not null references source (source_id)
);

create table scenario_preset (
    preset_id        varchar primary key,
    position         smallint not null unique,
    name_nl          varchar not null,
    name_en          varchar not null,
    description_nl   varchar not null,
    description_en   varchar not null,
    first_year       smallint not null check (first_year between 2000 and 2100),
    last_year        smallint not null check (last_year between 2000 and 2100),
    share_start      decimal(6, 4) not null check (share_start between 0 and 1),
    share_end        decimal(6, 4) not null check (share_end between 0 and 1),
    cap_eur          decimal(14, 2) not null check (cap_eur >= 0),
    cap_indexation   decimal(6, 4) not null,
    budget_growth    decimal(6, 4) not null,
    basic_end_year   smallint,
    new_clusters     smallint not null check (new_clusters >= 0),
    new_from_year    smallint not null,
    new_budget_eur   decimal(14, 2) not null check (new_budget_eur >= 0),
    new_ramp_years   smallint not null check (new_ramp_years >= 1),
    perf_share       decimal(6, 4) not null check (perf_share between 0 and 1),
    cp_factor        decimal(6, 4) not null check (cp_factor >= 0),
    cp_growth        decimal(6, 4) not null,
    ic_factor        decimal(6, 4) not null check (ic_factor >= 0),
    ic_growth        decimal(6, 4) not null,
    ceiling_eur      decimal(14, 2) check (ceiling_eur is null or ceiling_eur >= 0),
    scale_to_ceiling boolean not null,
    source_id        varchar not null references source (source_id),
    check (last_year >= first_year)
);

create table data_version (
    version      varchar not null,
    content_hash varchar not null,
    built_at     timestamp not null,
    origin       varchar not null
);
