import busboy from 'busboy';
import { Readable } from 'node:stream';
import { IntakeError, isIntakeError } from '../core/errors.js';

/** The request's body ended early: the browser cancelled, or the connection closed. */
const interrupted = (cause: unknown) =>
  new IntakeError('upload_interrupted', `The upload stopped before the whole file arrived (${(cause as Error)?.message ?? String(cause)}); nothing of it was kept.`);

/** The bytes as they come, a body that ends early said as upload_interrupted (not a raw "aborted"). */
async function* untilInterrupted(stream: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  try {
    yield* stream;
  } catch (error) {
    throw isIntakeError(error) ? error : interrupted(error);
  }
}

/** The bytes of `stream`, ending only once `after` has settled, and failing if it fails. */
async function* thenAwait(stream: AsyncIterable<Uint8Array>, after: Promise<void>): AsyncGenerator<Uint8Array> {
  yield* stream;
  await after;
}

export interface IncomingFile {
  name: string;
  stream: AsyncIterable<Uint8Array>;
}

/**
 * The uploaded file as a stream, never buffered whole: `multipart/form-data` (field `file`) from a
 * browser form, or the raw bytes with `?filename=` from scripts.
 */
export function incomingFile(request: Request): Promise<IncomingFile> {
  const contentType = request.headers.get('content-type') ?? '';
  const url = new URL(request.url);
  if (!request.body) throw new IntakeError('invalid_request', 'The request has no body.');
  const body = Readable.fromWeb(request.body as import('node:stream/web').ReadableStream);
  if (!contentType.startsWith('multipart/form-data')) {
    return Promise.resolve({ name: url.searchParams.get('filename') ?? 'upload.csv', stream: untilInterrupted(body) });
  }
  return new Promise((resolve, reject) => {
    // Browsers send the file name as UTF-8 bytes ("Binogi_Borås_20260807.xlsx"); busboy reads latin1 unless told.
    const parser = busboy({ headers: { 'content-type': contentType }, defParamCharset: 'utf8' });
    let found = false;
    let secondFile = false;
    // The file counts as read only when the whole form is: a second file after it refuses the upload,
    // rather than the first being imported and the second dropped unseen.
    const formRead = new Promise<void>((formDone, formFailed) => {
      parser.on('close', () => (secondFile ? formFailed(new IntakeError('invalid_request', 'The form holds more than one file; send one file per import.')) : formDone()));
      parser.on('error', formFailed);
    });
    formRead.catch(() => undefined); // read by the file's stream; unread when the form fails before any file
    parser.on('file', (field, stream, info) => {
      // Other fields' files are no part of the import, and an empty file input (no file chosen: a
      // browser sends it with no name) is no second file.
      if (field !== 'file' || found) {
        if (field === 'file' && info.filename) secondFile = true;
        stream.resume();
        return;
      }
      found = true;
      resolve({ name: info.filename || 'upload.csv', stream: untilInterrupted(thenAwait(stream, formRead)) });
    });
    parser.on('error', (e) => reject(isIntakeError(e) ? e : new IntakeError('invalid_request', `The upload could not be read: ${(e as Error).message}`)));
    parser.on('close', () => {
      if (!found) reject(new IntakeError('invalid_request', 'The form has no field "file".'));
    });
    // pipe() passes no error on: without this, a body cut off mid-file left the file's stream waiting
    // for ever, its record "uploaded" and the part received stored.
    body.on('error', (error) => parser.destroy(interrupted(error)));
    body.pipe(parser);
  });
}
