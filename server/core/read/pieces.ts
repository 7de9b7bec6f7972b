/**
 * How much a reader hands an inflater at once: what a file read gives (fs streams' 64 KB). An inflater
 * unpacks a whole piece as soon as it has it, before any backpressure can hold it back, so a larger one
 * comes out as many times its size of XML and text in one go (a workbook's 1 MB: some 40 MB).
 */
export const pieceBytes = 64 * 1024;

/** The buffer as views of at most `pieceBytes` each (no copies), for Readable.from to pass on one by one. */
export function* piecesOf(buffer: Buffer): Generator<Buffer> {
  for (let at = 0; at < buffer.length; at += pieceBytes) yield buffer.subarray(at, at + pieceBytes);
}
