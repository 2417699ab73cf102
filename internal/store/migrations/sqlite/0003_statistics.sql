-- Statistics read a collective's year, never its voucher lines or months:
-- stat_turnover holds the year's turnover of every result account (5xx:
-- income and expenses) and distribution account (322xx) per collective,
-- kept exact by posting in the same transaction, with the part made by
-- year-end closing vouchers apart. Year 0 holds the opening balances, so
-- the start of a year (年初未分配收益) is the sum of the years before it.
-- Rows are per collective (the key leads with it), so a region's roll-up
-- reads its collectives' rows of the two years and nothing else, and
-- postings of different collectives never wait on one another for them.
CREATE TABLE stat_turnover (
    collective_id  INTEGER NOT NULL,
    year           INTEGER NOT NULL,
    account_code   TEXT NOT NULL,
    debit          INTEGER NOT NULL DEFAULT 0,
    credit         INTEGER NOT NULL DEFAULT 0,
    closing_debit  INTEGER NOT NULL DEFAULT 0,
    closing_credit INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (collective_id, year, account_code)
) WITHOUT ROWID;
-- The start of a year (年初未分配收益) sums the distribution accounts'
-- rows of the years before it: this index holds just those, with their
-- amounts, so a region's starts are read from it alone. Queries repeat its
-- condition, as a partial index needs.
CREATE INDEX stat_turnover_start ON stat_turnover (collective_id, account_code, year, debit, credit)
    WHERE account_code >= '322' AND account_code < '323';

-- The books kept before this table existed, summed once.
INSERT INTO stat_turnover (collective_id, year, account_code, debit, credit, closing_debit, closing_credit)
SELECT collective_id, period / 100, account_code, SUM(debit), SUM(credit), SUM(closing_debit), SUM(closing_credit)
FROM balances WHERE account_code LIKE '5%' OR account_code LIKE '322%'
GROUP BY collective_id, period / 100, account_code;

-- The same turnover, closing vouchers left out, packed into one row per
-- collective and year ("code debit credit" entries joined by ";", sorted
-- by code; see statyear.go), so that a roll-up reads one row per
-- collective and year however many detail accounts the collectives keep.
CREATE TABLE stat_year (
    collective_id INTEGER NOT NULL,
    year          INTEGER NOT NULL,
    turnover      TEXT NOT NULL,
    PRIMARY KEY (collective_id, year)
) WITHOUT ROWID;

INSERT INTO stat_year (collective_id, year, turnover)
SELECT collective_id, year, group_concat(account_code || ' ' || (debit - closing_debit) || ' ' || (credit - closing_credit), ';' ORDER BY account_code)
FROM stat_turnover WHERE year > 0 AND (debit <> closing_debit OR credit <> closing_credit)
GROUP BY collective_id, year;

-- Statistical layouts (the lines of a county's statistics and of the
-- statistical table, as data) and tier breakpoints, per region and year;
-- the most specific region's and latest year's apply.
CREATE TABLE stat_layouts (
    region_code TEXT NOT NULL REFERENCES regions (code),
    year        INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    layout      TEXT NOT NULL,
    PRIMARY KEY (region_code, year, kind)
) WITHOUT ROWID;

CREATE TABLE stat_tiers (
    region_code TEXT NOT NULL REFERENCES regions (code),
    year        INTEGER NOT NULL,
    breaks      TEXT NOT NULL,
    weak_below  INTEGER NOT NULL,
    PRIMARY KEY (region_code, year)
) WITHOUT ROWID;
