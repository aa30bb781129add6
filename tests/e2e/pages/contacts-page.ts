import type { Page } from 'playwright-core';

/** The import wizard and the contacts table, as a user works them. */
export class ContactsPage {
  constructor(readonly page: Page) {}

  async openImport(): Promise<void> {
    await this.page.getByTestId('nav-contacts').click();
    await this.page.getByTestId('go-import').click();
    await this.page.getByTestId('dropzone').waitFor();
  }

  async chooseFile(file: string): Promise<void> {
    await this.page.getByTestId('import-file').setInputFiles(file);
  }

  async startImport(): Promise<void> {
    await this.page.getByTestId('import-columns').waitFor();
    await this.page.getByTestId('import-start').click();
  }

  async summaryFigure(name: 'imported' | 'updated' | 'duplicates' | 'rejected'): Promise<number> {
    const text = await this.page.getByTestId(`summary-${name}`).locator('.figure-value').innerText();
    return Number(text.replace(/\D/g, ''));
  }

  rejectedRows(): Promise<string[]> {
    return this.page.locator('[data-testid="rejects-table"] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-row') ?? ''));
  }

  duplicateRows(): Promise<string[]> {
    return this.page.locator('[data-testid="duplicates-table"] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-row') ?? ''));
  }

  /** Imports a file with the suggested columns and waits for the summary. */
  async importFile(file: string): Promise<void> {
    await this.openImport();
    await this.chooseFile(file);
    await this.startImport();
    await this.page.getByTestId('import-summary').waitFor();
  }

  async openContacts(): Promise<void> {
    await this.page.getByTestId('nav-contacts').click();
    await this.page.getByTestId('page-contacts').waitFor();
  }

  count(): Promise<string> {
    return this.page.getByTestId('contacts-count').innerText();
  }
}
