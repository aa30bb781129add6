import { report } from './report';

/** The crash test's campaign killed 1,000 times with SIGKILL: the figures say whether anyone got two messages. */
export async function benchCrashSoak(kills = 1000): Promise<void> {
  const { crashCampaign } = await import('../tests/integration/campaigns/crash-campaign');
  const started = performance.now();
  const result = await crashCampaign({ kills, contacts: 2000, seed: 1000, factor: 6, finalRunMs: 15 * 60_000, log: () => undefined });
  const perChat = new Map<string, number>();
  for (const d of result.delivered) perChat.set(d.chatId, (perChat.get(d.chatId) ?? 0) + 1);
  report('crash soak: kills while sending', result.killedMidway, 'kills');
  report('crash soak: contacts who received a message', perChat.size, 'of 2,000');
  report('crash soak: contacts who received two or more', [...perChat.values()].filter((n) => n > 1).length, 'contacts', '0');
  report('crash soak: rows left queued/sending/in doubt', result.states.filter((s) => ['queued', 'sending', 'in_doubt'].includes(s.state)).reduce((a, s) => a + s.n, 0), 'rows', '0');
  report('crash soak: campaign completed after the last kill', result.finished ? 1 : 0, result.finished ? 'yes' : `no (${String(result.campaign)})`, '1');
  process.stdout.write(`crash soak: rows by state: ${result.states.map((s) => `${s.state} ${s.n}`).join(', ')}\n`);
  report('crash soak: wall time', (performance.now() - started) / 1000, 's');
}
