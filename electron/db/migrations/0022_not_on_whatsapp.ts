export default /* sql */ `
-- The few contacts found not on WhatsApp, by themselves: the table's "Activos" count is the whole minus the
-- opted-out and these, not a million rows joined (#34). Partial: the million others cost nothing to keep.
CREATE INDEX contacts_not_on_whatsapp ON contacts (id) WHERE wa_status = 'not_on_whatsapp';
`;
