import path from 'node:path';
import { SealedFile, type SecretBox } from '../core/sealed-file';

export { plainBox, type SecretBox } from '../core/sealed-file';

export type CloudSecret = { token: string; appSecret: string };

/** A Cloud number's token and app secret, in `cloud-secrets.json` in the data folder (see SealedFile). */
export class CloudSecrets {
  private readonly store: SealedFile<CloudSecret>;

  constructor(dataDir: string, box: SecretBox) {
    this.store = new SealedFile(path.join(dataDir, 'cloud-secrets.json'), box);
  }

  get kind(): SecretBox['kind'] {
    return this.store.kind;
  }

  get(numberId: string): CloudSecret | null {
    return this.store.get(numberId);
  }

  set(numberId: string, secret: CloudSecret): void {
    this.store.set(numberId, secret);
  }

  remove(numberId: string): void {
    this.store.remove(numberId);
  }
}
