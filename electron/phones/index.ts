/** Phone numbers as WhatsApp and the user write them, read as E.164: below contacts, WhatsApp and the API alike. */
export { normalizePhone, type CountryCode, type PhoneResult, type PhoneRejectReason } from './phone';
