-- The members' register (成员, governance.md): households with their head,
-- village group (村民小组) and address, and each member with their
-- identity number sealed like a contract party's (id_sealed under the
-- deployment's key, id_hash its HMAC to find it again, id_masked to show),
-- what their membership rests on, and their status.
--
-- members holds each member's confirmation (confirmed_on, decision_id:
-- never updated) and present status; member_entries is the dated history
-- that follows, which only grows: every change of status, each resting on
-- its decision where the law asks for one. A correction is a new entry,
-- never an edit of an old one: corrected holds, as JSON, each field it
-- changed with its value before and after (an identity number masked).
--
-- members_active_id makes "one person is an active member of one
-- collective at a time" hold in the database itself, across collectives;
-- it is also how a person is found across collectives. A collective's
-- register (a few thousand rows) is read through UNIQUE (collective_id,
-- code): no more indexes, which would slow its import.
ALTER TABLE households ADD COLUMN head_member_id INTEGER;
ALTER TABLE households ADD COLUMN village_group TEXT NOT NULL DEFAULT '';
ALTER TABLE households ADD COLUMN address TEXT NOT NULL DEFAULT '';

CREATE TABLE members (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    collective_id  INTEGER NOT NULL REFERENCES collectives (id),
    code           TEXT NOT NULL,
    name           TEXT NOT NULL,
    initials       TEXT NOT NULL DEFAULT '',
    id_sealed      TEXT NOT NULL DEFAULT '',
    id_masked      TEXT NOT NULL DEFAULT '',
    id_hash        TEXT NOT NULL DEFAULT '',
    sex            TEXT NOT NULL,
    born_on        TEXT,
    household_code TEXT NOT NULL DEFAULT '',
    relation       TEXT NOT NULL,
    basis          TEXT NOT NULL,
    confirmed_on   TEXT NOT NULL,
    decision_id    INTEGER REFERENCES decisions (id),
    status         TEXT NOT NULL,
    status_since   TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    UNIQUE (collective_id, code)
);
CREATE UNIQUE INDEX members_active_id ON members (id_hash) WHERE status = 'active' AND id_hash <> '';

CREATE TABLE member_entries (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id   INTEGER NOT NULL REFERENCES members (id),
    on_date     TEXT NOT NULL,
    status      TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    decision_id INTEGER REFERENCES decisions (id),
    note        TEXT NOT NULL DEFAULT '',
    corrected   TEXT NOT NULL DEFAULT '',
    recorded_at TEXT NOT NULL
);
CREATE INDEX member_entries_member ON member_entries (member_id, id);
