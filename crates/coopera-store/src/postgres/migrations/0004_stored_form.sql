-- Records in the store's own stored form: no change to the schema (no PostgreSQL registry
-- predates the stored form, so there is nothing to rewrite).
SELECT 1;
