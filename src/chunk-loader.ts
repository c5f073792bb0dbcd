/** The global deferred files register on: `window.minopioConsentChunks[name]` (the UI keeps its own, `minopioConsentUI`). */
export const CHUNK_GLOBAL = 'minopioConsentChunks'

/** Loads deferred code once (resolves with what it registered); `prefetch()` only starts the download. */
export type Loader<T> = (() => Promise<T>) & { prefetch(): void }

type ChunkWindow = Window & { [CHUNK_GLOBAL]?: Record<string, unknown> }

/**
 * Makes a loader from a function that starts the load: called once, again only after a failure.
 * @param start loads the code (a script tag, or `import()` in the ESM build)
 */
export function once<T>(start: () => Promise<T>): Loader<T> {
  let loading: Promise<T> | null = null
  const load = () =>
    (loading ??= start().catch((error) => {
      loading = null
      throw error
    }))
  return Object.assign(load, { prefetch: () => void load().catch(() => undefined) })
}

/**
 * A loader that injects a classic script from the gate's folder (with the CSP nonce, so it runs under
 * `script-src 'self'` or a nonce policy) and resolves with what it registered.
 * @param url the file
 * @param nonce CSP nonce, if the site uses one
 * @param read what the file registered, `undefined` until it ran
 */
export function scriptLoader<T>(url: string, nonce: string | null, read: () => T | undefined): Loader<T> {
  return once(() => new Promise<T>((resolve, reject) => {
    const done = read()
    if (done) return resolve(done)
    const script = document.createElement('script')
    script.src = url
    script.async = true
    if (nonce) script.nonce = nonce
    script.onload = () => {
      const got = read()
      got ? resolve(got) : reject(new Error(`${url} loaded but registered nothing`))
    }
    script.onerror = () => reject(new Error(`could not load ${url}`))
    document.head.appendChild(script)
  }))
}

/**
 * A loader for a deferred file of the IIFE build, `minopio-consent-<name>.js` next to the gate.
 * @param base the gate's folder URL (ends with `/`)
 * @param name the chunk name the file registers under
 * @param nonce CSP nonce
 */
export function chunkLoader<T>(base: string, name: string, nonce: string | null): Loader<T> {
  return scriptLoader(`${base}minopio-consent-${name}.js`, nonce, () => (window as ChunkWindow)[CHUNK_GLOBAL]?.[name] as T | undefined)
}

/**
 * Registers a deferred file's exports (called by the chunk's own IIFE entry).
 * @param name the chunk name
 * @param exports what `chunkLoader` resolves with
 */
export function registerChunk(name: string, exports: unknown): void {
  ;((window as ChunkWindow)[CHUNK_GLOBAL] ??= {})[name] = exports
}
