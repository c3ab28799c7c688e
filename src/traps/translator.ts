import type { Dictionary } from '../mib/dictionary.ts';
import type { Translator } from './event.ts';

/** Adapts the OID dictionary (src/mib) to the receiver's Translator. */
export function dictionaryTranslator(dict: Dictionary): Translator {
  return {
    translate: (oid) => dict.translate(oid)?.text,
    formatValue: (oid, type, value, raw) => {
      if (type !== 'Integer' && type !== 'OctetString' && type !== 'Gauge32') return undefined;
      const text = dict.formatValue(oid, { type, value: raw ?? value } as Parameters<Dictionary['formatValue']>[1]);
      // "INTEGER: down(2)" → "down(2)"
      return text.replace(/^[A-Za-z0-9 -]+: /, '');
    },
  };
}
