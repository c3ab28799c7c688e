import type { TopoLink, TopologyGraph } from './graph.ts';

export interface LinkEvent {
  type: 'link-up' | 'link-down';
  link: TopoLink;
  time: number;
}

/** Links that appeared or disappeared between two discoveries: events alert rules can match. */
export function diffLinks(before: TopologyGraph | undefined, after: TopologyGraph): LinkEvent[] {
  if (!before) return [];
  const old = new Map(before.links.map((l) => [l.id, l]));
  const now = new Map(after.links.map((l) => [l.id, l]));
  const events: LinkEvent[] = [];
  for (const [id, l] of now) if (!old.has(id)) events.push({ type: 'link-up', link: l, time: after.generatedAt });
  for (const [id, l] of old) if (!now.has(id)) events.push({ type: 'link-down', link: l, time: after.generatedAt });
  return events;
}
