-- Good practices of the federal government, of states and of municipalities: the record in
-- `doc`; its title in Spanish for people reading the database.
CREATE TABLE good_practice (
    id    INTEGER PRIMARY KEY,
    key   TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    doc   TEXT NOT NULL
);
