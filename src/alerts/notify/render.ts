import { renderTemplate } from '../template.ts';
import type { AlertChange } from '../types.ts';

export const DEFAULT_TEXT = '[{SEVERITY}] {state}: {message} (device {device}, count {count}, first {firstSeen}, last {lastSeen})';

/** template values for one alert change; secrets never reach an alert, so all are safe */
export function changeVars(change: AlertChange): Record<string, string> {
  const a = change.alert;
  return {
    kind: change.kind,
    id: a.id,
    key: a.key,
    rule: a.rule,
    source: a.source,
    device: a.device ?? '',
    severity: a.severity,
    SEVERITY: a.severity.toUpperCase(),
    state: change.kind === 'opened' ? (a.flapping ? 'FLAPPING' : 'OPEN') : change.kind.toUpperCase(),
    message: a.message,
    count: String(a.count),
    flapping: String(a.flapping),
    firstSeen: new Date(a.firstSeen).toISOString(),
    lastSeen: new Date(a.lastSeen).toISOString(),
    ...Object.fromEntries(Object.entries(a.labels).map(([k, v]) => [`label.${k}`, v])),
  };
}

export function render(template: string, change: AlertChange): string {
  const vars = changeVars(change);
  return renderTemplate(template, (n) => vars[n]);
}
