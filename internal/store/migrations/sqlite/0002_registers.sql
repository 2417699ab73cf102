-- The registers: assets with their history, depreciation and work, land
-- resources, contracts with their subjects, schedules of receivables and
-- receipts, and the county's rent benchmarks. Areas are INTEGER hundredths
-- of a mu (亩); money is INTEGER fen; rates are basis points.

CREATE TABLE assets (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    collective_id        INTEGER NOT NULL REFERENCES collectives (id),
    code                 TEXT NOT NULL,
    name                 TEXT NOT NULL,
    category             TEXT NOT NULL,
    nature               TEXT NOT NULL,
    use_for              TEXT NOT NULL,
    quantity             TEXT NOT NULL DEFAULT '',
    unit                 TEXT NOT NULL DEFAULT '',
    location             TEXT NOT NULL DEFAULT '',
    acquired_on          TEXT NOT NULL,
    source               TEXT NOT NULL,
    cost                 INTEGER NOT NULL,
    method               TEXT NOT NULL,
    life_months          INTEGER NOT NULL DEFAULT 0,
    residual_rate        INTEGER NOT NULL DEFAULT 0,
    total_work           INTEGER NOT NULL DEFAULT 0,
    work_unit            TEXT NOT NULL DEFAULT '',
    opening_depreciation INTEGER NOT NULL DEFAULT 0,
    opening_months       INTEGER NOT NULL DEFAULT 0,
    cost_account         TEXT NOT NULL,
    dep_account          TEXT NOT NULL DEFAULT '',
    expense_account      TEXT NOT NULL DEFAULT '',
    status               TEXT NOT NULL,
    status_since         TEXT NOT NULL,
    disposed_on          TEXT,
    voucher_id           INTEGER,
    note                 TEXT NOT NULL DEFAULT '',
    created_at           TEXT NOT NULL,
    UNIQUE (collective_id, code)
);
CREATE INDEX assets_status ON assets (collective_id, status);

CREATE TABLE asset_history (
    id          INTEGER PRIMARY KEY,
    asset_id    INTEGER NOT NULL REFERENCES assets (id),
    date        TEXT NOT NULL,
    from_status TEXT NOT NULL DEFAULT '',
    to_status   TEXT NOT NULL,
    contract_id INTEGER,
    note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX asset_history_asset ON asset_history (asset_id, date);

-- One row per asset and month depreciated, so a month is never depreciated
-- twice and an asset's accumulated depreciation is a sum of its rows.
CREATE TABLE asset_depreciation (
    asset_id   INTEGER NOT NULL REFERENCES assets (id),
    period     INTEGER NOT NULL,
    amount     INTEGER NOT NULL,
    voucher_id INTEGER NOT NULL,
    PRIMARY KEY (asset_id, period)
) WITHOUT ROWID;

-- Work done in a month by assets depreciated by units of work (工作量法).
CREATE TABLE asset_work (
    asset_id INTEGER NOT NULL REFERENCES assets (id),
    period   INTEGER NOT NULL,
    units    INTEGER NOT NULL,
    PRIMARY KEY (asset_id, period)
) WITHOUT ROWID;

-- The register steps of a month's close that have run, with their voucher
-- (0 when nothing was due), so closing a month again posts nothing twice.
CREATE TABLE register_closes (
    collective_id INTEGER NOT NULL REFERENCES collectives (id),
    period        INTEGER NOT NULL,
    step          TEXT NOT NULL,
    voucher_id    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (collective_id, period, step)
) WITHOUT ROWID;

CREATE TABLE resources (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    collective_id INTEGER NOT NULL REFERENCES collectives (id),
    code          TEXT NOT NULL,
    name          TEXT NOT NULL,
    kind          TEXT NOT NULL,
    area          INTEGER NOT NULL,
    location      TEXT NOT NULL DEFAULT '',
    boundaries    TEXT NOT NULL DEFAULT '',
    use_as        TEXT NOT NULL,
    use_since     TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    UNIQUE (collective_id, code)
);

-- A person's identity number is stored encrypted (party_id_sealed, AES-GCM
-- with the deployment's key) with its masked form for display and a keyed
-- hash to find the same person again; never in clear.
CREATE TABLE contracts (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    collective_id   INTEGER NOT NULL REFERENCES collectives (id),
    code            TEXT NOT NULL,
    name            TEXT NOT NULL,
    kind            TEXT NOT NULL,
    party_kind      TEXT NOT NULL,
    party_name      TEXT NOT NULL,
    party_id_sealed TEXT NOT NULL DEFAULT '',
    party_id_masked TEXT NOT NULL DEFAULT '',
    party_id_hash   TEXT NOT NULL DEFAULT '',
    party_uscc      TEXT NOT NULL DEFAULT '',
    party_phone     TEXT NOT NULL DEFAULT '',
    start_on        TEXT NOT NULL,
    end_on          TEXT NOT NULL,
    amount          INTEGER NOT NULL,
    frequency       TEXT NOT NULL,
    escalation      INTEGER NOT NULL DEFAULT 0,
    deposit         INTEGER NOT NULL DEFAULT 0,
    accrue          INTEGER NOT NULL DEFAULT 0,
    income_account  TEXT NOT NULL,
    award           TEXT NOT NULL,
    award_ref       TEXT NOT NULL DEFAULT '',
    resolution_ref  TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL,
    signed_on       TEXT,
    ended_on        TEXT,
    end_reason      TEXT NOT NULL DEFAULT '',
    note            TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    UNIQUE (collective_id, code)
);
CREATE INDEX contracts_status ON contracts (collective_id, status, end_on);

CREATE TABLE contract_subjects (
    contract_id  INTEGER NOT NULL REFERENCES contracts (id),
    line         INTEGER NOT NULL,
    asset_id     INTEGER REFERENCES assets (id),
    resource_id  INTEGER REFERENCES resources (id),
    area         INTEGER NOT NULL DEFAULT 0,
    prior_status TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (contract_id, line)
) WITHOUT ROWID;
CREATE INDEX contract_subjects_asset ON contract_subjects (asset_id);
CREATE INDEX contract_subjects_resource ON contract_subjects (resource_id);

CREATE TABLE instalments (
    contract_id   INTEGER NOT NULL REFERENCES contracts (id),
    no            INTEGER NOT NULL,
    collective_id INTEGER NOT NULL,
    due_on        TEXT NOT NULL,
    from_on       TEXT NOT NULL,
    to_on         TEXT NOT NULL,
    amount        INTEGER NOT NULL,
    received      INTEGER NOT NULL DEFAULT 0,
    accrued       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (contract_id, no)
) WITHOUT ROWID;
-- Arrears: what is due and not paid, county-wide, without reading contracts.
CREATE INDEX instalments_due ON instalments (due_on, collective_id) WHERE received < amount;

CREATE TABLE receipts (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    contract_id   INTEGER NOT NULL REFERENCES contracts (id),
    collective_id INTEGER NOT NULL,
    date          TEXT NOT NULL,
    amount        INTEGER NOT NULL,
    overpayment   INTEGER NOT NULL DEFAULT 0,
    account       TEXT NOT NULL,
    voucher_id    INTEGER NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX receipts_contract ON receipts (contract_id);

CREATE TABLE receipt_parts (
    receipt_id   INTEGER NOT NULL REFERENCES receipts (id),
    instalment   INTEGER NOT NULL,
    amount       INTEGER NOT NULL,
    income       INTEGER NOT NULL DEFAULT 0,
    deferred     INTEGER NOT NULL DEFAULT 0,
    receivable   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (receipt_id, instalment)
) WITHOUT ROWID;

-- Deferred income (received in advance, or accrued for later years)
-- recognized in its year, once per contract, instalment and year.
CREATE TABLE contract_recognitions (
    contract_id INTEGER NOT NULL REFERENCES contracts (id),
    instalment  INTEGER NOT NULL,
    year        INTEGER NOT NULL,
    amount      INTEGER NOT NULL,
    voucher_id  INTEGER NOT NULL,
    PRIMARY KEY (contract_id, instalment, year)
) WITHOUT ROWID;

-- Rent benchmarks per region and year: the lowest yearly rent per mu that
-- a lease or contracting of land should fetch, in fen.
CREATE TABLE rent_benchmarks (
    region_code TEXT NOT NULL REFERENCES regions (code),
    year        INTEGER NOT NULL,
    rent_per_mu INTEGER NOT NULL,
    PRIMARY KEY (region_code, year)
) WITHOUT ROWID;
