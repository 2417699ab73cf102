-- The head of a collective's audit chain moves into the collective's row,
-- beside the head of its voucher chain: every act on a collective's books
-- already locks, reads and updates that row, so extending the chain costs
-- no locked read and no UPDATE of its own (two of a posting's statements
-- on PostgreSQL). audit_chains keeps the chain of no collective (0), and
-- the heads of any chains whose collective no longer exists.
ALTER TABLE collectives ADD COLUMN audit_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE collectives ADD COLUMN audit_head TEXT NOT NULL DEFAULT '0000000000000000000000000000000000000000000000000000000000000000';

UPDATE collectives SET
    audit_seq = (SELECT c.seq FROM audit_chains c WHERE c.chain = collectives.id),
    audit_head = (SELECT c.head FROM audit_chains c WHERE c.chain = collectives.id)
WHERE id IN (SELECT chain FROM audit_chains);
DELETE FROM audit_chains WHERE chain IN (SELECT id FROM collectives);
