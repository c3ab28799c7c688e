import type { MetricFamily } from './services.ts';

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

const escLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const escHelp = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

function num(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** Prometheus text exposition format 0.0.4. Families or labels with invalid names are skipped, not fatal. */
export function renderMetrics(families: MetricFamily[]): string {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const f of families) {
    if (!NAME.test(f.name) || seen.has(f.name)) continue;
    seen.add(f.name);
    out.push(`# HELP ${f.name} ${escHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`);
    for (const s of f.samples) {
      const labels = Object.entries(s.labels ?? {}).filter(([k]) => LABEL.test(k));
      const sampleName = (s.labels as { __name__?: string } | undefined)?.__name__ ?? f.name;
      const l = labels.filter(([k]) => k !== '__name__').map(([k, v]) => `${k}="${escLabel(String(v))}"`).join(',');
      out.push(`${sampleName}${l ? `{${l}}` : ''} ${num(s.value)}`);
    }
  }
  return out.join('\n') + '\n';
}
