-- Accounts, their API tokens and web sessions, failed sign-ins (for throttling), and the audit
-- trail: the change history gains what else happened (sign-ins, account changes, token use,
-- exports, transitions), from which address, and a hash chain that makes any edit or removal
-- of a row visible (`coopera audit verify`).

CREATE TABLE account (
    name                TEXT PRIMARY KEY,
    role                TEXT NOT NULL,
    scope               TEXT NOT NULL,
    -- argon2id, as a PHC string (algorithm, parameters, salt and hash).
    password_hash       TEXT NOT NULL,
    disabled            INTEGER NOT NULL DEFAULT 0,
    created_at          TEXT NOT NULL,
    password_changed_at TEXT NOT NULL
);

-- An API token is shown once; only its BLAKE2b-256 digest is kept.
CREATE TABLE api_token (
    id           INTEGER PRIMARY KEY,
    account      TEXT NOT NULL REFERENCES account (name),
    label        TEXT NOT NULL,
    hash         TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    last_used_at INTEGER,
    revoked_at   TEXT
);
CREATE INDEX api_token_account ON api_token (account);

-- A web session: its id is in the browser's cookie; only its digest is kept here.
CREATE TABLE web_session (
    hash       TEXT PRIMARY KEY,
    account    TEXT NOT NULL REFERENCES account (name),
    csrf       TEXT NOT NULL,
    -- Unix seconds: absolute expiry counts from `started`, idle expiry from `seen`.
    started    INTEGER NOT NULL,
    seen       INTEGER NOT NULL,
    address    TEXT,
    ended      INTEGER
);
CREATE INDEX web_session_account ON web_session (account);

-- Failed sign-ins, by the name typed (whether or not such an account exists) and address.
CREATE TABLE sign_in_failure (
    name    TEXT NOT NULL,
    address TEXT NOT NULL,
    at      INTEGER NOT NULL
);
CREATE INDEX sign_in_failure_name ON sign_in_failure (name, at);
CREATE INDEX sign_in_failure_address ON sign_in_failure (address, at);

-- The audit trail is the change history. `action` is `create` or `update` for a change of a
-- record (whose `event` says how: edit, import, transition) and `event` otherwise; `detail`
-- holds a transition's reason, a token's label, an export's selection; `after_hash` is the
-- digest of the record's document after the change. `hash` covers the row and `prev_hash`,
-- the hash of the row before it.
ALTER TABLE change_history ADD COLUMN event TEXT NOT NULL DEFAULT 'edit';
ALTER TABLE change_history ADD COLUMN address TEXT;
ALTER TABLE change_history ADD COLUMN detail TEXT;
ALTER TABLE change_history ADD COLUMN after_hash TEXT;
ALTER TABLE change_history ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE change_history ADD COLUMN hash TEXT NOT NULL DEFAULT '';
CREATE INDEX change_history_author ON change_history (author, id);

