export default /* sql */ `
-- Each contact's name folded for search (lower case, no accents: see shared/search-key.ts), so "maria" finds
-- "María". Filled here with the app's own function (openDatabase registers whatzme_search_key), then kept by the
-- import and the editor.
ALTER TABLE contacts ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
UPDATE contacts SET name_key = whatzme_search_key(name) WHERE name IS NOT NULL;
`;
