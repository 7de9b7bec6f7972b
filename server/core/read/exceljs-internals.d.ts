// The few helpers of exceljs 4.4 that its streaming worksheet reader reads cells with (CommonJS, untyped).
declare module 'exceljs/lib/utils/utils.js' {
  const utils: {
    xmlDecode(text: string): string;
    isDateFmt(fmt: string | undefined): boolean;
    excelToDate(value: number, date1904?: boolean): Date;
  };
  export default utils;
}
declare module 'exceljs/lib/utils/col-cache.js' {
  const colCache: { decodeAddress(address: string): { col: number; row: number } };
  export default colCache;
}
declare module 'exceljs/lib/utils/iterate-stream.js' {
  /** A stream's chunks as an async iterable, pausing it while each is handled. */
  const iterateStream: (stream: NodeJS.ReadableStream) => AsyncIterable<Buffer>;
  export default iterateStream;
}
