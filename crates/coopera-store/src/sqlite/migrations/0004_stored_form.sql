-- Records are kept in the store's own stored form (the checked record as JSON), apart from
-- the document format users write. The schema does not change: the migration's Rust step
-- (`rewrite_in_stored_form`) rewrites each record's `doc` from the document it held. The
-- history keeps the forms its rows were written in; it is read either way.
SELECT 1;
