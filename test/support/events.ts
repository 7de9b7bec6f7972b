import { oneEvent } from '@open-wc/testing';

/** The next event of this class from an element, typed (and checked to be of that class, not a look-alike). */
export async function nextEvent<T extends Event>(element: EventTarget, type: { eventName: string; new (...args: never[]): T }): Promise<T> {
  const event: Event = await oneEvent(element, type.eventName);
  if (!(event instanceof type)) throw new Error(`${type.eventName} arrived as ${event.constructor.name}, not ${type.name}`);
  return event;
}
