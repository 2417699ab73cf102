-- The audit log is hash-chained like the vouchers: each event carries its
-- place in a chain (seq), the hash of the event before it (prev_hash) and
-- its own hash over its canonical content (who, when, action, entity, id,
-- collective, old and new values) and prev_hash. There is one chain per
-- collective (events with its collective_id) and one for the events of no
-- collective (users, sign-ins, regions): on PostgreSQL writes to different
-- collectives run in parallel, and a single chain would make every write of
-- the deployment wait for the one before. audit_chains holds each chain's
-- head (chain is the collective's id, 0 for the events of no collective);
-- the row is locked by the write that extends the chain and updated in its
-- transaction, so an event removed from the tail is found too. Events of
-- earlier versions are chained in id order when this migration runs (a step
-- in Go, store/migrate.go), and every register record then gets an
-- audit.baseline event holding it, which verify compares the record with.
-- A chain's events are appended in id order under its head's lock, so the
-- index on (collective_id, id) serves its walk: an index on seq would only
-- cost every write (the audit append is on the hot path of posting).
ALTER TABLE audit_events ADD COLUMN seq INTEGER;
ALTER TABLE audit_events ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_events ADD COLUMN hash TEXT;

CREATE TABLE audit_chains (
    chain INTEGER PRIMARY KEY,
    seq   INTEGER NOT NULL,
    head  TEXT NOT NULL
);
INSERT INTO audit_chains (chain, seq, head) VALUES (0, 0, '0000000000000000000000000000000000000000000000000000000000000000');
