-- Importing the same thing twice.
--
-- A voucher's fingerprint (ledger.Voucher.Fingerprint) is shared by the
-- vouchers that repeat one another: the same date, summary and lines. The
-- first voucher of a collective with a fingerprint is the one its later
-- copies repeat (a possible duplicate, flagged in lists and import reports);
-- the index finds it. Vouchers the program makes have none. Vouchers older
-- than this migration get theirs when it is applied (store.fillFingerprints).
ALTER TABLE vouchers ADD COLUMN fingerprint INTEGER;
CREATE INDEX vouchers_fingerprint ON vouchers (collective_id, fingerprint, id) WHERE fingerprint IS NOT NULL;

-- A record of each import, one row per collective it wrote into: who, when,
-- from which file (its name and the SHA-256 of its bytes), what it held
-- (the hash of the vouchers as read, ledger.Content, by which the same
-- content is known again in another file) and what it made (its vouchers'
-- count, ids and dates). again_of names the earlier import of the same
-- content that the user chose to import again.
CREATE TABLE imports (
    id            INTEGER PRIMARY KEY,
    collective_id INTEGER NOT NULL REFERENCES collectives (id),
    user_id       INTEGER NOT NULL REFERENCES users (id),
    at            TEXT NOT NULL,
    file_name     TEXT NOT NULL,
    file_sha256   TEXT NOT NULL,
    content_hash  TEXT NOT NULL,
    vouchers      INTEGER NOT NULL,
    lines         INTEGER NOT NULL,
    first_id      INTEGER NOT NULL,
    last_id       INTEGER NOT NULL,
    first_date    TEXT NOT NULL,
    last_date     TEXT NOT NULL,
    repeats       INTEGER NOT NULL,
    again_of      INTEGER REFERENCES imports (id)
);
CREATE INDEX imports_content ON imports (collective_id, content_hash);
