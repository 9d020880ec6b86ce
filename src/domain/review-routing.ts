import { channelKey, parseChannel, type ChatChannel } from './cadence.js';

// Per-owner routing: the joint channels (the cadence's own, and channels subscribed to everything)
// get the overview; a channel subscribed to cost centers (or named by a cost center's master data)
// gets one message about those cost centers only. One message per channel, never a flood.

/** Where one message of a run goes and what it covers. */
export interface RoutedChannel extends ChatChannel {
  readonly channel: string;
  /** Cost centers it covers; empty for the overview (the cadence's whole scope). */
  readonly scope: readonly string[];
}

/** What routing reads. */
export interface RoutingInputs {
  /** The cadence's channels (`slack:C1`, `teams:…`). */
  readonly cadenceChannels: readonly string[];
  /** The cadence's cost-center scope (empty: all). */
  readonly cadenceScope: readonly string[];
  /** Subscriptions; cost center '*' means the overview. */
  readonly subscriptions: readonly { readonly channel: string; readonly costCenter: string }[];
  /** Cost centers' own channels from master data. */
  readonly costCenterChannels: readonly { readonly costCenter: string; readonly channel: string }[];
}

/** The channels of a run, each once, and the channel names that could not be read. */
export function routeChannels(r: RoutingInputs): { routes: RoutedChannel[]; invalid: string[] } {
  const invalid: string[] = [];
  const read = (text: string): ChatChannel | undefined => {
    try {
      return parseChannel(text);
    } catch {
      invalid.push(text);
      return undefined;
    }
  };
  const overview = new Map<string, ChatChannel>();
  for (const c of r.cadenceChannels) {
    const ch = read(c);
    if (ch) overview.set(channelKey(ch), ch);
  }
  for (const s of r.subscriptions) {
    if (s.costCenter !== '*') continue;
    const ch = read(s.channel);
    if (ch) overview.set(channelKey(ch), ch);
  }
  const inScope = (cc: string) => r.cadenceScope.length === 0 || r.cadenceScope.includes(cc);
  const owners = new Map<string, { ch: ChatChannel; scope: Set<string> }>();
  const addOwner = (channel: string, costCenter: string) => {
    if (!inScope(costCenter)) return;
    const ch = read(channel);
    if (!ch) return;
    const key = channelKey(ch);
    if (overview.has(key)) return;
    const entry = owners.get(key) ?? { ch, scope: new Set<string>() };
    entry.scope.add(costCenter);
    owners.set(key, entry);
  };
  for (const s of r.subscriptions) if (s.costCenter !== '*') addOwner(s.channel, s.costCenter);
  for (const c of r.costCenterChannels) addOwner(c.channel, c.costCenter);
  const routes: RoutedChannel[] = [
    ...[...overview.entries()].map(([channel, ch]) => ({ ...ch, channel, scope: [] as string[] })),
    ...[...owners.entries()].map(([channel, o]) => ({ ...o.ch, channel, scope: [...o.scope].sort() })),
  ].sort((a, b) => a.channel.localeCompare(b.channel));
  return { routes, invalid: [...new Set(invalid)].sort() };
}
