import { challenge } from '../../src/internal/quoted-string.js'
import type { AuthContext, Extracted, Scheme, VerifyOutcome } from '../../src/types.js'

/** What one fake scheme does on one request. */
export type FakeOutcome =
  | { kind: 'absent' }
  | { kind: 'malformed' }
  | { kind: 'invalid' }
  | { kind: 'unavailable'; retryAfter?: number }
  | { kind: 'valid'; scopes: string[] }

export interface FakeScheme extends Scheme<{ name: string; scopes: string[] }> {
  /** Every extract and verify call, in order. */
  readonly calls: { op: 'extract' | 'verify'; ctx?: AuthContext }[]
}

/**
 * A scheme driven by one request header, `x-fake-<name>`, holding a JSON {@link FakeOutcome}.
 * It records its calls, verifies asynchronously when `async` is set, and declares any scope.
 */
export function fakeScheme(name: string, options: { async?: boolean; realm?: string } = {}): FakeScheme {
  const calls: FakeScheme['calls'] = []
  const header = `x-fake-${name.toLowerCase()}`
  return {
    type: 'http',
    realm: options.realm,
    scopeMode: 'any',
    varyHeaders: [header],
    calls,
    extract(view): Extracted {
      calls.push({ op: 'extract' })
      const raw = view.header(header)
      if (raw === null) return { state: 'absent' }
      const outcome = JSON.parse(raw) as FakeOutcome
      if (outcome.kind === 'absent') return { state: 'absent' }
      if (outcome.kind === 'malformed') return { state: 'malformed', detail: `bad ${name}` }
      return { state: 'present', credential: outcome }
    },
    verify(credential, ctx) {
      calls.push({ op: 'verify', ctx })
      const outcome = credential as FakeOutcome
      let result: VerifyOutcome<{ name: string; scopes: string[] }>
      if (outcome.kind === 'valid') result = { ok: true, principal: { name, scopes: outcome.scopes }, scopes: outcome.scopes }
      else if (outcome.kind === 'unavailable') result = { ok: false, reason: 'unavailable', retryAfter: outcome.retryAfter }
      else result = { ok: false, reason: 'invalid' }
      return options.async ? Promise.resolve(result) : result
    },
    challenge: ({ realm, error, scope }) =>
      challenge(`Fake${name}`, [
        ['realm', realm],
        ['error', error],
        ['scope', scope && scope.length > 0 ? scope.join(' ') : undefined],
      ]),
    toOpenAPI: () => ({ type: 'http', scheme: `fake${name}` }),
  }
}

/** Request headers that make each named fake scheme behave as given. */
export function fakeHeaders(outcomes: Record<string, FakeOutcome>): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const [name, outcome] of Object.entries(outcomes)) headers[`x-fake-${name.toLowerCase()}`] = JSON.stringify(outcome)
  return headers
}
