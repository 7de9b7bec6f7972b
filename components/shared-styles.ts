import { css } from 'lit';

/**
 * Buttons, tables and notices shared by the wizard's steps; themable through custom properties.
 * Each step is a size container: on a narrow column (a phone, or a host page's side panel) the tables
 * marked `stack` turn into one block per row, each cell named by its `data-label`, so nothing scrolls
 * sideways at 390 px.
 */
export const sharedStyles = css`
  :host {
    container-type: inline-size;
    --intake-accent: #0f6cbf;
    --intake-danger: #ca3120;
    --intake-ok: #357a32;
    --intake-warn: #f0ad4e;
    --intake-border: #dee2e6;
    display: block;
    font: inherit;
    color: inherit;
  }
  button {
    font: inherit;
    border: 1px solid var(--intake-accent);
    background: var(--intake-accent);
    color: #fff;
    border-radius: 0.375rem;
    padding: 0.45rem 1rem;
    cursor: pointer;
  }
  button.secondary {
    background: #fff;
    color: var(--intake-accent);
  }
  button:disabled,
  button[aria-disabled='true'] {
    opacity: 0.5;
    cursor: not-allowed;
  }
  button:focus-visible,
  select:focus-visible,
  input:focus-visible,
  h2[tabindex='-1']:focus-visible {
    outline: 3px solid color-mix(in srgb, var(--intake-accent) 40%, transparent);
    outline-offset: 1px;
  }
  table {
    border-collapse: collapse;
    width: 100%;
  }
  th,
  td {
    text-align: left;
    padding: 0.4rem 0.6rem;
    border-bottom: 1px solid var(--intake-border);
    vertical-align: top;
  }
  th {
    background: #f1f3f5;
    font-weight: 600;
  }
  select,
  input {
    max-width: 100%;
    box-sizing: border-box;
  }
  /* A fieldset is as wide as its widest content unless told otherwise. */
  fieldset {
    min-width: 0;
  }
  /* A long address wraps rather than overflow, but words stay whole ("Leerlingnummer"): break-word,
     unlike anywhere, leaves a table's column at least as wide as its longest word. */
  td {
    overflow-wrap: break-word;
  }
  select,
  input[type='text'],
  input[type='email'],
  input[type='search'],
  input[type='number'] {
    font: inherit;
    padding: 0.35rem 0.5rem;
    border: 1px solid #8f959e;
    border-radius: 0.25rem;
  }
  .actions {
    display: flex;
    gap: 0.75rem;
    justify-content: flex-end;
    margin-top: 1.25rem;
  }
  .notice {
    border-left: 4px solid var(--intake-warn);
    background: #fff8e6;
    padding: 0.6rem 0.9rem;
    margin: 0.75rem 0;
  }
  .notice.error {
    border-color: var(--intake-danger);
    background: #fbeaea;
  }
  .badge {
    display: inline-block;
    font-size: 0.75rem;
    padding: 0.05rem 0.5rem;
    border-radius: 1rem;
    background: #e9ecef;
  }
  .required {
    color: var(--intake-danger);
  }
  .muted {
    color: #6a737b;
    font-size: 0.875rem;
  }
  progress {
    width: 100%;
    height: 1.25rem;
    accent-color: var(--intake-accent);
  }
  /* Heard, not seen: what a screen reader is told of a long task's progress. */
  .announcement {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  @container (max-width: 36rem) {
    table.stack thead {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
    }
    table.stack,
    table.stack tbody,
    table.stack tr,
    table.stack td {
      display: block;
    }
    table.stack tr {
      border-bottom: 1px solid var(--intake-border);
      padding: 0.4rem 0;
    }
    table.stack td {
      border: 0;
      padding: 0.15rem 0.6rem;
      /* Stacked on a phone, a cell is as wide as the screen: any long token breaks where it must. */
      overflow-wrap: anywhere;
    }
    table.stack td[data-label]::before {
      content: attr(data-label) ': ';
      font-weight: 600;
    }
    .actions {
      flex-wrap: wrap;
    }
  }
`;
