import { vi } from 'vitest';

/** Runs a CLI subcommand in-process with stdout/stderr captured and `env` added to process.env for the run. */
export async function inProcess(cmd: (argv: string[]) => Promise<number>, args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c) => (out.push(String(c)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c) => (err.push(String(c)), true));
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const code = await cmd(args);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    o.mockRestore();
    e.mockRestore();
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}
