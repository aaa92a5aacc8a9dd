-- The change feed (see SQLite's 0003_feed.sql). Writers hold the registry's write lock, so
-- entries are numbered in the order their writes commit; a NOTIFY on `coopera_feed` tells
-- other processes to read it.
CREATE TABLE change_feed (
    seq  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind TEXT NOT NULL,
    key  TEXT NOT NULL
);
