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
    kind       varchar not null check (kind in ('published', 'internal', 'derived', 'illustrative')),
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

-- the budget ceiling for the whole package (basic operation and both envelopes), one amount a year:
-- a multi-year budget estimate, imported with its source; a scenario may take it as its ceiling path
create table budget_ceiling (
    year       smallint primary key check (year between 2020 and 2060),
    amount_eur decimal(14, 2) not null check (amount_eur between 1 and 10000000000),
    source_id  varchar not null references source (source_id),
    note       varchar
);

-- how fast one cluster's members can raise their contribution, where it is known (a survey, a
-- business plan); a scenario that limits members' contributions uses it instead of its own rate
create table member_capacity (
    cluster_id varchar primary key references cluster (cluster_id),
    growth     decimal(6, 4) not null check (growth between -0.10 and 0.30),
    source_id  varchar not null references source (source_id),
    note       varchar
);

-- the confidentiality marking of this data version, set by the data steward (at most one row); without a
-- row, a version that holds the administration's internal figures carries the default marking
create table classification (
    scope      varchar primary key check (scope = 'all'),
    marking_nl varchar not null check (length(marking_nl) between 1 and 120),
    marking_en varchar not null check (length(marking_en) between 1 and 120),
    note       varchar
);

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
    value_qualifier varchar check (value_qualifier is null or value_qualifier in ('about', 'more_than', 'nearly')),
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
    qualifier varchar check (qualifier is null or qualifier in ('about', 'more_than', 'nearly')),
    source_id varchar not null references source (source_id)
);

-- A preset's ranges are those of clusterpolicy/paramspec.py (tests/test_paramspec.py holds the two equal):
-- a preset the database takes is one the model, the editor and a link take too.
create table scenario_preset (
    preset_id        varchar primary key,
    position         smallint not null unique,
    name_nl          varchar not null check (length(name_nl) between 1 and 60),
    name_en          varchar not null check (length(name_en) between 1 and 60),
    description_nl   varchar not null,
    description_en   varchar not null,
    first_year       smallint not null check (first_year between 2020 and 2060),
    last_year        smallint not null check (last_year between 2020 and 2060),
    share_start      decimal(6, 4) not null check (share_start between 0 and 1),
    share_end        decimal(6, 4) not null check (share_end between 0 and 1),
    cap_eur          decimal(14, 2) not null check (cap_eur between 0 and 5000000),
    cap_indexation   decimal(6, 4) not null check (cap_indexation between -0.10 and 0.20),
    budget_growth    decimal(6, 4) not null check (budget_growth between -0.20 and 0.30),
    basic_end_year   smallint check (basic_end_year is null or basic_end_year between 2020 and 2060),
    new_clusters     smallint not null check (new_clusters between 0 and 20),
    new_from_year    smallint not null check (new_from_year between 2020 and 2060),
    new_budget_eur   decimal(14, 2) not null check (new_budget_eur between 0 and 5000000),
    new_ramp_years   smallint not null check (new_ramp_years between 1 and 10),
    themes_as_projects boolean not null,
    theme_project_eur  decimal(14, 2) not null check (theme_project_eur between 0 and 5000000),
    theme_public_share decimal(6, 4) not null check (theme_public_share between 0 and 1),
    member_cap       boolean not null,
    member_growth    decimal(6, 4) not null check (member_growth between -0.10 and 0.30),
    perf_share       decimal(6, 4) not null check (perf_share between 0 and 1),
    cp_factor        decimal(6, 4) not null check (cp_factor >= 0),
    cp_growth        decimal(6, 4) not null check (cp_growth between -0.20 and 0.30),
    ic_factor        decimal(6, 4) not null check (ic_factor >= 0),
    ic_growth        decimal(6, 4) not null check (ic_growth between -0.20 and 0.30),
    ceiling_eur      decimal(14, 2) check (ceiling_eur is null or ceiling_eur between 1 and 10000000000),
    scale_to_ceiling boolean not null,
    source_id        varchar not null references source (source_id),
    check (last_year >= first_year),
    check (last_year - first_year < 30)
);

-- Value against target per cluster, KPI and year, turned so that 1 means on target (null when either is not
-- positive). The one definition of attainment; the queries read it rather than repeat the rule.
create view kpi_attainment as
select
    v.cluster_id,
    v.kpi_id,
    v.year,
    v.value::double as value,
    t.target::double as target,
    case
        when t.target <= 0 or v.value <= 0 then null
        when k.higher_is_better then v.value::double / t.target::double
        else t.target::double / v.value::double
    end as attainment,
    v.source_id as value_source,
    t.source_id as target_source
from kpi_value v
join kpi_target t using (cluster_id, kpi_id, year)
join kpi k using (kpi_id);

create table data_version (
    version      varchar not null,
    content_hash varchar not null,
    built_at     timestamp not null,
    origin       varchar not null
);

create table import_log (
    imported_at    timestamp not null,
    table_name     varchar not null,
    mode           varchar not null check (mode in ('replace', 'upsert')),
    file_name      varchar not null,
    file_sha256    varchar not null,
    rows_added     integer not null,
    rows_changed   integer not null,
    rows_removed   integer not null,
    version_before varchar not null,
    version_after  varchar not null
);

-- Column descriptions: shown on the data page and in the import templates.
comment on column source.source_id is 'Short identifier other tables cite (lower case, digits, underscores)';
comment on column source.title is 'Title of the page or document, as published';
comment on column source.title_en is 'English title for sources this dashboard made itself (optional)';
comment on column source.publisher is 'Who published it (VLAIO, VARIO, dvo.be, ...)';
comment on column source.url is 'Web address (http or https); empty for values this dashboard made';
comment on column source.published is 'Publication date (YYYY-MM-DD) where known';
comment on column source.kind is 'published, internal (the administration''s own records, not published), derived (inferred by arithmetic or reasoning) or illustrative (made up within the published rules)';
comment on column source.note is 'What the source says, or the rule used for derived and illustrative values';
comment on column cluster.cluster_id is 'Short identifier (lower case, digits, underscores)';
comment on column cluster.name is 'Name of the cluster or network';
comment on column cluster.domain is 'Domain in English';
comment on column cluster.domain_nl is 'Domain in Dutch';
comment on column cluster.type is 'spearhead (speerpuntcluster) or ibn (innovative business network)';
comment on column cluster.recognised_year is 'Year of recognition';
comment on column cluster.ended_year is 'Last year of support; empty while active';
comment on column cluster.website is 'Website without https://';
comment on column cluster.source_id is 'Source of the recognition';
comment on column cluster.ended_source_id is 'Source of the end year (required when ended_year is set)';
comment on column basic_funding.cluster_id is 'Cluster (cluster.cluster_id)';
comment on column basic_funding.year is 'Year';
comment on column basic_funding.public_eur is 'Basic-operation subsidy from VLAIO in euro';
comment on column basic_funding.member_eur is 'Members'' co-financing of the basic operation in euro';
comment on column basic_funding.source_id is 'Source of both amounts';
comment on column member_capacity.cluster_id is 'Cluster';
comment on column member_capacity.growth is 'Highest yearly growth of its members'' contribution (0.02 = 2 % a year)';
comment on column member_capacity.source_id is 'Source of the figure';
comment on column member_capacity.note is 'Note (optional)';
comment on column budget_ceiling.year is 'Budget year';
comment on column budget_ceiling.amount_eur is 'Ceiling for the whole package that year (basic operation and both envelopes), in euro';
comment on column budget_ceiling.source_id is 'Source of the amount (the multi-year budget estimate)';
comment on column budget_ceiling.note is 'Note (optional)';
comment on column earmarked_budget.year is 'Year';
comment on column earmarked_budget.envelope is 'cluster_projects or intercluster_projects';
comment on column earmarked_budget.cluster_id is 'Cluster the amount is for; empty for the envelope of all clusters';
comment on column earmarked_budget.amount_eur is 'Earmarked amount in euro';
comment on column earmarked_budget.source_id is 'Source of the amount';
comment on column earmarked_budget.note is 'Remarks, e.g. that the source gives an approximate figure';
comment on column intercluster_project.project_id is 'Project identifier';
comment on column intercluster_project.title is 'Project title';
comment on column intercluster_project.theme is 'Transition theme (circular_economy, energy, industry_4_0, health, logistics, blue_economy, ...)';
comment on column intercluster_project.start_year is 'First year';
comment on column intercluster_project.end_year is 'Last year (not before start_year)';
comment on column intercluster_project.budget_eur is 'Total project budget in euro';
comment on column intercluster_project.public_eur is 'Public support in euro (at most the budget)';
comment on column intercluster_project.source_id is 'Source of the project data';
comment on column project_cluster.project_id is 'Project (intercluster_project.project_id)';
comment on column project_cluster.cluster_id is 'Participating cluster (cluster.cluster_id)';
comment on column kpi.kpi_id is 'Short identifier of the indicator';
comment on column kpi.name_nl is 'Name in Dutch';
comment on column kpi.name_en is 'Name in English';
comment on column kpi.unit is 'count, pct (0-100) or eur';
comment on column kpi.higher_is_better is 'true when a higher value is better';
comment on column kpi.recommendation is 'VARIO recommendation the indicator evidences (e.g. 1.3)';
comment on column kpi.definition_nl is 'Definition in Dutch';
comment on column kpi.definition_en is 'Definition in English';
comment on column kpi_value.cluster_id is 'Cluster (cluster.cluster_id)';
comment on column kpi_value.kpi_id is 'Indicator (kpi.kpi_id)';
comment on column kpi_value.year is 'Year';
comment on column kpi_value.value is 'Value in the indicator''s unit';
comment on column kpi_value.source_id is 'Source of the value';
comment on column kpi_value.value_qualifier is 'about or more_than when the source says so; empty otherwise';
comment on column kpi_target.cluster_id is 'Cluster (cluster.cluster_id)';
comment on column kpi_target.kpi_id is 'Indicator (kpi.kpi_id)';
comment on column kpi_target.year is 'Year';
comment on column kpi_target.target is 'Target in the indicator''s unit';
comment on column kpi_target.source_id is 'Source of the target';
comment on column classification.scope is 'all: the marking applies to every page and file of this data version';
comment on column classification.marking_nl is 'Marking in Dutch, e.g. Vertrouwelijk – voorbereidend document, niet verspreiden';
comment on column classification.marking_en is 'Marking in English, e.g. Confidential – pre-decision, do not distribute';
comment on column classification.note is 'Who decided the marking, and why (optional)';
