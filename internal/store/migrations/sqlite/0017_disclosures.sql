-- Public disclosures (财务公开, governance.md): snapshots of a collective's
-- accounts for a period that villagers read without signing in.
--
-- period is the disclosure's name among the collective's (2025Q1,
-- 2025-03, or a matter's months and title); version counts its
-- corrections from 1, replaces_id is the version a correction replaces,
-- with its reason. status goes prepared → checked → published; content is
-- the snapshot's canonical form (internal/disclose), hash its SHA-256,
-- chain_seq and chain_hash the head of the collective's voucher chain it
-- was taken at. A published row never changes again: a correction is a
-- new row, and the old stays readable.
--
-- checker, checked_on and check_remarks are the members' financial
-- oversight group's (民主理财小组) check, as its members gave it;
-- checked_by is the user who recorded it.
CREATE TABLE disclosures (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    collective_id INTEGER NOT NULL REFERENCES collectives (id),
    period        TEXT NOT NULL,
    kind          TEXT NOT NULL,
    title         TEXT NOT NULL DEFAULT '',
    from_period   INTEGER NOT NULL,
    to_period     INTEGER NOT NULL,
    version       INTEGER NOT NULL,
    replaces_id   INTEGER REFERENCES disclosures (id),
    reason        TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL,
    content       TEXT NOT NULL,
    hash          TEXT NOT NULL,
    chain_seq     INTEGER NOT NULL,
    chain_hash    TEXT NOT NULL,
    prepared_by   INTEGER NOT NULL REFERENCES users (id),
    prepared_at   TEXT NOT NULL,
    checker       TEXT NOT NULL DEFAULT '',
    checked_on    TEXT,
    check_remarks TEXT NOT NULL DEFAULT '',
    checked_by    INTEGER REFERENCES users (id),
    published_by  INTEGER REFERENCES users (id),
    published_at  TEXT,
    UNIQUE (collective_id, period, version)
);
CREATE INDEX disclosures_status ON disclosures (collective_id, status, to_period);
