export { FileStore, UploadTooLarge, UPLOAD_LIMIT, safeName, contentDisposition, type StoredFile } from './file-store';
