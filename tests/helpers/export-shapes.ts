import path from 'node:path';
import ExcelJS from 'exceljs';

/** A CRM's workbook: a read-me sheet first, then the contacts under a title row (12 of them, phones in «Celular»). */
export async function readmeWorkbook(dir: string): Promise<string> {
  const file = path.join(dir, 'crm.xlsx');
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet('Léeme').addRow(['Este archivo se generó con MiCRM. Los contactos están en la hoja «Contactos».']);
  const sheet = workbook.addWorksheet('Contactos');
  sheet.addRow(['Reporte de clientes', 'Generado el 30/11/2026']);
  sheet.addRow(['ID', 'Cliente', 'Celular', 'Correo', 'Ciudad']);
  for (let i = 0; i < 12; i++) sheet.addRow([1000 + i, `Cliente ${i} Pérez`, `55 ${String(20_000_000 + i * 17)}`, `cliente${i}@correo.mx`, i % 2 ? 'CDMX' : 'Toluca']);
  await workbook.xlsx.writeFile(file);
  return file;
}
