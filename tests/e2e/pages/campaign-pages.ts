import type { Page } from 'playwright-core';

/** The campaign wizard and live view as a user works them. */
export class CampaignPages {
  constructor(readonly page: Page) {}

  async startWizard(): Promise<void> {
    await this.page.getByTestId('nav-campaigns').click();
    await this.page.getByTestId('new-campaign').click();
    await this.page.getByTestId('wizard-name').waitFor();
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
