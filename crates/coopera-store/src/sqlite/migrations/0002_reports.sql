-- What the report engine reads besides version 1's index: dated money with the parties'
-- activities (to merge flows reported by both publishers), in-kind units, related activities,
-- SDGs, the cross-border agenda, and the exchange-rate table.
-- After this script the program re-indexes every stored activity from its document, so rows
-- written by version 1 gain the new columns and tables too.

-- The best known start and end dates (actual, else planned) and the cross-border border.
ALTER TABLE activity ADD COLUMN start_date TEXT;
ALTER TABLE activity ADD COLUMN end_date TEXT;
ALTER TABLE activity ADD COLUMN border TEXT;

-- For transactions: the value date (used to convert currencies), the provider organisation
-- and the activities on both sides (IATI provider-activity-id, receiver-activity-id).
ALTER TABLE activity_money ADD COLUMN value_date TEXT;
ALTER TABLE activity_money ADD COLUMN provider_org TEXT;
ALTER TABLE activity_money ADD COLUMN provider_activity TEXT;
ALTER TABLE activity_money ADD COLUMN receiver_activity TEXT;

-- Every in-kind contribution, with or without its own unit value.
CREATE TABLE activity_in_kind (
    activity_id INTEGER NOT NULL REFERENCES activity (id) ON DELETE CASCADE,
    unit        TEXT NOT NULL,
    quantity    TEXT NOT NULL,
    unit_value  TEXT,
    currency    TEXT
);
CREATE INDEX activity_in_kind_activity ON activity_in_kind (activity_id);

CREATE TABLE activity_related (
    activity_id INTEGER NOT NULL REFERENCES activity (id) ON DELETE CASCADE,
    -- IATI RelatedActivityType
    kind        TEXT NOT NULL,
    identifier  TEXT NOT NULL
);
CREATE INDEX activity_related_activity ON activity_related (activity_id);

-- SDG goals ("5") and targets ("5.2") of the activity's `sdgs` list.
CREATE TABLE activity_sdg (
    activity_id INTEGER NOT NULL REFERENCES activity (id) ON DELETE CASCADE,
    code        TEXT NOT NULL
);
CREATE INDEX activity_sdg_activity ON activity_sdg (activity_id);

-- The dimensions of the cross-border agenda an activity serves.
CREATE TABLE activity_agenda (
    activity_id INTEGER NOT NULL REFERENCES activity (id) ON DELETE CASCADE,
    dimension   TEXT NOT NULL
);
CREATE INDEX activity_agenda_activity ON activity_agenda (activity_id);

-- Units of a currency per US dollar, for a day (start = end) or a period (a month, a year).
-- Reference data, not records: a load replaces the rate of the same currency and period.
CREATE TABLE exchange_rate (
    currency      TEXT NOT NULL,
    period_start  TEXT NOT NULL,
    period_end    TEXT NOT NULL,
    units_per_usd TEXT NOT NULL,
    source        TEXT NOT NULL,
    PRIMARY KEY (currency, period_start, period_end)
);
