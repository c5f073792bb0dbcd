// Shared by the UI unit tests: a real SDK instance (src/) with the real UI mounted on it, in happy-dom.
import { afterEach, beforeEach, vi } from 'vitest'
import { atom } from 'nanostores'
import type { WritableAtom } from 'nanostores'
import { createConsent } from '../src/index'
import type { ConsentApi } from '../src/api'
import type { ConsentConfig, ConsentState, TagReport } from '../src/types'
import { HOST_ID, mountConsentUI } from '../ui/index'

let unmount: (() => void) | null = null
let running: ConsentApi | null = null
// The API's stores are read-only views: to play the gate, the UI is handed a `$tags` the test can write, fed by the gate's.
const gateTags = new WeakMap<ConsentApi, WritableAtom<readonly TagReport[]>>()

beforeEach(() => {
  vi.spyOn(console, 'warn').mockImplementation(() => undefined) // "no endpoint configured"
})
afterEach(() => {
  unmount?.()
  unmount = null
  running?.destroy()
  running = null
  document.body.innerHTML = ''
  document.cookie = 'minopio_consent=; max-age=0; path=/'
})

/**
 * Starts the SDK with `config`, waits for the stored consent, mounts the UI.
 * @param wrap hands the UI another API object (e.g. to observe a gate call the UI makes)
 */
export async function startUi(config: ConsentConfig = {}, wrap = (api: ConsentApi) => api): Promise<ConsentApi> {
  const api = createConsent(config)
  running = api
  await api.ready
  const $tags = atom(api.stores.$tags.get())
  api.stores.$tags.listen((tags) => $tags.set(tags))
  gateTags.set(api, $tags)
  const ui = wrap(api)
  unmount = mountConsentUI(Object.freeze({ ...ui, stores: Object.freeze({ ...ui.stores, $tags }) }))
  return api
}

/** The UI's shadow root. */
export const shadow = () => document.getElementById(HOST_ID)!.shadowRoot!
/** One element in the UI's shadow root. */
export const q = <T extends Element = HTMLElement>(selector: string) => shadow().querySelector<T>(selector)
/** Clicks a `data-action` button of the UI. */
export const click = (action: string) => {
  const button = q(`[data-action="${action}"]`)
  if (!button) throw new Error(`no [data-action="${action}"] in the UI`)
  button.click()
}
/** The host's `data-view`. */
export const view = () => document.getElementById(HOST_ID)!.getAttribute('data-view')

/** Plays the gate: publishes registry entries in `$tags` (the store is the gate → UI contract). */
export const publishTags = (api: ConsentApi, tags: TagReport[]) => gateTags.get(api)!.set(tags)

/** Resolves with the next consent change (a state with a new `change`): actions are queued after `ready`. */
export const nextChange = (api: ConsentApi) =>
  new Promise<ConsentState>((resolve) => {
    const before = api.get().change
    const off = api.stores.$consent.subscribe((state) => {
      if (!state.change || state.change === before) return
      resolve(state)
      queueMicrotask(() => off())
    })
  })
