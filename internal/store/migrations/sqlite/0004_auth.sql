-- Signing in. users.password_hash (since 0001, empty until a password is
-- set, and then nobody signs in as the user) holds an argon2id hash in PHC
-- form, whose parameters travel with it. failed_logins counts wrong
-- passwords in a row; the fifth locks the user until locked_until and
-- starts the count again. Timestamps are TEXT RFC 3339 in UTC, as in 0001;
-- the store compares them in Go, not in SQL, since RFC 3339 with a
-- variable number of decimals does not sort as text.
ALTER TABLE users ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locked_until TEXT;
ALTER TABLE users ADD COLUMN password_changed_at TEXT;

-- Web sessions. The cookie holds a random token and this table only its
-- SHA-256 (hexadecimal), so a copy of the database signs nobody in. A
-- session ends at expires_at, after an idle while since last_seen_at
-- (which is written at most once a minute, not on every request), or when
-- revoked_at is set: by signing out, a password reset or disabling the
-- user. A user's ended sessions are deleted when the user signs in again.
CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    revoked_at   TEXT,
    user_agent   TEXT NOT NULL DEFAULT '',
    remote_addr  TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions (user_id);

-- Tokens of programs that call jiti on a user's behalf, kept as digests
-- like sessions; shown once when made. Revoked tokens stay, so the list
-- and the audit log can name them.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
