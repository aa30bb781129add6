export default /* sql */ `
-- Search by any part of a name or a phone through a trigram index (#34): a million contacts searched in
-- milliseconds, where LIKE '%…%' read the whole table. The index reads its text from contacts (name_key is already
-- folded: case and accents never matter). Positions are not kept (detail = 'none'): a match is checked against the
-- contact's text, and the index is a fraction of the size.
--
-- New contacts are indexed in the background by ContactSearchIndexer, in small batches, up to contact_search_state.upto:
-- an import of a million rows does not wait for a million index writes, and search reads the rows above "upto"
-- directly until they are indexed. The triggers keep what is already indexed in step: a deleted or edited contact
-- at or below "upto", and a new one that takes an id at or below it (SQLite reuses the highest id once deleted).
CREATE VIRTUAL TABLE contact_search USING fts5(name_key, phone, content = 'contacts', content_rowid = 'id', tokenize = 'trigram', detail = 'none', columnsize = 0);
-- Segments are merged by the indexer a little at a time (a few pages per step), never all at once by an insert:
-- SQLite's own merges of large segments held the loop 30–70 ms.
INSERT INTO contact_search (contact_search, rank) VALUES ('automerge', 0);
CREATE TABLE contact_search_state (one INTEGER PRIMARY KEY CHECK (one = 1), upto INTEGER NOT NULL) STRICT;
INSERT INTO contact_search_state (one, upto) VALUES (1, 0);

CREATE TRIGGER contact_search_insert AFTER INSERT ON contacts
WHEN new.id <= (SELECT upto FROM contact_search_state)
BEGIN
  INSERT INTO contact_search (rowid, name_key, phone) VALUES (new.id, new.name_key, new.phone);
END;

CREATE TRIGGER contact_search_delete AFTER DELETE ON contacts
WHEN old.id <= (SELECT upto FROM contact_search_state)
BEGIN
  INSERT INTO contact_search (contact_search, rowid, name_key, phone) VALUES ('delete', old.id, old.name_key, old.phone);
END;

CREATE TRIGGER contact_search_update AFTER UPDATE OF name_key, phone ON contacts
WHEN old.id <= (SELECT upto FROM contact_search_state) AND (old.name_key IS NOT new.name_key OR old.phone IS NOT new.phone)
BEGIN
  INSERT INTO contact_search (contact_search, rowid, name_key, phone) VALUES ('delete', old.id, old.name_key, old.phone);
  INSERT INTO contact_search (rowid, name_key, phone) VALUES (new.id, new.name_key, new.phone);
END;
`;
