import type Database from 'better-sqlite3';
import { NetpulseError } from '../../errors/index.ts';
import type { Credential, Device } from '../../model/index.ts';

/** Devices added through the API. Credentials by profile name only: never secrets. */
export class DevicesRepository {
  constructor(private readonly db: Database.Database) {}

  list(): Device[] {
    return (this.db.prepare('SELECT doc FROM devices ORDER BY name').all() as { doc: string }[]).map((r) => JSON.parse(r.doc));
  }

  get(name: string): Device | undefined {
    const row = this.db.prepare('SELECT doc FROM devices WHERE name = ?').get(name) as { doc: string } | undefined;
    return row ? JSON.parse(row.doc) : undefined;
  }

  /** throws NetpulseError kind 'conflict' when the name exists */
  create(device: Device, now = Date.now()): Device {
    if (this.get(device.name)) {
      throw new NetpulseError({ scope: 'storage', target: `device ${device.name}`, action: 'create', reason: 'already exists', kind: 'conflict' });
    }
    this.db.prepare('INSERT INTO devices (name, doc, created_at, updated_at) VALUES (?, ?, ?, ?)').run(device.name, JSON.stringify(device), now, now);
    return device;
  }

  /** Replaces (and may rename) a device; throws kind 'not-found' or 'conflict' (rename onto an existing name). */
  update(name: string, device: Device, now = Date.now()): Device {
    const tx = this.db.transaction(() => {
      if (!this.get(name)) {
        throw new NetpulseError({ scope: 'storage', target: `device ${name}`, action: 'update', reason: 'no such device', kind: 'not-found' });
      }
      if (device.name !== name && this.get(device.name)) {
        throw new NetpulseError({ scope: 'storage', target: `device ${device.name}`, action: 'rename', reason: 'already exists', kind: 'conflict' });
      }
      this.db.prepare('UPDATE devices SET name = ?, doc = ?, updated_at = ? WHERE name = ?').run(device.name, JSON.stringify(device), now, name);
    });
    tx();
    return device;
  }

  /** create or replace */
  put(device: Device, now = Date.now()): Device {
    this.db.prepare(
      'INSERT INTO devices (name, doc, created_at, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET doc = excluded.doc, updated_at = excluded.updated_at',
    ).run(device.name, JSON.stringify(device), now, now);
    return device;
  }

  remove(name: string): boolean {
    return this.db.prepare('DELETE FROM devices WHERE name = ?').run(name).changes > 0;
  }
}

/**
 * Credential profiles created through the API. Secrets (communities, v3 keys) ARE stored
 * (the poller needs them) in the state file, which is created 0600; callers must never
 * return them from the API or log them (use redactCredential from src/model).
 */
export class CredentialsRepository {
  constructor(private readonly db: Database.Database) {}

  list(): { name: string; credential: Credential }[] {
    return (this.db.prepare('SELECT name, doc FROM credentials ORDER BY name').all() as { name: string; doc: string }[])
      .map((r) => ({ name: r.name, credential: JSON.parse(r.doc) }));
  }

  get(name: string): Credential | undefined {
    const row = this.db.prepare('SELECT doc FROM credentials WHERE name = ?').get(name) as { doc: string } | undefined;
    return row ? JSON.parse(row.doc) : undefined;
  }

  put(name: string, credential: Credential, now = Date.now()): void {
    this.db.prepare(
      'INSERT INTO credentials (name, doc, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET doc = excluded.doc, updated_at = excluded.updated_at',
    ).run(name, JSON.stringify(credential), now);
  }

  remove(name: string): boolean {
    return this.db.prepare('DELETE FROM credentials WHERE name = ?').run(name).changes > 0;
  }
}
