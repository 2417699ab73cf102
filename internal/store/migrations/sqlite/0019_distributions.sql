-- Income distributions (收益分配, governance.md): one plan per collective
-- and year, drafted from the closed year's books (its figures kept as
-- they were read), allotted to households by the shares they hold, and
-- adopted on its decision, when its vouchers are posted; then paid in
-- batches. A line of household_code '' is the collective's own shares
-- (集体股): its part stays undistributed, and is never paid.
CREATE TABLE distributions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    collective_id INTEGER NOT NULL REFERENCES collectives (id),
    year          INTEGER NOT NULL,
    status        TEXT NOT NULL,
    income        INTEGER NOT NULL,
    opening       INTEGER NOT NULL,
    transfers     INTEGER NOT NULL,
    distributed   INTEGER NOT NULL,
    reserve       INTEGER NOT NULL,
    members       INTEGER NOT NULL,
    other         INTEGER NOT NULL,
    payable       TEXT NOT NULL,
    decision_id   INTEGER REFERENCES decisions (id),
    adopted_on    TEXT,
    created_at    TEXT NOT NULL,
    UNIQUE (collective_id, year)
);

CREATE TABLE distribution_lines (
    distribution_id INTEGER NOT NULL REFERENCES distributions (id),
    household_code  TEXT NOT NULL,
    name            TEXT NOT NULL DEFAULT '',
    shares          INTEGER NOT NULL,
    amount          INTEGER NOT NULL,
    paid            INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (distribution_id, household_code)
);

CREATE TABLE distribution_payments (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    distribution_id INTEGER NOT NULL REFERENCES distributions (id),
    household_code  TEXT NOT NULL,
    paid_on         TEXT NOT NULL,
    amount          INTEGER NOT NULL,
    voucher_id      INTEGER NOT NULL REFERENCES vouchers (id)
);
CREATE INDEX distribution_payments_line ON distribution_payments (distribution_id, household_code);
