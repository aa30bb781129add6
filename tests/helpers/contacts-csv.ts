import fs from 'node:fs';
import path from 'node:path';

/** A CSV of `count` distinct Mexican mobiles in `dir`, for campaigns of any size. */
export function contactsCsvIn(dir: string, count: number): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `contactos_${count}.csv`);
  const lines = ['Nombre,Telefono,Ciudad'];
  for (let i = 0; i < count; i++) lines.push(`Cliente ${i},55${String(20000000 + i * 37)},CDMX`);
  fs.writeFileSync(file, lines.join('\n'));
  return file;
}
