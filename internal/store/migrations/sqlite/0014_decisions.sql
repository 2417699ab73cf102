-- Decisions under 四议两公开 (governance.md): the register the contracts,
-- disposals, distributions and membership changes of a collective point
-- to, instead of a free-text reference.
--
-- number is the collective's own number for a decision (e.g. 2025-03),
-- what a contract or a member's entry names; status is 'open' while its
-- steps are recorded, 'adopted' once the resolution (step 4) has passed,
-- 'failed' when a step did not pass: a failed decision stops there.
-- adopted_on is the date of the resolution. Steps are recorded in order,
-- each with its date, the people required and present, those approving,
-- its content and whether it passed, and step 4 which meeting resolved
-- (villagers counted by adults or by households, or representatives:
-- register.Meeting); nothing is updated after the fact
-- but the decision's status and reached (the last step recorded).
CREATE TABLE decisions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    collective_id INTEGER NOT NULL REFERENCES collectives (id),
    number        TEXT NOT NULL,
    subject       TEXT NOT NULL,
    kind          TEXT NOT NULL,
    status        TEXT NOT NULL,
    reached       INTEGER NOT NULL DEFAULT 0,
    adopted_on    TEXT,
    note          TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    UNIQUE (collective_id, number)
);
CREATE INDEX decisions_kind ON decisions (collective_id, kind, status);

CREATE TABLE decision_steps (
    decision_id INTEGER NOT NULL REFERENCES decisions (id),
    step        INTEGER NOT NULL,
    held_on     TEXT NOT NULL,
    meeting     TEXT NOT NULL DEFAULT '',
    required    INTEGER NOT NULL DEFAULT 0,
    present     INTEGER NOT NULL DEFAULT 0,
    approve     INTEGER NOT NULL DEFAULT 0,
    content     TEXT NOT NULL DEFAULT '',
    passed      INTEGER NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (decision_id, step)
);
