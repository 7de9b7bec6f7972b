// The few helpers of exceljs 4.4 that its streaming worksheet reader reads cells with (CommonJS, untyped).
declare module 'exceljs/lib/utils/parse-sax.js' {
  type SaxEvent = { eventType: 'opentag'; value: { name: string; attributes: Record<string, string> } } | { eventType: 'text'; value: string } | { eventType: 'closetag'; value: { name: string } };
  const parseSax: (iterable: AsyncIterable<unknown>) => AsyncIterable<SaxEvent[]>;
  export default parseSax;
}
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
