-- Running totals of each asset's depreciation, so that closing a month
-- reads one row per asset rather than every month of its history: the
-- amount charged since the books moved into jiti (the opening depreciation
-- stays on the asset), the months charged, and the latest month charged.
-- An asset has a row once a month is charged. Each depreciation voucher
-- moves them on in its own transaction; jiti verify holds them to
-- asset_depreciation, whose rows stay the history. A table apart, narrow,
-- so the monthly update does not rewrite the assets' rows.
CREATE TABLE asset_dep_totals (
    asset_id    INTEGER NOT NULL PRIMARY KEY REFERENCES assets (id),
    accumulated INTEGER NOT NULL,
    months      INTEGER NOT NULL,
    last_period INTEGER NOT NULL
) WITHOUT ROWID;

INSERT INTO asset_dep_totals (asset_id, accumulated, months, last_period)
SELECT asset_id, SUM(amount), COUNT(*), MAX(period) FROM asset_depreciation GROUP BY asset_id;
