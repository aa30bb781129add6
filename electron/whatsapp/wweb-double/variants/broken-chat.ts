import type { DoubleVariant } from './variant';

/** A variant with chats whose `lastReceivedKey` is broken (July-2026 builds: OpenWA 757; wwebjs 201851, 201862). */
export function withBrokenChats(variant: DoubleVariant, contacts: string[]): DoubleVariant {
  return { ...variant, name: `${variant.name}+brokenChat`, brokenChats: contacts };
}
