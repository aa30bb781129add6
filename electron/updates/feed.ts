import yaml from 'js-yaml';

/**
 * Where the app looks for new versions: electron-builder's generic provider publishes `latest.yml`,
 * `latest-mac.yml` and `latest-linux.yml` (and `beta*.yml` for the beta channel) beside the installers there.
 * electron-builder.yml's `publish.url` is the same address (a packaging test keeps them equal).
 */
export const UPDATE_FEED_URL = 'https://descargas.whatzme.mx/desktop';

export type UpdateChannel = 'stable' | 'beta';

/** A release as electron-builder's metadata describes it: the version and the installer for this platform. */
export type FeedRelease = {
  version: string;
  releaseDate: string | null;
  releaseNotes: string | null;
  file: { url: string; sha512: string; size: number | null };
};

/** electron-builder's file name for a channel's metadata on a platform. */
export function feedFileName(channel: UpdateChannel, platform: NodeJS.Platform): string {
  const base = channel === 'beta' ? 'beta' : 'latest';
  return platform === 'darwin' ? `${base}-mac.yml` : platform === 'win32' ? `${base}.yml` : `${base}-linux.yml`;
}

/** The metadata file, checked: a version, and at least one file with its SHA-512 (base64, as electron-builder writes it). */
export function parseFeed(text: string): FeedRelease {
  const doc = yaml.load(text) as Record<string, unknown> | null;
  if (!doc || typeof doc !== 'object') throw new Error('the update metadata is empty');
  const version = typeof doc.version === 'string' ? doc.version : typeof doc.version === 'number' ? String(doc.version) : null;
  if (!version || !/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(version)) throw new Error('the update metadata has no valid version');
  const files = Array.isArray(doc.files) ? (doc.files as Record<string, unknown>[]) : [];
  // Prefer the installer the app updates from: AppImage on Linux, the exe on Windows, the zip on macOS.
  const pick = files.find((f) => typeof f.url === 'string' && /\.(AppImage|exe|zip)$/.test(f.url)) ?? files[0];
  const url = typeof pick?.url === 'string' ? pick.url : typeof doc.path === 'string' ? doc.path : null;
  const sha512 = typeof pick?.sha512 === 'string' ? pick.sha512 : typeof doc.sha512 === 'string' ? doc.sha512 : null;
  if (!url || !sha512) throw new Error('the update metadata names no file with its sha512');
  const notes = doc.releaseNotes;
  return {
    version,
    releaseDate: typeof doc.releaseDate === 'string' ? doc.releaseDate : null,
    releaseNotes: typeof notes === 'string' ? notes : Array.isArray(notes) ? notes.map((n) => String((n as { note?: string }).note ?? '')).join('\n') : null,
    file: { url, sha512, size: typeof pick?.size === 'number' ? pick.size : null },
  };
}

/** Semver order, prereleases before their release (1.2.0-beta.1 < 1.2.0), as electron-updater compares. */
export function compareVersions(a: string, b: string): number {
  const split = (v: string) => {
    const [core = '', pre] = v.split('-', 2);
    return { nums: core.split('.').map(Number), pre: pre ?? null };
  };
  const x = split(a);
  const y = split(b);
  for (let i = 0; i < 3; i++) {
    const d = (x.nums[i] ?? 0) - (y.nums[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  if (x.pre === y.pre) return 0;
  if (x.pre === null) return 1;
  if (y.pre === null) return -1;
  const xs = x.pre.split('.');
  const ys = y.pre.split('.');
  for (let i = 0; i < Math.max(xs.length, ys.length); i++) {
    const p = xs[i];
    const q = ys[i];
    if (p === undefined) return -1;
    if (q === undefined) return 1;
    const pn = Number(p);
    const qn = Number(q);
    const d = Number.isNaN(pn) || Number.isNaN(qn) ? p.localeCompare(q) : pn - qn;
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}
