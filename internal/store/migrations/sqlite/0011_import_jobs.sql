-- Imports that never stop the server.
--
-- An import is a job with a row here from its start: who runs it, from
-- which file, into which collective (the first it read; collectives counts
-- them all), how far it has read (rows, and bytes of bytes_total where the
-- file's size is known) and how it ended. A page shows its progress, and a
-- write that finds the database busy names it. heartbeat_at is renewed
-- every second while it runs; a job still 'running' whose heartbeat is old
-- was interrupted (its process ended) and is cleaned up by the next import
-- or server start. Times are Unix milliseconds, compared in SQL.
CREATE TABLE import_jobs (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users (id),
    collective_id INTEGER REFERENCES collectives (id),
    collectives   INTEGER NOT NULL DEFAULT 0,
    file_name     TEXT NOT NULL,
    state         TEXT NOT NULL,
    rows_read     INTEGER NOT NULL DEFAULT 0,
    bytes_read    INTEGER NOT NULL DEFAULT 0,
    bytes_total   INTEGER NOT NULL DEFAULT 0,
    vouchers      INTEGER NOT NULL DEFAULT 0,
    lines         INTEGER NOT NULL DEFAULT 0,
    errors        INTEGER NOT NULL DEFAULT 0,
    started_at    INTEGER NOT NULL,
    heartbeat_at  INTEGER NOT NULL,
    finished_at   INTEGER
);
CREATE INDEX import_jobs_state ON import_jobs (state, id);

-- On SQLite an import writes its vouchers in batches of a short
-- transaction each, as drafts of status 'staged' that no list, count or
-- act sees, and one last short transaction makes them drafts; a batch's
-- vouchers have the ids first_id..last_id, so a job's batches are found
-- again to publish or to remove (when it fails, or was interrupted).
CREATE TABLE import_stages (
    job_id   INTEGER NOT NULL REFERENCES import_jobs (id),
    first_id INTEGER NOT NULL,
    last_id  INTEGER NOT NULL,
    PRIMARY KEY (job_id, first_id)
);
