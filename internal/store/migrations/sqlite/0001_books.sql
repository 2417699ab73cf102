-- The books: regions, collectives, users, charts of accounts, vouchers,
-- monthly balances and the audit log. Money is INTEGER fen throughout.
-- Accounting dates are TEXT 'YYYY-MM-DD'; timestamps TEXT RFC 3339 in UTC.

CREATE TABLE regions (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    level       INTEGER NOT NULL,
    parent_code TEXT
);
CREATE INDEX regions_parent ON regions (parent_code);

CREATE TABLE collectives (
    id              INTEGER PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    uscc            TEXT UNIQUE,
    region_code     TEXT NOT NULL REFERENCES regions (code),
    level           TEXT NOT NULL,
    chart_standard  TEXT NOT NULL,
    books_opened_on TEXT NOT NULL,
    -- The head of the collective's hash chain of posted vouchers.
    chain_seq       INTEGER NOT NULL DEFAULT 0,
    chain_hash      TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX collectives_region ON collectives (region_code);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL,
    scope_region  TEXT REFERENCES regions (code),
    password_hash TEXT NOT NULL DEFAULT '',
    is_disabled   INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL
);

CREATE TABLE user_collectives (
    user_id       INTEGER NOT NULL REFERENCES users (id),
    collective_id INTEGER NOT NULL REFERENCES collectives (id),
    PRIMARY KEY (user_id, collective_id)
) WITHOUT ROWID;

CREATE TABLE accounts (
    collective_id INTEGER NOT NULL REFERENCES collectives (id),
    code          TEXT NOT NULL,
    name          TEXT NOT NULL,
    name_en       TEXT NOT NULL DEFAULT '',
    class         TEXT NOT NULL,
    side          TEXT NOT NULL,
    parent_code   TEXT NOT NULL DEFAULT '',
    is_leaf       INTEGER NOT NULL,
    is_active     INTEGER NOT NULL,
    is_standard   INTEGER NOT NULL,
    PRIMARY KEY (collective_id, code)
) WITHOUT ROWID;

-- Member households (户), the sub-ledgers of 113 内部往来.
CREATE TABLE households (
    collective_id INTEGER NOT NULL REFERENCES collectives (id),
    code          TEXT NOT NULL,
    name          TEXT NOT NULL,
    PRIMARY KEY (collective_id, code)
) WITHOUT ROWID;

-- Opening balances entered when a collective moves its books into jiti.
-- household_code is '' for an account's own balance.
CREATE TABLE opening_balances (
    collective_id  INTEGER NOT NULL REFERENCES collectives (id),
    account_code   TEXT NOT NULL,
    household_code TEXT NOT NULL DEFAULT '',
    debit          INTEGER NOT NULL DEFAULT 0,
    credit         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (collective_id, account_code, household_code)
) WITHOUT ROWID;

-- Accounting months. A month has a row once something was posted or closed
-- in it; last_number is the last voucher number given in it (记字第N号).
CREATE TABLE periods (
    collective_id INTEGER NOT NULL REFERENCES collectives (id),
    period        INTEGER NOT NULL,
    is_closed     INTEGER NOT NULL DEFAULT 0,
    last_number   INTEGER NOT NULL DEFAULT 0,
    closed_at     TEXT,
    closed_by     INTEGER REFERENCES users (id),
    PRIMARY KEY (collective_id, period)
) WITHOUT ROWID;

-- Vouchers and their lines are the tables that grow by millions of rows.
-- They carry no foreign keys: every row is written by the store, which
-- checks what a key would (the collective, the users, the accounts), and a
-- per-row key check made bulk loads on PostgreSQL three times slower.
-- `jiti verify` checks the references instead.
-- AUTOINCREMENT: a deleted draft's id is never given to another voucher,
-- whose audit trail would otherwise show the other's history.
CREATE TABLE vouchers (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    collective_id INTEGER NOT NULL,
    period        INTEGER NOT NULL,
    date          TEXT NOT NULL,
    number        INTEGER,
    status        TEXT NOT NULL,
    kind          TEXT NOT NULL,
    attachments   INTEGER NOT NULL DEFAULT 0,
    note          TEXT NOT NULL DEFAULT '',
    reverses_id   INTEGER,
    maker_id      INTEGER NOT NULL,
    approver_id   INTEGER,
    poster_id     INTEGER,
    created_at    TEXT NOT NULL,
    approved_at   TEXT,
    posted_at     TEXT,
    seq           INTEGER,
    prev_hash     TEXT,
    hash          TEXT
);
-- Numbers (记字第N号) and chain positions are unique per collective once
-- given; drafts have neither, and partial indexes leave them out. A voucher
-- has at most one reversal.
CREATE UNIQUE INDEX vouchers_number ON vouchers (collective_id, period, number) WHERE number IS NOT NULL;
CREATE UNIQUE INDEX vouchers_seq ON vouchers (collective_id, seq) WHERE seq IS NOT NULL;
CREATE UNIQUE INDEX vouchers_reverses ON vouchers (reverses_id) WHERE reverses_id IS NOT NULL;
CREATE INDEX vouchers_list ON vouchers (collective_id, period, status);

CREATE TABLE voucher_lines (
    voucher_id     INTEGER NOT NULL,
    line_no        INTEGER NOT NULL,
    collective_id  INTEGER NOT NULL,
    account_code   TEXT NOT NULL,
    summary        TEXT NOT NULL,
    debit          INTEGER NOT NULL DEFAULT 0,
    credit         INTEGER NOT NULL DEFAULT 0,
    counterparty   TEXT NOT NULL DEFAULT '',
    household_code TEXT NOT NULL DEFAULT '',
    project        TEXT NOT NULL DEFAULT '',
    asset          TEXT NOT NULL DEFAULT '',
    contract       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (voucher_id, line_no)
) WITHOUT ROWID;
CREATE INDEX voucher_lines_account ON voucher_lines (collective_id, account_code);

-- Turnover per collective, month and leaf account, kept exact by posting in
-- the same transaction; period 0 holds the opening balances. closing_* is
-- the part of the turnover that year-end closing vouchers made, so the income
-- statement can leave it out.
CREATE TABLE balances (
    collective_id  INTEGER NOT NULL,
    period         INTEGER NOT NULL,
    account_code   TEXT NOT NULL,
    debit          INTEGER NOT NULL DEFAULT 0,
    credit         INTEGER NOT NULL DEFAULT 0,
    closing_debit  INTEGER NOT NULL DEFAULT 0,
    closing_credit INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (collective_id, period, account_code)
) WITHOUT ROWID;

-- The same per member household, for lines that name one.
CREATE TABLE household_balances (
    collective_id  INTEGER NOT NULL,
    period         INTEGER NOT NULL,
    account_code   TEXT NOT NULL,
    household_code TEXT NOT NULL,
    debit          INTEGER NOT NULL DEFAULT 0,
    credit         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (collective_id, period, account_code, household_code)
) WITHOUT ROWID;

-- Every write appends one event: who, when, what, and the old and new values
-- as JSON.
CREATE TABLE audit_events (
    id            INTEGER PRIMARY KEY,
    at            TEXT NOT NULL,
    user_id       INTEGER REFERENCES users (id),
    action        TEXT NOT NULL,
    entity        TEXT NOT NULL,
    entity_id     TEXT NOT NULL,
    collective_id INTEGER,
    old_value     TEXT,
    new_value     TEXT
);
CREATE INDEX audit_events_collective ON audit_events (collective_id, id);
