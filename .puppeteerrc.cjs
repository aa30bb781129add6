// whatsapp-web.js depends on the full `puppeteer`; we drive a browser already on the user's machine instead.
module.exports = { skipDownload: true };
