import type { Page } from 'playwright-core';

/** The page model for the layout and the pages of the foundation: tests speak of what a user does. */
export class ShellPage {
  constructor(readonly page: Page) {}

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.getByTestId('page-home').waitFor();
  }

  heading() {
    return this.page.locator('h1').first();
  }

  async goToSettings(): Promise<void> {
    await this.page.getByTestId('nav-settings').click();
    await this.page.getByTestId('page-settings').waitFor();
  }

  async goHome(): Promise<void> {
    await this.page.getByTestId('nav-home').click();
    await this.page.getByTestId('page-home').waitFor();
  }

  async chooseLanguage(language: 'es' | 'en'): Promise<void> {
    await this.page.getByTestId('settings-language').selectOption(language);
  }

  navLabels(): Promise<string[]> {
    return this.page.locator('nav a').allInnerTexts();
  }
}
