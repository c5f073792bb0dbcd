// Shared by the UI browser tests: reach into the UI's open shadow root and read what the visitor sees.
import type { Page } from 'playwright-core'

/** The `data-view` of `#minopio-consent` (null when nothing shows or the UI is not mounted). */
export const viewOf = (page: Page) => page.evaluate(() => document.getElementById('minopio-consent')?.getAttribute('data-view') ?? null)

/** Waits until the UI shows `view` (`null`: nothing). */
export const waitView = (page: Page, view: string | null) =>
  page.waitForFunction((v) => (document.getElementById('minopio-consent')?.getAttribute('data-view') ?? null) === v, view)

/** A control of the UI by its `data-action` (playwright CSS pierces open shadow roots). */
export const action = (page: Page, name: string) => page.locator(`#minopio-consent [data-action="${name}"]`)

/** What has focus, looking through shadow roots: its data-action, data-category, or tag name. */
export const focused = (page: Page) =>
  page.evaluate(() => {
    let at = document.activeElement
    while (at?.shadowRoot?.activeElement) at = at.shadowRoot.activeElement
    return at?.getAttribute('data-action') ?? at?.getAttribute('data-category') ?? at?.getAttribute('role') ?? at?.tagName ?? null
  })

/** Waits for the UI's entrance animation to end, so colours are final. */
export const settled = (page: Page) =>
  page.evaluate(() => Promise.all((document.getElementById('minopio-consent')?.shadowRoot?.getAnimations() ?? []).map((a) => a.finished)))
