-- Contracts and disposals point to the decision (四议两公开) they rest on,
-- instead of free text: decision_id is set when the reference names an
-- adopted decision of the collective. resolution_ref keeps the text as
-- entered (the decision's number), and the free text of records made
-- before this migration.
ALTER TABLE contracts ADD COLUMN decision_id INTEGER REFERENCES decisions (id);
ALTER TABLE assets ADD COLUMN disposal_decision_id INTEGER REFERENCES decisions (id);
