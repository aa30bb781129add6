export default /* sql */ `
-- A reply the opt-out matcher found doubtful ("no gracias", "¿quién es?"): the rule that matched, until the user
-- decides from the inbox (NULL again once decided, or for any other reply).
ALTER TABLE incoming ADD COLUMN doubt TEXT;
-- The monthly budget of messages to people who never answered, per number (NULL: the default, see
-- electron/campaigns/unanswered.ts). WhatsApp caps these per month and publishes no threshold.
ALTER TABLE numbers ADD COLUMN unanswered_budget INTEGER;
-- Who has ever written to a number: what makes a send "answered" for the budget.
CREATE INDEX incoming_number_phone ON incoming (number_id, phone);
`;
