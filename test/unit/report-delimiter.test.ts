import { describe, expect, it } from 'vitest';
import { reportDelimiterFor } from '../../server/contract/report-delimiter.js';

describe('the delimiter of a downloaded report', () => {
  it("is the uploaded file's own, so the admin's spreadsheet opens the report as it opened the export", () => {
    expect(reportDelimiterFor({ type: 'csv', delimiter: ';' }, 'en')).toBe('semicolon');
    expect(reportDelimiterFor({ type: 'csv', delimiter: ',' }, 'nl')).toBe('comma');
    expect(reportDelimiterFor({ type: 'csv', delimiter: '\t' }, 'sv')).toBe('tab');
  });

  it("is what Excel expects in the reader's language for a workbook, or a file Excel would not open in columns", () => {
    expect(reportDelimiterFor({ type: 'xlsx' }, 'nl')).toBe('semicolon');
    expect(reportDelimiterFor({ type: 'xlsx' }, 'fi')).toBe('semicolon');
    expect(reportDelimiterFor({ type: 'xlsx' }, 'en')).toBe('comma');
    expect(reportDelimiterFor({ type: 'csv', delimiter: '|' }, 'sv')).toBe('semicolon');
    expect(reportDelimiterFor(null, 'en')).toBe('comma');
  });
});
