export default /* sql */ `
-- What an import did with contacts already in the app: 'update' (name and fields from the file) or 'keep' (left as
-- they were, only added to the list). The summary and the import history say which.
ALTER TABLE imports ADD COLUMN existing TEXT NOT NULL DEFAULT 'update';
`;
