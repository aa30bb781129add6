export { FileStore, UploadTooLarge, UPLOAD_LIMIT, safeName, contentDisposition, downloadType, downloadView, type StoredFile } from './file-store';
export { writeTable, type Table } from './table-writer';
export { safeCell, unguardCell } from './safe-cell';
