/**
 * Starts sessions a few at a time: each real number is a Chrome of ~300 MB, and ten of them opening at once (the
 * app starting with ten linked numbers) would stall the machine. A start holds its slot until it settles (ready,
 * a QR, or an error) or for `holdMs` at most, so one that hangs does not block the others for good.
 */
export class StartQueue {
  private running = 0;
  private waiting: (() => void)[] = [];

  constructor(
    private readonly slots = 2,
    private readonly holdMs = 30_000,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** Runs `start` when a slot is free. */
  async run(start: () => Promise<unknown>): Promise<void> {
    if (this.running >= this.slots) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running += 1;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.running -= 1;
      this.waiting.shift()?.();
    };
    void this.sleep(this.holdMs).then(release);
    try {
      await start();
    } finally {
      release();
    }
  }
}
