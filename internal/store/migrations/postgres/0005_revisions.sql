-- Revisions: a number that every write to a collective's records advances,
-- so that figures computed from them (roll-ups, monthly trends, register
-- warnings) can be kept in memory and known stale exactly when anything
-- behind them changed. The audit step of every write advances its
-- collective's revision (collectives.rev); writes that belong to no
-- collective but change figures (statistical layouts and tiers, rent
-- benchmarks, regions) advance the deployment's ('regions'). Sign-ins and
-- users change no figure and advance nothing.
ALTER TABLE collectives ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;

CREATE TABLE revisions (
    name TEXT PRIMARY KEY,
    rev  INTEGER NOT NULL
);
INSERT INTO revisions (name, rev) VALUES ('regions', 0);
