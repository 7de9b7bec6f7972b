/** The layouts an example file or an export comes in (kept apart from the writers so the browser can import it). */
export const layouts = ['csv-semicolon', 'csv-comma', 'xlsx'] as const;
export type Layout = (typeof layouts)[number];
