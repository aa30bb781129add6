import type { Locator, Page } from 'playwright-core';

/** The Números page as a user sees it: add numbers, scan, read states, unlink. */
export class NumbersPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByTestId('nav-numbers').click();
    await this.page.getByTestId('page-numbers').waitFor();
  }

  cards(): Locator {
    return this.page.locator('[data-testid^="number-n_"]');
  }

  card(label: string): Locator {
    return this.page.getByRole('article', { name: label });
  }

  async add(kind: 'demo' | 'real', label?: string): Promise<void> {
    if (label) await this.page.getByTestId('number-label-input').fill(label);
    await this.page.getByTestId(kind === 'demo' ? 'add-demo' : 'add-real').click();
  }

  async waitForState(card: Locator, state: string, timeout = 15_000): Promise<void> {
    await card.and(this.page.locator(`[data-state="${state}"]`)).waitFor({ timeout });
  }

  stateText(card: Locator): Promise<string> {
    return card.getByTestId('number-state').innerText();
  }

  /** Links a demo number already showing its QR (or adds one first), as a user would: the simulated scan. */
  async linkDemo(label = 'Número de demostración', add = false): Promise<Locator> {
    await this.open();
    if (add) await this.add('demo', label === 'Número de demostración' ? undefined : label);
    const card = this.card(label);
    await this.waitForState(card, 'qr');
    await card.getByTestId('simulate-scan').click();
    await this.waitForState(card, 'connected');
    return card;
  }

  async unlink(card: Locator): Promise<void> {
    await card.getByTestId('unlink').click();
    await card.getByTestId('confirm-unlink').click();
    await card.waitFor({ state: 'detached' });
  }
}
