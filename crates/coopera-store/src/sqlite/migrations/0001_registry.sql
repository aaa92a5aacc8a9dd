-- The registry: each record kind keeps its canonical JSON document in `doc`, and the columns
-- and child tables that lists, filters and reports read without decoding documents.
-- Child rows are rewritten whenever their record changes.

CREATE TABLE organisation (
    id          INTEGER PRIMARY KEY,
    key         TEXT NOT NULL UNIQUE,
    name_es     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    acronym     TEXT,
    kind        TEXT NOT NULL,
    level       TEXT NOT NULL,
    country     TEXT,
    mx_state    TEXT,
    doc         TEXT NOT NULL
);

CREATE TABLE activity (
    id               INTEGER PRIMARY KEY,
    key              TEXT NOT NULL UNIQUE,
    reporting_org    TEXT NOT NULL,
    title_es         TEXT NOT NULL,
    title_en         TEXT NOT NULL,
    instrument       TEXT NOT NULL,
    cooperation_type TEXT NOT NULL,
    modality         TEXT NOT NULL,
    status           TEXT NOT NULL,
    workflow         TEXT NOT NULL,
    south_south      INTEGER NOT NULL,
    north_south      INTEGER NOT NULL,
    -- Derived when written, from participants, their organisations and places.
    direction        TEXT,
    decentralised    INTEGER NOT NULL,
    cross_border     INTEGER NOT NULL,
    start_year       INTEGER,
    end_year         INTEGER,
    doc              TEXT NOT NULL
);
CREATE INDEX activity_direction ON activity (direction, start_year);

CREATE TABLE activity_participant (
    activity_id INTEGER NOT NULL REFERENCES activity (id) ON DELETE CASCADE,
    org_key     TEXT NOT NULL,
    role        TEXT NOT NULL
);
CREATE INDEX activity_participant_activity ON activity_participant (activity_id);
CREATE INDEX activity_participant_org ON activity_participant (org_key);

CREATE TABLE activity_sector (
    activity_id INTEGER NOT NULL REFERENCES activity (id) ON DELETE CASCADE,
    vocabulary  TEXT NOT NULL,
    code        TEXT NOT NULL,
    percentage  TEXT NOT NULL
);
CREATE INDEX activity_sector_activity ON activity_sector (activity_id);

CREATE TABLE activity_place (
    activity_id INTEGER NOT NULL REFERENCES activity (id) ON DELETE CASCADE,
    -- 'country', 'region' or 'mx_state'
    kind        TEXT NOT NULL,
    code        TEXT NOT NULL,
    percentage  TEXT
);
CREATE INDEX activity_place_activity ON activity_place (activity_id);

CREATE TABLE activity_money (
    activity_id INTEGER NOT NULL REFERENCES activity (id) ON DELETE CASCADE,
    -- 'budget', 'in_kind' or 'transaction:<IATI TransactionType>'
    kind        TEXT NOT NULL,
    date        TEXT,
    amount      TEXT NOT NULL,
    currency    TEXT NOT NULL
);
CREATE INDEX activity_money_activity ON activity_money (activity_id);

CREATE TABLE capacity (
    id          INTEGER PRIMARY KEY,
    key         TEXT NOT NULL UNIQUE,
    institution TEXT NOT NULL,
    doc         TEXT NOT NULL
);

CREATE TABLE capacity_sector (
    capacity_id INTEGER NOT NULL REFERENCES capacity (id) ON DELETE CASCADE,
    vocabulary  TEXT NOT NULL,
    code        TEXT NOT NULL,
    percentage  TEXT NOT NULL
);
CREATE INDEX capacity_sector_capacity ON capacity_sector (capacity_id);

CREATE TABLE demand (
    id        INTEGER PRIMARY KEY,
    key       TEXT NOT NULL UNIQUE,
    requester TEXT NOT NULL,
    doc       TEXT NOT NULL
);

CREATE TABLE subnational_action (
    id      INTEGER PRIMARY KEY,
    key     TEXT NOT NULL UNIQUE,
    actor   TEXT NOT NULL,
    kind    TEXT NOT NULL,
    date    TEXT NOT NULL,
    country TEXT,
    doc     TEXT NOT NULL
);

CREATE TABLE agreement (
    id     INTEGER PRIMARY KEY,
    key    TEXT NOT NULL UNIQUE,
    signed TEXT NOT NULL,
    doc    TEXT NOT NULL
);

CREATE TABLE network_membership (
    id      INTEGER PRIMARY KEY,
    key     TEXT NOT NULL UNIQUE,
    network TEXT NOT NULL,
    member  TEXT NOT NULL,
    doc     TEXT NOT NULL
);

-- The audit trail: one row per record created or updated, never rewritten.
CREATE TABLE change_history (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    author      TEXT NOT NULL,
    record_kind TEXT NOT NULL,
    record_key  TEXT NOT NULL,
    action      TEXT NOT NULL,
    before      TEXT,
    after       TEXT
);
CREATE INDEX change_history_record ON change_history (record_kind, record_key);
