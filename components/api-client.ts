import type { ReportDelimiterName } from '../server/contract/report-delimiter.js';
import { restingStatuses, type ErrorBody, type FileOptions, type GroupOption, type ImportSummary, type LaterChanges, type MailStatus, type Me, type NodeOption, type Outcome, type PersonOption, type RoleOption, type RowPage, type SsoIssuerOption, type SettingsInput } from '../server/contract/types.js';


/** A failed request, with the server's error code for the UI to translate. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody['error'],
  ) {
    super(body.message);
  }
}

/** A refused request as the server said it, or (no error body: a proxy's page) as its status line. */
const failure = (status: number, data: Partial<ErrorBody> | null, statusText: string) =>
  new ApiError(status, data?.error ?? { code: 'internal', message: statusText, requestId: '' });

/**
 * Talks to Intake's API with the host-issued token. When the token has expired and the host gave a
 * `tokenUrl`, a fresh token is fetched once and the request retried.
 */
export class IntakeApi {
  constructor(
    private readonly base: string,
    private token: string,
    private readonly tokenUrl: string | null,
  ) {}

  private async refreshToken(): Promise<boolean> {
    if (!this.tokenUrl) return false;
    // A host session that has ended answers with its login page (or not at all): no fresh token, and
    // the request's own 401 then says the session has expired.
    try {
      const response = await fetch(this.tokenUrl, { credentials: 'same-origin' });
      if (!response.ok) return false;
      const fresh = ((await response.json()) as { token?: unknown }).token;
      if (typeof fresh !== 'string') return false;
      this.token = fresh;
      return true;
    } catch {
      return false;
    }
  }

  private async request<T>(method: string, path: string, body?: BodyInit, contentType?: string, retried = false): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}` };
    if (contentType) headers['content-type'] = contentType;
    const response = await fetch(`${this.base}${path}`, { method, headers, body }).catch((error: unknown) => {
      // fetch() rejects only when no answer came at all: never "something went wrong on the server".
      throw new ApiError(0, { code: 'unreachable', message: String(error), requestId: '' });
    });
    if (response.status === 401 && !retried && !(body instanceof FormData) && (await this.refreshToken())) {
      return this.request(method, path, body, contentType, true);
    }
    const data = (await response.json().catch(() => null)) as (T & Partial<ErrorBody>) | null;
    if (!response.ok) throw failure(response.status, data, response.statusText);
    return data as T;
  }

  /**
   * Sends a file, telling `onSent` how many of its bytes have gone (a 50 MB export over a school's
   * line takes minutes). Through XMLHttpRequest: fetch() says nothing of a body's progress. `signal`
   * cancels it: the promise then rejects with the code `cancelled`.
   */
  async upload(file: File, options: { onSent?: (sent: number, total: number) => void; signal?: AbortSignal } = {}): Promise<ImportSummary> {
    // Fresh token first: an upload body cannot be replayed after a 401.
    await this.refreshToken();
    const form = new FormData();
    form.append('file', file, file.name);
    const { onSent, signal } = options;
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      const failed = (code: 'unreachable' | 'cancelled', message: string) => reject(new ApiError(0, { code, message, requestId: '' }));
      xhr.open('POST', `${this.base}/imports`);
      xhr.setRequestHeader('authorization', `Bearer ${this.token}`);
      xhr.upload.onprogress = (event) => onSent?.(event.loaded, event.lengthComputable ? event.total : file.size);
      xhr.onload = () => {
        let data: (ImportSummary & Partial<ErrorBody>) | null = null;
        try {
          data = JSON.parse(xhr.responseText) as ImportSummary & Partial<ErrorBody>;
        } catch {
          // Not JSON (a proxy's error page): said below by the status.
        }
        if (xhr.status >= 200 && xhr.status < 300 && data) resolve(data);
        else reject(failure(xhr.status, data, xhr.statusText));
      };
      // As fetch() rejects: no answer came at all.
      xhr.onerror = () => failed('unreachable', 'The upload was interrupted: no answer from the server.');
      xhr.onabort = () => failed('cancelled', 'The upload was cancelled.');
      if (signal?.aborted) return failed('cancelled', 'The upload was cancelled.');
      signal?.addEventListener('abort', () => xhr.abort(), { once: true });
      xhr.send(form);
    });
  }

  inspect(id: string, file: FileOptions): Promise<ImportSummary> {
    return this.request('POST', `/imports/${id}/inspect`, JSON.stringify({ file }), 'application/json');
  }

  preview(id: string, settings: SettingsInput): Promise<ImportSummary> {
    return this.request('POST', `/imports/${id}/preview`, JSON.stringify({ settings }), 'application/json');
  }

  /** `confirmArchive`: the number of accounts the admin confirmed the archive suspends (a held archive needs it). */
  commit(id: string, confirmArchive?: number): Promise<ImportSummary> {
    return this.request('POST', `/imports/${id}/commit`, JSON.stringify(confirmArchive === undefined ? {} : { confirmArchive }), 'application/json');
  }

  /** `overLaterChanges`: put this import's values back even where later imports changed them again. */
  undo(id: string, overLaterChanges = false): Promise<ImportSummary> {
    return this.request('POST', `/imports/${id}/undo`, JSON.stringify({ overLaterChanges }), 'application/json');
  }

  /** Corrects cells of a previewed row and previews the file again (202: follow it like a preview). */
  fixRow(id: string, row: number, cells: Record<string, string>): Promise<ImportSummary> {
    return this.request('POST', `/imports/${id}/fixes`, JSON.stringify({ row, cells }), 'application/json');
  }

  /** What later imports changed of the people this one wrote (undo warns about it). */
  laterChanges(id: string): Promise<LaterChanges> {
    return this.request('GET', `/imports/${id}/later-changes`);
  }

  me(): Promise<Me> {
    return this.request('GET', '/me');
  }

  /** `written`: only imports that wrote something (the history list), not uploads and previews. */
  history(query: { offset?: number; limit?: number; q?: string; written?: boolean } = {}): Promise<{ imports: ImportSummary[]; total: number }> {
    const params = new URLSearchParams({ offset: String(query.offset ?? 0), limit: String(query.limit ?? 50) });
    if (query.q) params.set('q', query.q);
    if (query.written) params.set('written', '1');
    return this.request('GET', `/imports?${params}`);
  }

  savedSettings(source: string): Promise<{ settings: SettingsInput | null }> {
    return this.request('GET', `/sources/${encodeURIComponent(source)}/settings`);
  }

  get(id: string): Promise<ImportSummary> {
    return this.request('GET', `/imports/${id}`);
  }

  rows(id: string, query: { outcome?: Outcome; offset: number; limit: number; q?: string }): Promise<RowPage> {
    const params = new URLSearchParams({ offset: String(query.offset), limit: String(query.limit) });
    if (query.outcome) params.set('outcome', query.outcome);
    if (query.q) params.set('q', query.q);
    return this.request('GET', `/imports/${id}/rows?${params}`);
  }

  groups(q = ''): Promise<{ groups: GroupOption[] }> {
    return this.request('GET', `/groups?q=${encodeURIComponent(q)}`);
  }

  nodes(): Promise<{ nodes: NodeOption[] }> {
    return this.request('GET', '/nodes');
  }

  people(q = ''): Promise<{ people: PersonOption[] }> {
    return this.request('GET', `/people?q=${encodeURIComponent(q)}`);
  }

  roles(): Promise<{ roles: RoleOption[] }> {
    return this.request('GET', '/roles');
  }

  ssoIssuers(): Promise<{ issuers: SsoIssuerOption[] }> {
    return this.request('GET', '/sso-issuers');
  }

  templateUrl(layout: string, lang: string): string {
    return `${this.base}/template?layout=${layout}&lang=${lang}&token=${encodeURIComponent(this.token)}`;
  }

  exportUrl(layout: string, lang: string, group: number | null): string {
    return `${this.base}/export?layout=${layout}&lang=${lang}${group ? `&group=${group}` : ''}&token=${encodeURIComponent(this.token)}`;
  }

  mail(id: string): Promise<MailStatus> {
    return this.request('GET', `/imports/${id}/mail`);
  }

  /** The one-time download of new logins, with the delimiter the reader's spreadsheet opens in columns. */
  credentialsUrl(id: string, delimiter: ReportDelimiterName): string {
    return `${this.base}/imports/${id}/credentials?delimiter=${delimiter}&token=${encodeURIComponent(this.token)}`;
  }

  /** The error report, in the reader's language, with the delimiter their spreadsheet opens in columns. */
  errorReportUrl(id: string, lang: string, delimiter: ReportDelimiterName): string {
    return `${this.base}/imports/${id}/errors.csv?lang=${lang}&delimiter=${delimiter}&token=${encodeURIComponent(this.token)}`;
  }

  /**
   * Follows an import's progress over server-sent events until it reaches a resting state; resolves
   * with the last summary. `onUpdate` sees every change.
   */
  async follow(id: string, onUpdate: (summary: ImportSummary) => void): Promise<ImportSummary> {
    await this.refreshToken();
    const resting = new Set<string>(restingStatuses);
    return new Promise((resolve, reject) => {
      const source = new EventSource(`${this.base}/imports/${id}/events?token=${encodeURIComponent(this.token)}`);
      source.addEventListener('progress', (event) => {
        const summary = JSON.parse((event as MessageEvent<string>).data) as ImportSummary;
        onUpdate(summary);
        if (resting.has(summary.status)) {
          source.close();
          resolve(summary);
        }
      });
      source.addEventListener('error', () => {
        // The server closes the stream after the last event; a drop before that is re-checked once.
        source.close();
        this.get(id).then((summary) => (resting.has(summary.status) ? resolve(summary) : this.follow(id, onUpdate).then(resolve, reject)), reject);
      });
    });
  }
}
