/** Closes what a test started, in the order given (the webhook receiver before the app, the app before the mock). */
export async function closeAll(...parts: ({ close(): Promise<unknown> } | undefined)[]): Promise<void> {
  for (const part of parts) await part?.close();
}
