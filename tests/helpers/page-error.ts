/**
 * An error as puppeteer-core 24 rejects `page.evaluate` with (cdp/utils.js createEvaluationError): the page error's
 * class in `name`, its message without the "TypeError: " prefix — the shape tests/integration/whatsapp/
 * page-errors.test.ts sees from Debian's Chromium. Fake clients throw these, never the old "Evaluation failed: …".
 */
export function pageError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}
