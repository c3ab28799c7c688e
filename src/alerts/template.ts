/**
 * Message and dedup-key templates: `{device} {ifDescr} down`, `{device}:{ifIndex}`.
 * A placeholder may list alternatives, first non-empty wins: `{ifName|ifDescr|index:ifOperStatus}`.
 * `index:NAME` is the instance suffix of the varbind NAME (its OID after the column OID).
 */
export type Resolver = (name: string) => string | undefined;

const PLACEHOLDER = /\{([^{}]+)\}/g;

export function renderTemplate(template: string, resolve: Resolver): string {
  return template.replace(PLACEHOLDER, (_, body: string) => {
    for (const alt of body.split('|')) {
      const v = resolve(alt.trim());
      if (v !== undefined && v !== '') return v;
    }
    return '';
  });
}

/** names a template refers to (config validation uses it to warn about typos) */
export function templateNames(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].flatMap((m) => m[1].split('|').map((s) => s.trim()));
}
