import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** The campaign wizard and live view as a user works them. */
export class CampaignPages {
  constructor(readonly page: Page) {}

  async startWizard(): Promise<void> {
    await this.page.getByTestId('nav-campaigns').click();
    await this.page.getByTestId('new-campaign').click();
    await this.page.getByTestId('wizard-name').waitFor();
  }

  /**
   * Launches from the review as a user does: contacts without a recorded consent ask for the user's confirmation
   * first (the box appears with the estimate), then the launch button.
   */
  async launch(): Promise<void> {
    await this.page.getByTestId('risk').waitFor();
    const confirm = this.page.getByTestId('consent-confirm');
    if ((await confirm.count()) > 0 && !(await confirm.isChecked())) {
      expect(await this.page.getByTestId('consent-warning').innerText()).toMatch(/no tienen registrado que aceptaron recibir tus mensajes/);
      await confirm.click();
      await this.page.locator('[data-testid="consent-confirm"]:checked').waitFor();
    }
    await this.page.getByTestId('launch').click();
  }

  /**
   * Through the wizard's first steps as a user goes: the name, the message (typed, or `message` for another way),
   * the lists, the numbers (by label; the first when none is named), on to the pace step.
   */
  async toPace(o: { name: string; body?: string; message?: () => Promise<void>; lists: string[]; numbers?: string[] }): Promise<void> {
    await this.startWizard();
    await this.page.getByTestId('campaign-name').fill(o.name);
    await this.next();
    if (o.message) await o.message();
    else await this.page.getByTestId('campaign-body').fill(o.body ?? '');
    await this.page.locator('[data-testid="wizard-next"]:not([disabled])').waitFor();
    await this.next();
    for (const list of o.lists) await this.page.locator(`[data-list-name="${list}"]`).check();
    await this.next();
    if (!o.numbers) await this.page.getByTestId('campaign-number').first().check();
    for (const label of o.numbers ?? []) await this.page.locator('label', { hasText: label }).getByTestId('campaign-number').check();
    await this.next();
  }

  async next(): Promise<void> {
    await this.page.getByTestId('wizard-next').click();
  }

  state(): Promise<string | null> {
    return this.page.getByTestId('page-campaign').getAttribute('data-state');
  }

  async waitForState(state: string, timeout = 60_000): Promise<void> {
    await this.page.locator(`[data-testid="page-campaign"][data-state="${state}"]`).waitFor({ timeout });
  }

  async count(state: string): Promise<number> {
    return Number(await this.page.getByTestId(`count-${state}`).locator('.figure-value').innerText());
  }
}
