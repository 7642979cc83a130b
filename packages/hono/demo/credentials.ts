import type { DemoBindings } from './app.js'

/** Development-only credentials of the local demo (printed at start; never use them anywhere else). */
export const DEMO_CREDENTIALS = {
  apiKey: 'demo-api-key',
  basicUser: 'demo',
  basicPassword: 'demo-password',
  opaqueToken: 'demo-opaque-token',
  clientId: 'demo-client',
  clientSecret: 'demo-client-secret',
} as const

/** Expected `iss` and `aud` of the demo's JWTs. */
export const DEMO_ISSUER = 'urn:authspec:demo'
export const DEMO_AUDIENCE = 'pets-api'

/** The demo credentials as environment bindings. */
export function demoBindings(): DemoBindings {
  return {
    DEMO_API_KEY: DEMO_CREDENTIALS.apiKey,
    DEMO_BASIC_USER: DEMO_CREDENTIALS.basicUser,
    DEMO_BASIC_PASSWORD: DEMO_CREDENTIALS.basicPassword,
    DEMO_OPAQUE_TOKEN: DEMO_CREDENTIALS.opaqueToken,
  }
}
