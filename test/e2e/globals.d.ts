import type { ConsentApi } from '../../src/api'

declare global {
  interface Window {
    MinopioConsent: ConsentApi
  }
}
