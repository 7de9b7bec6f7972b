import busboy from 'busboy';
import { Readable } from 'node:stream';
import { IntakeError } from '../core/errors.js';

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
    return Promise.resolve({ name: url.searchParams.get('filename') ?? 'upload.csv', stream: body });
  }
  return new Promise((resolve, reject) => {
    // Browsers send the file name as UTF-8 bytes ("Binogi_Borås_20260807.xlsx"); busboy reads latin1 unless told.
    const parser = busboy({ headers: { 'content-type': contentType }, limits: { files: 1 }, defParamCharset: 'utf8' });
    let found = false;
    parser.on('file', (field, stream, info) => {
      if (field !== 'file' || found) {
        stream.resume();
        return;
      }
      found = true;
      resolve({ name: info.filename || 'upload.csv', stream });
    });
    parser.on('error', (e) => reject(new IntakeError('invalid_request', `The upload could not be read: ${(e as Error).message}`)));
    parser.on('close', () => {
      if (!found) reject(new IntakeError('invalid_request', 'The form has no field "file".'));
    });
    body.pipe(parser);
  });
}
