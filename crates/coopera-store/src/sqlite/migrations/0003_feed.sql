-- The change feed: one entry per record a write changed (created, updated, or re-derived when
-- an organisation it names changed) and one per change of exchange rates. Servers follow it to
-- keep their views of the registry up to date with writes made by any process.
CREATE TABLE change_feed (
    seq  INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    key  TEXT NOT NULL
);
