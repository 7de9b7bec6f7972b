/**
 * Reading a form control from its event, typed without casts: the listener's element is checked to be
 * the kind of control it reads.
 */
type ValueControl = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

const isValueControl = (target: EventTarget | null): target is ValueControl =>
  target instanceof HTMLInputElement || target instanceof HTMLSelectElement || target instanceof HTMLTextAreaElement;

/** The value of the control the listener sits on (empty for anything else). */
export function valueOf(event: Event): string {
  return isValueControl(event.currentTarget) ? event.currentTarget.value : '';
}

/** The trimmed value, or undefined when it is empty: how optional settings are left out. */
export function optionalValueOf(event: Event): string | undefined {
  return valueOf(event).trim() || undefined;
}

export function checkedOf(event: Event): boolean {
  return event.currentTarget instanceof HTMLInputElement && event.currentTarget.checked;
}

/** The value when it is one of the allowed choices (a `<select>` offers only those), else the fallback. */
export function choiceOf<T extends string>(event: Event, allowed: readonly T[], fallback: T): T {
  const value = valueOf(event);
  return allowed.find((choice) => choice === value) ?? fallback;
}
