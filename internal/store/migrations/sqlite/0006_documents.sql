-- Scanned originals (原始凭证、合同扫描件) attached to a voucher or a
-- contract: PDF, JPEG or PNG, their type checked by content. They are kept
-- in the database itself, so that a backup of the database (jiti backup,
-- or pg_dump) holds them with the books they support, and verify can check
-- each against its SHA-256. A document of a posted voucher is never
-- deleted, as the voucher is never changed.
CREATE TABLE documents (
    id            INTEGER PRIMARY KEY,
    collective_id INTEGER NOT NULL REFERENCES collectives (id),
    voucher_id    INTEGER REFERENCES vouchers (id),
    contract_id   INTEGER REFERENCES contracts (id),
    name          TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          INTEGER NOT NULL,
    sha256        TEXT NOT NULL,
    data          BLOB NOT NULL,
    created_by    INTEGER NOT NULL REFERENCES users (id),
    created_at    TEXT NOT NULL,
    CHECK ((voucher_id IS NULL) <> (contract_id IS NULL))
);
CREATE INDEX documents_voucher ON documents (voucher_id) WHERE voucher_id IS NOT NULL;
CREATE INDEX documents_contract ON documents (contract_id) WHERE contract_id IS NOT NULL;
