/**
 * The columns the error report puts before a row's own cells. Named so that no field's header matches
 * them: the report, fixed, is imported as it is, and these columns then stay out of the mapping.
 */
export const errorReportColumns = ['intake_row', 'intake_outcome', 'intake_username', 'intake_field', 'intake_code', 'intake_message'] as const;

const reportColumns = new Set<string>(errorReportColumns);

/** Whether a header is one of the error report's own columns. */
export const isErrorReportColumn = (header: string) => reportColumns.has(header.trim().toLowerCase());
