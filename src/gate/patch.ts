/** A window with its own classes (the page's, or a same-origin child's). */
export type Win = Window & typeof globalThis

/** A property setter as the browser made it (or as the last script wrapped it). */
export type Setter = (this: Element, v: string) => void

/**
 * Replaces the setter of an accessor property, keeping its getter.
 * @param proto the prototype that owns the property
 * @param name the property
 * @param wrap gets the current setter, returns its replacement
 * @returns the setter it replaced (undefined: no such property)
 */
export const patch = (proto: object, name: string, wrap: (set: Setter) => Setter): Setter | undefined => {
  const d = Object.getOwnPropertyDescriptor(proto, name)
  if (d) Object.defineProperty(proto, name, { ...d, set: wrap(d.set as Setter) })
  return d?.set
}
