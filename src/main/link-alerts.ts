import type { AlertManager } from '../alerts/manager.ts';
import type { LinkEvent } from '../topology/index.ts';

/**
 * A link that disappeared is an alert (major; minor for an inferred one), cleared when it is back.
 * One that only devices no longer in the inventory (`exists`) reported is not: they are not polled
 * any more, so their links vanish without failing, and an alert naming a removed device would stay
 * open (no link-up, no sweep for it). One a remaining device reported names a remaining device.
 */
export function linkAlert(alerts: AlertManager, e: LinkEvent, exists: (device: string) => boolean): void {
  const key = `topology:link:${e.linkId}`;
  if (e.type === 'link-up') {
    alerts.clearKey(key, 'auto', e.time);
    return;
  }
  const reporters = e.link.reportedBy.length ? e.link.reportedBy : [e.device];
  const device = exists(e.device) ? e.device : reporters.find(exists);
  if (device === undefined) return;
  const ends = `${e.device}${e.port ? ` ${e.port}` : ''} <-> ${e.remoteDevice}${e.remotePort ? ` ${e.remotePort}` : ''}`;
  alerts.raise({
    action: 'raise', key, source: 'device', rule: 'topology-link-down', device, severity: e.inferred ? 'minor' : 'major',
    message: `link ${ends} (${e.sources.join('+')}) is gone`, labels: { remote: e.remoteDevice, sources: e.sources.join(',') }, time: e.time,
  });
}
