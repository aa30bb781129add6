export default /* sql */ `
-- A campaign's sends by when they went: the brakes and the campaign's health read its last few hundred from this
-- index, so a check costs the same at the millionth send as at the first (#34).
CREATE INDEX sends_campaign_time ON sends (campaign_id, sending_at);
`;
