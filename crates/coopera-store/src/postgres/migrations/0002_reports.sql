-- What the report engine reads besides version 1's index (see SQLite's 0002_reports.sql).

ALTER TABLE activity ADD COLUMN start_date TEXT;
ALTER TABLE activity ADD COLUMN end_date TEXT;
ALTER TABLE activity ADD COLUMN border TEXT;

ALTER TABLE activity_money ADD COLUMN value_date TEXT;
ALTER TABLE activity_money ADD COLUMN provider_org TEXT;
ALTER TABLE activity_money ADD COLUMN provider_activity TEXT;
ALTER TABLE activity_money ADD COLUMN receiver_activity TEXT;

CREATE TABLE activity_in_kind (
    n           BIGINT GENERATED ALWAYS AS IDENTITY,
    activity_id BIGINT NOT NULL REFERENCES activity (id) ON DELETE CASCADE,
    unit        TEXT NOT NULL,
    quantity    TEXT NOT NULL,
    unit_value  TEXT,
    currency    TEXT
);
CREATE INDEX activity_in_kind_activity ON activity_in_kind (activity_id, n);

CREATE TABLE activity_related (
    n           BIGINT GENERATED ALWAYS AS IDENTITY,
    activity_id BIGINT NOT NULL REFERENCES activity (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    identifier  TEXT NOT NULL
);
CREATE INDEX activity_related_activity ON activity_related (activity_id, n);

CREATE TABLE activity_sdg (
    n           BIGINT GENERATED ALWAYS AS IDENTITY,
    activity_id BIGINT NOT NULL REFERENCES activity (id) ON DELETE CASCADE,
    code        TEXT NOT NULL
);
CREATE INDEX activity_sdg_activity ON activity_sdg (activity_id, n);

CREATE TABLE activity_agenda (
    n           BIGINT GENERATED ALWAYS AS IDENTITY,
    activity_id BIGINT NOT NULL REFERENCES activity (id) ON DELETE CASCADE,
    dimension   TEXT NOT NULL
);
CREATE INDEX activity_agenda_activity ON activity_agenda (activity_id, n);

CREATE TABLE exchange_rate (
    currency      TEXT NOT NULL,
    period_start  TEXT NOT NULL,
    period_end    TEXT NOT NULL,
    units_per_usd TEXT NOT NULL,
    source        TEXT NOT NULL,
    PRIMARY KEY (currency, period_start, period_end)
);
