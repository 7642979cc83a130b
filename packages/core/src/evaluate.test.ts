import { describe, expect, it } from 'vitest'
import { createAuth } from './create-auth.js'
import { httpBearer } from './schemes/http-bearer.js'
import type { AuthFailure } from './result.js'
import { fakeHeaders, fakeScheme, type FakeOutcome } from '../test/support/fake-scheme.js'
import { lightRequest } from '../test/support/requests.js'

function setup(options: { async?: boolean } = {}) {
  const A = fakeScheme('A', options)
  const B = fakeScheme('B', options)
  const C = fakeScheme('C', options)
  const auth = createAuth({ schemes: { A, B, C } })
  const verifies = (s: typeof A) => s.calls.filter((c) => c.op === 'verify').length
  const extracts = (s: typeof A) => s.calls.filter((c) => c.op === 'extract').length
  return { A, B, C, auth, verifies, extracts }
}

const valid = (...scopes: string[]): FakeOutcome => ({ kind: 'valid', scopes })
const invalid: FakeOutcome = { kind: 'invalid' }
const malformed: FakeOutcome = { kind: 'malformed' }
const unavailable: FakeOutcome = { kind: 'unavailable' }
const req = (outcomes: Record<string, FakeOutcome>) => lightRequest(fakeHeaders(outcomes))

const failed = (result: { ok: boolean }): AuthFailure => {
  expect(result.ok).toBe(false)
  return result as AuthFailure
}

describe('evaluate: optional auth {} is tried last and never hides a presented bad credential', () => {
  it.each([
    ['[{}, { A: [] }]', [{}, { A: [] }], 1],
    ['[{ A: [] }, {}]', [{ A: [] }, {}], 0],
  ])('%s: a valid credential is taken (principals, scopes, its own index), wherever {} is written', async (_name, requirement, index) => {
    const { auth } = setup()
    expect(await auth.authenticate(req({ A: valid('r') }), requirement)).toEqual({ ok: true, principals: { A: { name: 'A', scopes: ['r'] } }, scopes: ['r'], alternative: index })
  })

  it.each([
    ['[{}, { A: [] }]', [{}, { A: [] }], 0],
    ['[{ A: [] }, {}]', [{ A: [] }, {}], 1],
  ])('%s: no credential at all passes anonymously with the index of {}', async (_name, requirement, index) => {
    const { auth } = setup()
    expect(await auth.authenticate(req({}), requirement)).toEqual({ ok: true, principals: {}, scopes: [], alternative: index })
  })

  it.each([
    ['rejected', invalid, 401, 'invalid_token'],
    ['malformed', malformed, 400, 'invalid_request'],
    ['unverifiable', unavailable, 503, 'temporarily_unavailable'],
  ] as const)('a %s credential fails exactly as without {}, in either order', async (_name, outcome, status, code) => {
    const { auth } = setup()
    for (const requirement of [[{}, { A: [] }], [{ A: [] }, {}], [{}, { B: [] }, { A: [] }, {}]]) {
      const failure = failed(await auth.authenticate(req({ A: outcome }), requirement))
      expect(failure).toMatchObject({ status, code })
      expect(failure.scheme).toBe('A')
    }
  })

  it('a valid credential without the asked scope passes anonymously (missing scopes are not a rejection)', async () => {
    const { auth } = setup()
    expect(await auth.authenticate(req({ A: valid('r') }), [{ A: ['w'] }, {}])).toEqual({ ok: true, principals: {}, scopes: [], alternative: 1 })
  })

  it('a rejected credential in one alternative is not hidden by a missing scope in another (any refusal fails {})', async () => {
    const { auth } = setup()
    const failure = failed(await auth.authenticate(req({ A: invalid, B: valid('r') }), [{ A: [] }, { B: ['w'] }, {}]))
    expect(failure.status).toBe(403) // the response is still the highest-precedence outcome
  })

  it('[{}] alone passes; several {} report the first one', async () => {
    const { auth } = setup()
    expect(await auth.authenticate(req({ A: invalid }), [{}])).toMatchObject({ ok: true, alternative: 0 })
    expect(await auth.authenticate(req({}), [{ A: [] }, {}, { B: [] }, {}])).toMatchObject({ ok: true, principals: {}, alternative: 1 })
  })
})

describe('evaluate: alternatives and groups', () => {
  it('[] is public: success with no principals, alternative -1, nothing extracted', async () => {
    const { auth, A, extracts } = setup()
    expect(await auth.authenticate(req({}), [])).toEqual({ ok: true, principals: {}, scopes: [], alternative: -1 })
    expect(extracts(A)).toBe(0)
  })

  it('{} passes with no principals and reports its index', async () => {
    const { auth } = setup()
    expect(await auth.authenticate(req({}), [{}])).toMatchObject({ ok: true, principals: {}, alternative: 0 })
    expect(await auth.authenticate(req({}), [{ A: [] }, {}])).toMatchObject({ ok: true, principals: {}, alternative: 1 })
  })

  it('alternatives are tried in order and the first passing one wins', async () => {
    const { auth, B, verifies } = setup()
    const result = await auth.authenticate(req({ A: valid('a'), B: valid('b') }), [{ A: [] }, { B: [] }])
    expect(result).toMatchObject({ ok: true, alternative: 0, principals: { A: { name: 'A' } }, scopes: ['a'] })
    expect(verifies(B)).toBe(0)
  })

  it('a later alternative passes when earlier ones fail; principals and scopes are only its own', async () => {
    const { auth } = setup()
    const result = await auth.authenticate(req({ A: invalid, B: valid('b1'), C: valid('c1', 'b1') }), [{ A: [] }, { B: [], C: [] }])
    expect(result.ok && result.alternative).toBe(1)
    expect(result.ok && Object.keys(result.principals).sort()).toEqual(['B', 'C'])
    expect(result.ok && result.scopes).toEqual(['b1', 'c1'])
  })

  it('AND: every scheme of the group must pass', async () => {
    const { auth } = setup()
    expect((await auth.authenticate(req({ A: valid(), B: valid() }), [{ A: [], B: [] }])).ok).toBe(true)
    expect(failed(await auth.authenticate(req({ A: valid(), B: invalid }), [{ A: [], B: [] }])).scheme).toBe('B')
  })

  it('presence is checked before any verification: nothing is verified when another scheme of the group is missing', async () => {
    const { auth, A, verifies } = setup()
    const failure = failed(await auth.authenticate(req({ A: valid() }), [{ A: [], B: [] }]))
    expect(failure.code).toBe('credentials_missing')
    expect(verifies(A)).toBe(0)
  })

  it('a malformed credential in a group fails it with 400 even when an earlier scheme of it is absent', async () => {
    const { auth, A, verifies } = setup()
    const failure = failed(await auth.authenticate(req({ B: malformed, C: valid() }), [{ A: [], B: [], C: [] }]))
    expect(failure.status).toBe(400)
    expect(failure.scheme).toBe('B')
    expect(verifies(A)).toBe(0)
  })

  it('verification runs in written order and stops at the first failure', async () => {
    const { auth, A, B, C, verifies } = setup()
    await auth.authenticate(req({ A: valid(), B: invalid, C: valid() }), [{ C: [], B: [], A: [] }])
    expect(verifies(C)).toBe(1)
    expect(verifies(B)).toBe(1)
    expect(verifies(A)).toBe(0)
  })

  it('each scheme is extracted and verified at most once per request, across alternatives', async () => {
    const { auth, A, B, verifies, extracts } = setup()
    const result = await auth.authenticate(req({ A: valid(), B: invalid, C: valid() }), [{ A: [], B: [] }, { B: [], A: [] }, { A: [], C: [] }])
    expect(result.ok && result.alternative).toBe(2)
    expect(verifies(A)).toBe(1)
    expect(verifies(B)).toBe(1)
    expect(extracts(A)).toBe(1)
    expect(extracts(B)).toBe(1)
  })

  it('a verified scheme lacking a scope in one alternative can still pass another asking fewer scopes', async () => {
    const { auth, A, verifies } = setup()
    const result = await auth.authenticate(req({ A: valid('read') }), [{ A: ['admin'] }, { A: ['read'] }])
    expect(result).toMatchObject({ ok: true, alternative: 1, scopes: ['read'] })
    expect(verifies(A)).toBe(1)
  })

  it('ctx carries the request, the env and the scopes asked by the first alternative that verifies', async () => {
    const { auth, A } = setup()
    const request = req({ A: valid('x', 'y') })
    await auth.authenticate(request, [{ A: ['x'] }, { A: ['y'] }], { env: { KV: 'binding' } })
    const ctx = A.calls.find((c) => c.op === 'verify')!.ctx!
    expect(ctx.request).toBe(request)
    expect(ctx.env).toEqual({ KV: 'binding' })
    expect(ctx.scopes).toEqual(['x'])
  })

  it('env is undefined when authenticate gets none', async () => {
    const { auth, A } = setup()
    await auth.authenticate(req({ A: valid() }), [{ A: [] }])
    expect(A.calls.find((c) => c.op === 'verify')!.ctx!.env).toBeUndefined()
  })

  it('async verification works the same as sync', async () => {
    const { auth } = setup({ async: true })
    expect(await auth.authenticate(req({ A: invalid, B: valid('s') }), [{ A: [] }, { B: ['s'] }])).toMatchObject({ ok: true, alternative: 1 })
    expect(failed(await auth.authenticate(req({ A: valid('r') }), [{ A: ['w'] }])).status).toBe(403)
  })

  it('a granted scope list is deduplicated across the schemes of the passing group', async () => {
    const { auth } = setup()
    const result = await auth.authenticate(req({ A: valid('a', 'b'), B: valid('b', 'c') }), [{ A: [], B: [] }])
    expect(result.ok && result.scopes).toEqual(['a', 'b', 'c'])
  })
})

describe('evaluate: status precedence (400 > 503 > 403 > 401 invalid > 401 missing)', () => {
  const kinds: [string, FakeOutcome, number, string][] = [
    ['malformed', malformed, 400, 'invalid_request'],
    ['unavailable', unavailable, 503, 'temporarily_unavailable'],
    ['insufficient scope', valid(), 403, 'insufficient_scope'],
    ['invalid', invalid, 401, 'invalid_token'],
    ['missing', { kind: 'absent' }, 401, 'credentials_missing'],
  ]

  it.each(kinds)('a single scheme %s → %i %s', async (_label, outcome, status, code) => {
    const { auth } = setup()
    const failure = failed(await auth.authenticate(req({ A: outcome }), [{ A: ['needed'] }]))
    expect(failure.status).toBe(status)
    expect(failure.code).toBe(code)
    expect(failure.problem.status).toBe(status)
  })

  const pairs: [string, FakeOutcome, number, string, FakeOutcome, number][] = []
  for (let i = 0; i < kinds.length; i++) {
    for (let j = i + 1; j < kinds.length; j++) {
      pairs.push([kinds[i]![0], kinds[i]![1], kinds[i]![2], kinds[j]![0], kinds[j]![1], kinds[j]![2]])
    }
  }

  it.each(pairs)('%s beats %s in either alternative order', async (_hi, high, status, _lo, low) => {
    const { auth } = setup()
    for (const [first, second, winner] of [[high, low, 'A'], [low, high, 'B']] as const) {
      const failure = failed(await auth.authenticate(req({ A: first, B: second }), [{ A: ['needed'] }, { B: ['needed'] }]))
      expect(failure.status).toBe(status)
      if (failure.code !== 'credentials_missing') expect(failure.scheme).toBe(winner)
    }
  })

  it('between equal outcomes the first alternative decides', async () => {
    const { auth } = setup()
    expect(failed(await auth.authenticate(req({ A: invalid, B: invalid }), [{ B: [] }, { A: [] }])).scheme).toBe('B')
  })

  it('missing credentials have no decisive scheme', async () => {
    const { auth } = setup()
    expect(failed(await auth.authenticate(req({}), [{ A: [] }])).scheme).toBeUndefined()
  })

  it('an invalid credential in a later alternative beats missing credentials in an earlier one', async () => {
    const { auth } = setup()
    const failure = failed(await auth.authenticate(req({ A: invalid }), [{ B: [] }, { A: [] }]))
    expect(failure.code).toBe('invalid_token')
  })

  it('503 is never a grant, and another alternative can still pass', async () => {
    const { auth } = setup()
    expect(failed(await auth.authenticate(req({ A: unavailable }), [{ A: [] }])).status).toBe(503)
    expect(await auth.authenticate(req({ A: unavailable, B: valid() }), [{ A: [] }, { B: [] }])).toMatchObject({ ok: true, alternative: 1 })
  })
})

describe('evaluate: challenges', () => {
  it('missing → one challenge per scheme of the requirement, in first-appearance order, none with error', async () => {
    const { auth } = setup()
    const failure = failed(await auth.authenticate(req({}), [{ B: [], A: [] }, { A: [], C: [] }]))
    expect(failure.challenges).toEqual(['FakeB realm="api"', 'FakeA realm="api"', 'FakeC realm="api"'])
  })

  it('only the decisive scheme carries error', async () => {
    const { auth } = setup()
    const failure = failed(await auth.authenticate(req({ A: invalid, B: valid() }), [{ A: [] }, { B: [], C: [] }]))
    expect(failure.challenges).toEqual(['FakeA realm="api", error="invalid_token"', 'FakeB realm="api"', 'FakeC realm="api"'])
  })

  it('on 403 the decisive challenge has scope= with the scopes asked of that scheme in that alternative', async () => {
    const { auth } = setup()
    const failure = failed(await auth.authenticate(req({ A: valid('r'), B: invalid }), [{ A: ['r', 'w'] }, { B: ['z'] }]))
    expect(failure.status).toBe(403)
    expect(failure.challenges).toEqual(['FakeA realm="api", error="insufficient_scope", scope="r w"', 'FakeB realm="api"'])
  })

  it('on 400 the malformed scheme carries error="invalid_request"', async () => {
    const { auth } = setup()
    const failure = failed(await auth.authenticate(req({ B: malformed }), [{ A: [] }, { B: [] }]))
    expect(failure.challenges).toEqual(['FakeA realm="api"', 'FakeB realm="api", error="invalid_request"'])
  })

  it('on 503 there is no WWW-Authenticate, and Retry-After comes from the scheme', async () => {
    const { auth } = setup()
    const failure = failed(await auth.authenticate(req({ A: { kind: 'unavailable', retryAfter: 12.2 } }), [{ A: [] }]))
    expect(failure.challenges).toEqual([])
    expect(failure.headers['WWW-Authenticate']).toBeUndefined()
    expect(failure.headers['Retry-After']).toBe('13')
    expect(failure.scheme).toBe('A')
  })

  it('Retry-After defaults to 5 s and is at least 1 s', async () => {
    const { auth } = setup()
    expect(failed(await auth.authenticate(req({ A: unavailable }), [{ A: [] }])).headers['Retry-After']).toBe('5')
    expect(failed(await auth.authenticate(req({ A: { kind: 'unavailable', retryAfter: 0 } }), [{ A: [] }])).headers['Retry-After']).toBe('1')
  })

  it('realm: scheme option > createAuth realm > "api"', async () => {
    const A = fakeScheme('A', { realm: 'mine' })
    const B = fakeScheme('B')
    const withRealm = createAuth({ realm: 'shop', schemes: { A, B } })
    const noRealm = createAuth({ schemes: { A, B } })
    expect(failed(await withRealm.authenticate(req({}), [{ A: [] }, { B: [] }])).challenges).toEqual(['FakeA realm="mine"', 'FakeB realm="shop"'])
    expect(failed(await noRealm.authenticate(req({}), [{ A: [] }, { B: [] }])).challenges).toEqual(['FakeA realm="mine"', 'FakeB realm="api"'])
    expect(failed(await withRealm.authenticate(req({ B: invalid }), [{ B: [] }])).challenges).toEqual(['FakeB realm="shop", error="invalid_token"'])
  })

  it('Vary lists the headers every scheme of the requirement reads', async () => {
    const { auth } = setup()
    expect(failed(await auth.authenticate(req({}), [{ A: [] }, { B: [] }])).headers.Vary).toBe('x-fake-a, x-fake-b')
  })
})

describe('evaluate: errors thrown by verification', () => {
  it('a scheme whose verify rejects makes authenticate reject with ERR_AUTHSPEC_VERIFY, the scheme name and the cause', async () => {
    const boom = new Error('db down')
    const A = fakeScheme('A')
    const broken = { ...A, verify: () => Promise.reject(boom) }
    const auth = createAuth({ schemes: { Broken: broken } })
    await expect(auth.authenticate(req({ A: valid() }), [{ Broken: [] }])).rejects.toMatchObject({ code: 'ERR_AUTHSPEC_VERIFY', scheme: 'Broken', cause: boom })
  })

  it('a scheme whose verify throws synchronously rejects the same way, and later alternatives are not tried', async () => {
    const boom = new Error('sync')
    const A = fakeScheme('A')
    const B = fakeScheme('B')
    const auth = createAuth({ schemes: { Broken: { ...A, verify: () => { throw boom } }, B } })
    await expect(auth.authenticate(req({ A: valid(), B: valid() }), [{ Broken: [] }, { B: [] }])).rejects.toMatchObject({ code: 'ERR_AUTHSPEC_VERIFY', cause: boom })
    expect(B.calls.filter((c) => c.op === 'verify')).toHaveLength(0)
  })
})

describe('evaluate: identical challenges', () => {
  const auth = createAuth({
    realm: 'pets',
    schemes: {
      Opaque: httpBearer({ verify: (t) => (t === 'opaque' ? { t } : null), scopes: () => ['read'] }),
      Other: httpBearer({ verify: (t) => (t === 'other' ? { t } : null), scopes: () => [] }),
      Admin: httpBearer({ realm: 'admin', verify: () => null }),
    },
  })
  const requirement = [{ Opaque: [] }, { Other: ['write'] }, { Admin: [] }]
  const bearer = (token?: string) => new Request('http://x/', token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } })

  it('missing credentials → schemes with the same challenge are sent once; another realm stays separate', async () => {
    const failure = failed(await auth.authenticate(bearer(), requirement))
    expect(failure.challenges).toEqual(['Bearer realm="pets"', 'Bearer realm="admin"'])
  })

  it('the decisive scheme’s challenge (with error and scope) stands for its identical siblings', async () => {
    const failure = failed(await auth.authenticate(bearer('other'), requirement))
    expect(failure.status).toBe(403)
    expect(failure.challenges).toEqual(['Bearer realm="pets", error="insufficient_scope", scope="write"', 'Bearer realm="admin"'])
    expect(failure.response.headers.get('www-authenticate')).toBe(
      'Bearer realm="pets", error="insufficient_scope", scope="write", Bearer realm="admin"',
    )
  })
})

describe('evaluate: a client address given as a function is computed only when a verifier reads ctx.client', () => {
  it('a verifier that never reads ctx.client never calls it; one that reads it gets its value', async () => {
    const seen: (string | undefined)[] = []
    const auth = createAuth({
      schemes: {
        Quiet: httpBearer({ verify: (token) => (token === 'quiet' ? { sub: 'q' } : null) }),
        Reads: httpBearer({ verify: (token, ctx) => (seen.push(ctx.client), token === 'reads' ? { sub: 'r' } : null) }),
      },
    })
    let calls = 0
    const client = () => (calls++, '203.0.113.7')
    const bearer = (token: string) => lightRequest({ authorization: `Bearer ${token}` })
    expect((await auth.authenticate(bearer('quiet'), [{ Quiet: [] }], { client })).ok).toBe(true)
    expect(calls).toBe(0)
    expect((await auth.authenticate(bearer('reads'), [{ Reads: [] }], { client })).ok).toBe(true)
    expect(seen).toEqual(['203.0.113.7'])
    expect(calls).toBe(1)
    // A string is passed as it is, as before.
    expect((await auth.authenticate(bearer('reads'), [{ Reads: [] }], { client: '198.51.100.4' })).ok).toBe(true)
    expect(seen).toEqual(['203.0.113.7', '198.51.100.4'])
  })
})

describe('authenticateNow: the same answer, without a promise when no verification was asynchronous', () => {
  it('answers synchronously for synchronous schemes, with a promise once one verification is asynchronous', async () => {
    const A = fakeScheme('A')
    const B = fakeScheme('B', { async: true })
    const auth = createAuth({ schemes: { A, B } })
    const now = auth.authenticateNow(req({ A: valid('r') }), [{ A: [] }])
    expect(now).not.toBeInstanceOf(Promise)
    expect(now).toMatchObject({ ok: true, alternative: 0 })
    const later = auth.authenticateNow(req({ A: valid(), B: valid() }), [{ A: [], B: [] }])
    expect(later).toBeInstanceOf(Promise)
    expect(await later).toMatchObject({ ok: true, principals: { A: { name: 'A' }, B: { name: 'B' } } })
    // Resuming after B re-enters the alternative without verifying A again.
    expect(A.calls.filter((c) => c.op === 'verify')).toHaveLength(2)
    expect(B.calls.filter((c) => c.op === 'verify')).toHaveLength(1)
  })

  it('authenticate still returns a promise for a synchronous answer', () => {
    const auth = createAuth({ schemes: { A: fakeScheme('A') } })
    expect(auth.authenticate(req({ A: valid() }), [{ A: [] }])).toBeInstanceOf(Promise)
  })

  it('a verifier that throws: authenticateNow throws ERR_AUTHSPEC_VERIFY naming the scheme, authenticate rejects with it', async () => {
    const A = { ...fakeScheme('A'), verify: () => { throw new Error('database down') } }
    const auth = createAuth({ schemes: { A } })
    expect(() => auth.authenticateNow(req({ A: valid() }), [{ A: [] }])).toThrow(expect.objectContaining({ code: 'ERR_AUTHSPEC_VERIFY', scheme: 'A' }))
    await expect(auth.authenticate(req({ A: valid() }), [{ A: [] }])).rejects.toMatchObject({ code: 'ERR_AUTHSPEC_VERIFY', scheme: 'A' })
    const rejecting = createAuth({ schemes: { A: { ...fakeScheme('A'), verify: () => Promise.reject(new Error('database down')) } } })
    await expect(rejecting.authenticateNow(req({ A: valid() }), [{ A: [] }])).rejects.toMatchObject({ code: 'ERR_AUTHSPEC_VERIFY', scheme: 'A' })
  })

  it('a bad requirement: authenticateNow throws the config error, authenticate rejects with it', async () => {
    const auth = createAuth({ schemes: { A: fakeScheme('A') } })
    expect(() => auth.authenticateNow(req({}), [{ Z: [] }] as never)).toThrow(expect.objectContaining({ code: 'ERR_AUTHSPEC_CONFIG' }))
    await expect(auth.authenticate(req({}), [{ Z: [] }] as never)).rejects.toMatchObject({ code: 'ERR_AUTHSPEC_CONFIG' })
  })
})
