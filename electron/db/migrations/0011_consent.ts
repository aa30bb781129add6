export default /* sql */ `
-- Whether each contact agreed to get WhatsApp messages from the business, as the user said when importing them:
-- 'yes', 'no' (or not known), NULL for contacts never asked about; where they came from, when it was said, and the
-- import that said it (imports.run_key: known from the run's start, so a resumed import keeps it).
ALTER TABLE contacts ADD COLUMN consent TEXT CHECK (consent IN ('yes', 'no'));
ALTER TABLE contacts ADD COLUMN consent_source TEXT;
ALTER TABLE contacts ADD COLUMN consent_at INTEGER;
ALTER TABLE contacts ADD COLUMN consent_import TEXT;
ALTER TABLE imports ADD COLUMN run_key TEXT;
ALTER TABLE imports ADD COLUMN consent_source TEXT;
ALTER TABLE imports ADD COLUMN consent TEXT;
CREATE INDEX imports_run_key ON imports (run_key);
`;
