/**
 * What a connection may do in its room (docs/identity-and-moderation.md, "Room capabilities"):
 * `read` (connect, replay, `history`, `who`), `send` (`sendmessage`, `editmessage`, deleting
 * one's own messages, `typing`), `moderate` (the moderation actions, and deleting anyone's
 * message). `moderate` does not imply the others.
 */
export type Capability = 'read' | 'send' | 'moderate';

/** Every capability, in the order frames list them. */
export const CAPABILITIES: readonly Capability[] = ['read', 'send', 'moderate'];

/** What a connection may do without a `rooms` claim saying otherwise: as before capabilities. */
export const DEFAULT_CAPABILITIES: readonly Capability[] = ['read', 'send'];

/** The capabilities in their canonical order, each once. */
export const sortedCapabilities = (capabilities: Iterable<Capability>): Capability[] => {
  const held = new Set(capabilities);
  return CAPABILITIES.filter((capability) => held.has(capability));
};
