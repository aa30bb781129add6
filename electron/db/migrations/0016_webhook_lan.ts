export default /* sql */ `
-- A webhook may reach an address of the user's own network (10.x, 192.168.x, fd00::…) only when the user said so
-- when making it; otherwise only public addresses, or this computer.
ALTER TABLE webhooks ADD COLUMN allow_lan INTEGER NOT NULL DEFAULT 0;
`;
