import type { LitElement } from 'lit';

/**
 * Once the element has rendered what just changed, the focus goes to `selector` inside it: a keyboard user
 * who closed a question or opened a form stays where they were working, not at the page's start.
 */
export function focusAfterRender(host: LitElement, selector: string): void {
  void host.updateComplete.then(() => host.renderRoot.querySelector<HTMLElement>(selector)?.focus());
}
