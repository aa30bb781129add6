import type { Page } from 'playwright-core';

/** The Mensajes page as a user works it. */
export class MessagesPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByTestId('nav-messages').click();
    await this.page.getByTestId('page-messages').waitFor();
  }

  /** "Nuevo mensaje"; with `discardUnsaved`, the question about the unsaved one is expected and answered "Descartar". */
  async newMessage(opts: { discardUnsaved: boolean }): Promise<void> {
    await this.page.getByTestId('new-message').click();
    if (opts.discardUnsaved) {
      await this.page.getByTestId('unsaved-confirm').waitFor();
      await this.page.getByTestId('unsaved-discard').click();
    }
    await this.page.getByTestId('unsaved-confirm').waitFor({ state: 'detached' });
  }

  body() {
    return this.page.getByTestId('message-body');
  }

  async type(text: string): Promise<void> {
    await this.body().fill(text);
  }

  async insertField(name: string): Promise<void> {
    await this.page.getByTestId('insert-field').selectOption(name);
  }

  async attach(file: string): Promise<void> {
    await this.page.getByTestId('attach-file').setInputFiles(file);
    await this.page.getByTestId('attachment').waitFor();
  }

  async removeAttachment(): Promise<void> {
    await this.page.getByTestId('attachment').getByRole('button').click();
    await this.page.getByTestId('attachment').waitFor({ state: 'detached' });
  }

  bubbles(): Promise<string[]> {
    return this.page.getByTestId('bubble-text').allInnerTexts();
  }
}
