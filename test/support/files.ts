import { Readable } from 'node:stream';
import type { ByteSource } from '../../server/pipeline/read-csv.js';

/** A ByteSource over bytes in memory, split into small chunks to exercise chunk edges. */
export function bytesOf(content: string | Uint8Array, chunkSize = 7): ByteSource {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content);
  return () =>
    Readable.from(
      (function* () {
        for (let i = 0; i < bytes.length; i += chunkSize) yield bytes.subarray(i, i + chunkSize);
      })(),
    );
}

/** Text encoded as Windows-1252, as Magister and Excel's "CSV (;)" write it. */
export function windows1252(text: string): Uint8Array {
  const table: Record<string, number> = { '€': 0x80, '‚': 0x82, 'ƒ': 0x83, '„': 0x84, '…': 0x85, 'Š': 0x8a, 'Œ': 0x8c, 'Ž': 0x8e, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '–': 0x96, '—': 0x97, 'š': 0x9a, 'œ': 0x9c, 'ž': 0x9e, 'Ÿ': 0x9f };
  return Uint8Array.from([...text].map((ch) => table[ch] ?? (ch.charCodeAt(0) <= 0xff ? ch.charCodeAt(0) : 0x3f)));
}

/** Text as Excel's "Unicode text": UTF-16 LE with a BOM. */
export function utf16le(text: string): Uint8Array {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
}
