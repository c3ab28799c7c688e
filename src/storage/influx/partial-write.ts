/**
 * InfluxDB 1.x answers 400 `partial write: <reason> dropped=N` when it STORED the good points of
 * a batch and dropped the others. The reason names the bad points: every unparseable line is
 * quoted (`unable to parse '<line>': why`, joined by newlines, not counted in `dropped`); a type
 * conflict or a bad field name names only the first offending field
 * (`input field "f" on measurement "m" is type T, ...`, `input tag "time" on measurement "m" is invalid`). Checked against influxd 1.6.7.
 */

export function isPartialWrite(error: string): boolean {
  return error.startsWith('partial write:');
}

/**
 * The points of a batch (our own line protocol) in order. A newline inside a string field
 * value does not end a point, so the text is not simply split on '\n'.
 */
export function splitPoints(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  let section = 0; // 0 series key, 1 fields, 2 timestamp
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') {
      i++;
    } else if (quoted) {
      if (c === '"') quoted = false;
    } else if (c === '"' && section === 1) {
      quoted = true;
    } else if (c === ' ') {
      section++;
    } else if (c === '\n') {
      if (i > start) out.push(text.slice(start, i));
      start = i + 1;
      section = 0;
    }
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

type FieldType = 'float' | 'integer' | 'unsigned' | 'string' | 'boolean';

/** measurement and field types of one of our lines, unescaped as InfluxDB reads them */
function pointShape(line: string): { measurement: string; tags: Set<string>; fields: Map<string, FieldType> } {
  let i = 0;
  const until = (stops: string): string => {
    const from = i;
    while (i < line.length && !stops.includes(line[i])) i += line[i] === '\\' ? 2 : 1;
    return line.slice(from, i);
  };
  const measurement = until(', ').replace(/\\([, ])/g, '$1');
  const tags = new Set<string>();
  while (line[i] === ',') {
    i++;
    tags.add(until('=').replace(/\\([,= ])/g, '$1'));
    until(', ');
  }
  i++;
  const fields = new Map<string, FieldType>();
  while (i < line.length && line[i] !== ' ') {
    const key = until('=').replace(/\\([,= ])/g, '$1');
    i++;
    let type: FieldType;
    if (line[i] === '"') {
      i++;
      while (i < line.length && line[i] !== '"') i += line[i] === '\\' ? 2 : 1;
      i++;
      type = 'string';
    } else {
      const v = until(', ');
      type = /^[tTfF]/.test(v) ? 'boolean' : v.endsWith('i') ? 'integer' : v.endsWith('u') ? 'unsigned' : 'float';
    }
    fields.set(key, type);
    if (line[i] === ',') i++;
  }
  return { measurement, tags, fields };
}

const NAMED_KEY = /input (field|tag) "(.*)" on measurement "(.*)" is (?:type (\w+), already exists as type \w+|invalid)/;
const DROPPED = / dropped=(\d+)$/;

/**
 * Indexes of the points InfluxDB dropped, from its partial-write message; undefined when the
 * message does not tell them all apart (then every point is kept as suspect).
 */
export function droppedPoints(error: string, points: string[]): Set<number> | undefined {
  if (!isPartialWrite(error)) return undefined;
  const dropped = DROPPED.exec(error);
  if (!dropped) return undefined;
  const reason = error.slice('partial write: '.length, dropped.index);
  const bad = new Set<number>();
  if (reason.startsWith('unable to parse \'')) {
    const quoted = new Set<string>();
    for (const piece of reason.split(/(?:^|\n)unable to parse '/).slice(1)) {
      const end = piece.lastIndexOf('\': ');
      if (end < 0) return undefined;
      quoted.add(piece.slice(0, end));
    }
    points.forEach((p, i) => { if (quoted.has(p)) bad.add(i); });
    // a parse error and a type conflict in one batch: only the parse errors are named
    return Number(dropped[1]) === 0 && bad.size >= quoted.size ? bad : undefined;
  }
  const named = NAMED_KEY.exec(reason);
  if (!named) return undefined;
  const [, kind, key, measurement, type] = named;
  points.forEach((p, i) => {
    const shape = pointShape(p);
    if (shape.measurement !== measurement) return;
    if (kind === 'tag') {
      if (shape.tags.has(key)) bad.add(i);
      return;
    }
    const t = shape.fields.get(key);
    if (t !== undefined && (type === undefined || t === type)) bad.add(i);
  });
  // other conflicts in the same batch are counted in dropped= but not named
  return bad.size === Number(dropped[1]) ? bad : undefined;
}
