import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createAuth } from '../../src/create-auth.js'
import { findAuthorization } from '../../src/internal/authorization-header.js'
import { decodeBase64 } from '../../src/internal/base64.js'
import { extractBearer } from '../../src/internal/bearer-token.js'
import { findCookie } from '../../src/internal/cookies.js'
import { findQueryParam } from '../../src/internal/query.js'
import { RequestView } from '../../src/internal/request-view.js'
import type { AuthFailure } from '../../src/result.js'
import { apiKey } from '../../src/schemes/api-key.js'
import { httpBasic } from '../../src/schemes/http-basic.js'
import { httpBearer } from '../../src/schemes/http-bearer.js'
import { anyAscii, anyUnicode } from '../support/arbitraries.js'
import { hasControl, lightRequest } from '../support/requests.js'

// Secrets drawn at run time: the fuzzer cannot produce them, so nothing may ever be granted.
const SECRET = `${crypto.randomUUID()}${crypto.randomUUID()}`
const USER = `u${crypto.randomUUID()}`
const accept = (value: string) => (value === SECRET ? { ok: true } : null)

const schemes = {
  Key: apiKey({ in: 'header', name: 'X-API-Key', keys: { k: SECRET } }),
  KeyV: apiKey({ in: 'header', name: 'X-API-Key', verify: accept }),
  Query: apiKey({ in: 'query', name: 'api_key', verify: accept }),
  Cookie: apiKey({ in: 'cookie', name: 'sid', keys: { k: SECRET } }),
  Basic: httpBasic({ users: { [USER]: SECRET } }),
  BasicV: httpBasic({ verify: ({ username, password }) => (username === USER && password === SECRET ? { username } : null) }),
  Bearer: httpBearer({ verify: accept, scopes: () => ['read'] }),
  BearerQ: httpBearer({ verify: accept, allowQuery: true }),
}
const auth = createAuth({ schemes, realm: 'fuzz' })
const requirements = [
  ...Object.keys(schemes).map((name) => [{ [name]: [] }]),
  [{ Key: [], Basic: [] }, { Bearer: ['read'] }, { Cookie: [], Query: [] }],
  [{ BearerQ: [] }, { BasicV: [] }, { KeyV: [] }],
] as const

const anyString = fc.oneof(
  { weight: 3, arbitrary: anyUnicode({ maxLength: 60 }) },
  { weight: 2, arbitrary: anyAscii(60) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('\r', '\n', '\t', '\u0000', '"', '\\', ',', ';', '=', ' ', '%', '+', 'a'), maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 500, maxLength: 3000 }) },
)
const authorization = fc.oneof(
  anyString,
  fc.tuple(fc.constantFrom('Basic', 'basic', 'BASIC', 'Bearer', 'bearer', 'BeArEr', 'Digest', 'Basicx', ''), fc.constantFrom(' ', '  ', '\t', '', ', '), anyString).map((p) => p.join('')),
  fc.tuple(fc.constantFrom('Basic ', 'basic  '), anyString).map(([prefix, s]) => prefix + Buffer.from(s, 'utf8').toString('base64')),
  fc.tuple(anyString, anyString).map(([a, b]) => `Basic ${Buffer.from(`${a}:${b}`, 'utf8').toString('base64')}, Bearer ${a}`),
)
const cookie = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom('sid', 'SID', ' sid', 'sid '), anyString), anyString, fc.constantFrom('; ', ', ', ';', '')), { maxLength: 5 })
  .map((pairs) => pairs.map(([name, value, sep]) => `${name}=${value}${sep}`).join(''))
const encode = (value: string): string => {
  try {
    return encodeURIComponent(value)
  } catch {
    return value // lone surrogates: send them raw
  }
}
const query = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom('api_key', 'access_token', 'api%5Fkey'), anyString), anyString, fc.boolean()), { maxLength: 5 })
  .map((pairs) => pairs.map(([name, value, encoded]) => `${name}=${encoded ? encode(value) : value}`).join('&'))
const requestArb = fc.record(
  {
    authorization,
    'x-api-key': anyString,
    cookie,
    query,
    requirement: fc.nat({ max: requirements.length - 1 }),
  },
  { requiredKeys: ['requirement'] },
)

describe('fuzz: random headers, cookies and queries through every scheme', () => {
  it('never throws, never grants, and only answers 400 or 401 (403 needs a grant) with safe challenges', async () => {
    const statuses = new Set<number>()
    await fc.assert(
      fc.asyncProperty(requestArb, async ({ requirement, query: q, ...headers }) => {
        const request = lightRequest(headers as Record<string, string>, q === undefined ? '/fuzz' : `/fuzz?${q}`)
        const result = await auth.authenticate(request, requirements[requirement]!)
        expect(result.ok).toBe(false)
        const failure = result as AuthFailure
        expect([400, 401, 403]).toContain(failure.status)
        statuses.add(failure.status)
        for (const challenge of failure.challenges) expect(hasControl(challenge)).toBe(false)
        // Building the Response validates every header value.
        expect(failure.response.status).toBe(failure.status)
        const body = await failure.response.text()
        expect(body).not.toContain(SECRET)
      }),
      { numRuns: 2000 },
    )
    // Both the malformed and the rejected/missing paths were exercised.
    expect([...statuses].sort()).toEqual([400, 401])
  })

  it('the real secrets still pass (the fuzz harness is not rejecting everything)', async () => {
    expect((await auth.authenticate(lightRequest({ 'x-api-key': SECRET }), [{ Key: [] }])).ok).toBe(true)
    const basic = `Basic ${Buffer.from(`${USER}:${SECRET}`).toString('base64')}`
    expect((await auth.authenticate(lightRequest({ authorization: basic }), [{ Basic: [] }, { BasicV: [] }])).ok).toBe(true)
    expect((await auth.authenticate(lightRequest({}, `/f?access_token=${SECRET}`), [{ BearerQ: [] }])).ok).toBe(true)
    expect((await auth.authenticate(lightRequest({ cookie: `sid=${SECRET}` }), [{ Cookie: [] }])).ok).toBe(true)
  })
})

describe('fuzz: parsers never throw on any input', () => {
  it('findAuthorization, decodeBase64, findCookie, findQueryParam and extractBearer', () => {
    fc.assert(
      fc.property(anyString, anyString, fc.boolean(), (value, name, allowQuery) => {
        const auth = findAuthorization(value, name.length === 0 ? 'Bearer' : name)
        expect(['absent', 'malformed', 'present']).toContain(auth.state)
        const bytes = decodeBase64(value)
        if (bytes !== undefined) expect(Buffer.from(bytes).toString('base64').replace(/=+$/, '')).toBe(value.replace(/=+$/, ''))
        expect(['absent', 'ambiguous', 'found']).toContain(findCookie(value, name).state)
        expect(['absent', 'ambiguous', 'undecodable', 'found']).toContain(findQueryParam(value, name).state)
        const view = new RequestView(lightRequest({ authorization: value }, `/p?${name}`))
        const bearer = extractBearer(view, allowQuery)
        if (bearer.state === 'present') expect(bearer.credential).toMatch(/^[A-Za-z0-9\-._~+/]+=*$/)
      }),
      { numRuns: 1500 },
    )
  })

  it('every scheme extract is synchronous and total on any request', () => {
    fc.assert(
      fc.property(requestArb, ({ query: q, requirement: _r, ...headers }) => {
        const view = new RequestView(lightRequest(headers as Record<string, string>, q === undefined ? '/' : `/?${q}`))
        for (const scheme of Object.values(schemes)) {
          const found = scheme.extract(view)
          expect(['absent', 'malformed', 'present']).toContain(found.state)
        }
      }),
      { numRuns: 1000 },
    )
  })
})
