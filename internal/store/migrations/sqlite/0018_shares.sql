-- The share register (股份, governance.md): a collective's share types,
-- quantified at a date; every change of holdings as a dated entry resting
-- on its decision, which only grows; the holdings those entries give,
-- kept for reading and checked against them by verify; and the share
-- certificates (股权证) issued per household, voided (never deleted)
-- when reissued.
--
-- Amounts of shares are in hundredths. A holder is a member or a
-- household by its code, or the collective (holder_kind 'collective',
-- holder_code ''). batch numbers the acts of a collective: the entries
-- one act wrote share it. A dynamic type's recomputation is one entry
-- per holder of kind 'recompute', holding what the rule gave each on
-- that date.
CREATE TABLE share_types (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    collective_id INTEGER NOT NULL REFERENCES collectives (id),
    code          TEXT NOT NULL,
    name          TEXT NOT NULL,
    kind          TEXT NOT NULL,
    management    TEXT NOT NULL,
    rule          TEXT NOT NULL DEFAULT '',
    quantified_on TEXT NOT NULL,
    total         INTEGER NOT NULL,
    created_at    TEXT NOT NULL,
    UNIQUE (collective_id, code)
);

CREATE TABLE share_changes (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    collective_id INTEGER NOT NULL REFERENCES collectives (id),
    batch         INTEGER NOT NULL DEFAULT 0,
    kind          TEXT NOT NULL,
    on_date       TEXT NOT NULL,
    type_code     TEXT NOT NULL,
    from_kind     TEXT NOT NULL DEFAULT '',
    from_code     TEXT NOT NULL DEFAULT '',
    to_kind       TEXT NOT NULL DEFAULT '',
    to_code       TEXT NOT NULL DEFAULT '',
    qty           INTEGER NOT NULL,
    price         INTEGER NOT NULL DEFAULT 0,
    decision_id   INTEGER REFERENCES decisions (id),
    note          TEXT NOT NULL DEFAULT '',
    recorded_at   TEXT NOT NULL
);
CREATE INDEX share_changes_collective ON share_changes (collective_id, id);

CREATE TABLE share_holdings (
    collective_id INTEGER NOT NULL REFERENCES collectives (id),
    type_code     TEXT NOT NULL,
    holder_kind   TEXT NOT NULL,
    holder_code   TEXT NOT NULL,
    qty           INTEGER NOT NULL,
    pledged       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (collective_id, type_code, holder_kind, holder_code)
);

CREATE TABLE share_certificates (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    collective_id  INTEGER NOT NULL REFERENCES collectives (id),
    number         TEXT NOT NULL UNIQUE,
    household_code TEXT NOT NULL,
    issued_on      TEXT NOT NULL,
    status         TEXT NOT NULL,
    voided_on      TEXT,
    void_reason    TEXT NOT NULL DEFAULT '',
    replaced_by    INTEGER REFERENCES share_certificates (id),
    created_at     TEXT NOT NULL
);
CREATE INDEX share_certificates_household ON share_certificates (collective_id, household_code, status);
