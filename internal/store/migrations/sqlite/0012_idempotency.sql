-- The answers of the API's POSTs sent with an Idempotency-Key, so that a
-- client that sends the same request again (its connection dropped before
-- the answer came) gets the first answer instead of a second voucher.
-- A key is the user's own: (user_id, idem_key). request_hash is the SHA-256
-- of the method, path and body; the same key with another request is
-- refused. status is 0 while the first request runs. Times are Unix
-- milliseconds; rows older than a day are deleted as new ones are written.
CREATE TABLE idempotency_keys (
    user_id      INTEGER NOT NULL REFERENCES users (id),
    idem_key     TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status       INTEGER NOT NULL DEFAULT 0,
    location     TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (user_id, idem_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
