/**
 * Every event an Intake element sends, one class each (as Web Awesome does): listeners get typed
 * fields instead of casting `detail`. All bubble and cross shadow roots, so the wizard hears its steps
 * and a host page hears the wizard.
 */
import type { MappedField } from '../server/contract/catalog.js';
import type { FileOptions, ImportSummary, Outcome, SettingsInput } from '../server/contract/types.js';

const crossesShadowRoots = { bubbles: true, composed: true } as const;

/** A column header → the field it fills (null: not imported). */
export type MappingChoice = Record<string, MappedField | null>;

/** The upload step has a file to send. */
export class UploadRequestedEvent extends Event {
  static readonly eventName = 'intake-upload-requested';
  constructor(readonly file: File) {
    super(UploadRequestedEvent.eventName, crossesShadowRoots);
  }
}

/** The admin cancels the upload on its way. */
export class UploadCancelRequestedEvent extends Event {
  static readonly eventName = 'intake-upload-cancel-requested';
  constructor() {
    super(UploadCancelRequestedEvent.eventName, crossesShadowRoots);
  }
}

/** The admin chose other reading options (encoding, delimiter, sheet, header row). */
export class FileOptionsChangeEvent extends Event {
  static readonly eventName = 'intake-file-options-change';
  constructor(readonly file: FileOptions) {
    super(FileOptionsChangeEvent.eventName, crossesShadowRoots);
  }
}

export class MappingChangeEvent extends Event {
  static readonly eventName = 'intake-mapping-change';
  constructor(readonly mapping: MappingChoice) {
    super(MappingChangeEvent.eventName, crossesShadowRoots);
  }
}

export class SettingsChangeEvent extends Event {
  static readonly eventName = 'intake-settings-change';
  constructor(readonly settings: SettingsInput) {
    super(SettingsChangeEvent.eventName, crossesShadowRoots);
  }
}

/** The feed's name was typed: its saved choices may be offered. */
export class SourceChangeEvent extends Event {
  static readonly eventName = 'intake-source-change';
  constructor(readonly source: string) {
    super(SourceChangeEvent.eventName, crossesShadowRoots);
  }
}

export class PeopleSearchRequestedEvent extends Event {
  static readonly eventName = 'intake-people-search-requested';
  constructor(readonly q: string) {
    super(PeopleSearchRequestedEvent.eventName, crossesShadowRoots);
  }
}

/** Corrected cells of a preview row, to check again: column index → value. */
export class RowFixRequestedEvent extends Event {
  static readonly eventName = 'intake-row-fix-requested';
  constructor(
    readonly row: number,
    readonly cells: Record<string, string>,
  ) {
    super(RowFixRequestedEvent.eventName, crossesShadowRoots);
  }
}

/** The preview shows another filter or page of rows. */
export class RowsChangeEvent extends Event {
  static readonly eventName = 'intake-rows-change';
  constructor(
    readonly outcome: Outcome | null,
    readonly offset: number,
    /** Search over all rows (username, node, group); empty: none. */
    readonly query = '',
  ) {
    super(RowsChangeEvent.eventName, crossesShadowRoots);
  }
}

export class StepNextRequestedEvent extends Event {
  static readonly eventName = 'intake-step-next-requested';
  constructor() {
    super(StepNextRequestedEvent.eventName, crossesShadowRoots);
  }
}

export class StepBackRequestedEvent extends Event {
  static readonly eventName = 'intake-step-back-requested';
  constructor() {
    super(StepBackRequestedEvent.eventName, crossesShadowRoots);
  }
}

export class PreviewRequestedEvent extends Event {
  static readonly eventName = 'intake-preview-requested';
  constructor() {
    super(PreviewRequestedEvent.eventName, crossesShadowRoots);
  }
}

export class CommitRequestedEvent extends Event {
  static readonly eventName = 'intake-commit-requested';
  /** `confirmArchive`: how many suspensions the admin confirmed (a held archive needs the number). */
  constructor(readonly confirmArchive?: number) {
    super(CommitRequestedEvent.eventName, crossesShadowRoots);
  }
}

/** Another page of the history, or a search in it. */
export class HistoryQueryEvent extends Event {
  static readonly eventName = 'intake-history-query';
  constructor(
    readonly query: string,
    readonly offset: number,
  ) {
    super(HistoryQueryEvent.eventName, crossesShadowRoots);
  }
}

/** Undo of an import: the current one (no id) or an earlier one from the history. */
export class UndoRequestedEvent extends Event {
  static readonly eventName = 'intake-undo-requested';
  constructor(
    readonly id: string | null = null,
    /** Put the import's values back even where later imports changed them again. */
    readonly overLaterChanges = false,
  ) {
    super(UndoRequestedEvent.eventName, crossesShadowRoots);
  }
}

export class RestartRequestedEvent extends Event {
  static readonly eventName = 'intake-restart-requested';
  constructor() {
    super(RestartRequestedEvent.eventName, crossesShadowRoots);
  }
}

/** The one-time credentials download was taken. */
export class CredentialsTakenEvent extends Event {
  static readonly eventName = 'intake-credentials-taken';
  constructor() {
    super(CredentialsTakenEvent.eventName, crossesShadowRoots);
  }
}

/**
 * For the host page: an import finished. A CustomEvent, so pages written against `detail.summary`
 * keep working; `summary` is the same object, typed.
 */
export class ImportCompleteEvent extends CustomEvent<{ summary: ImportSummary }> {
  static readonly eventName = 'intake-import-complete';
  constructor(readonly summary: ImportSummary) {
    super(ImportCompleteEvent.eventName, { ...crossesShadowRoots, detail: { summary } });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'intake-upload-requested': UploadRequestedEvent;
    'intake-upload-cancel-requested': UploadCancelRequestedEvent;
    'intake-file-options-change': FileOptionsChangeEvent;
    'intake-mapping-change': MappingChangeEvent;
    'intake-settings-change': SettingsChangeEvent;
    'intake-source-change': SourceChangeEvent;
    'intake-people-search-requested': PeopleSearchRequestedEvent;
    'intake-rows-change': RowsChangeEvent;
    'intake-step-next-requested': StepNextRequestedEvent;
    'intake-step-back-requested': StepBackRequestedEvent;
    'intake-preview-requested': PreviewRequestedEvent;
    'intake-commit-requested': CommitRequestedEvent;
    'intake-undo-requested': UndoRequestedEvent;
    'intake-history-query': HistoryQueryEvent;
    'intake-restart-requested': RestartRequestedEvent;
    'intake-credentials-taken': CredentialsTakenEvent;
    'intake-import-complete': ImportCompleteEvent;
  }
}
