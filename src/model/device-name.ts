/**
 * The one device-name rule of the config file and the API: a name is a URL path segment
 * (`/devices/:id`), a tag value and a file-safe word. Names are unique case-insensitively.
 */
export const DEVICE_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export const DEVICE_NAME_RULE = "letters, digits, '.', '_' or '-', starting with a letter or digit, at most 128";

export function isDeviceName(s: string): boolean {
  return DEVICE_NAME_RE.test(s);
}

/** the key two device names collide under */
export function deviceNameKey(name: string): string {
  return name.toLowerCase();
}
