export default /* sql */ `
-- When the user last went on after an automatic brake: the brake then judges only what is sent after it (a resume
-- used to trip again within a few sends on the same opt-outs: #30 item 4).
ALTER TABLE campaigns ADD COLUMN brake_since INTEGER;
`;
