import { describe, expect, it } from 'vitest'
import { createAuth } from '../create-auth.js'
import { AuthspecError } from '../errors.js'
import { apiKey } from '../schemes/api-key.js'
import { httpBearer } from '../schemes/http-bearer.js'
import { oauth2 } from '../schemes/oauth2.js'
import { runVerify } from './verify-callback.js'

describe('runVerify', () => {
  it('an object is the principal; a sync callback stays sync', () => {
    const outcome = runVerify('s', () => ({ id: 1 }), 'cred', {})
    expect(outcome).toEqual({ ok: true, principal: { id: 1 } })
  })

  it('null and undefined reject as invalid', () => {
    expect(runVerify('s', () => null, 'c', {})).toEqual({ ok: false, reason: 'invalid' })
    expect(runVerify('s', () => undefined, 'c', {})).toEqual({ ok: false, reason: 'invalid' })
  })

  it('a promise of a principal resolves to a grant', async () => {
    const outcome = runVerify('s', async () => ({ id: 2 }), 'c', {})
    expect(outcome).toBeInstanceOf(Promise)
    expect(await outcome).toEqual({ ok: true, principal: { id: 2 } })
  })

  it('a promise of null rejects as invalid', async () => {
    expect(await runVerify('s', async () => null, 'c', {})).toEqual({ ok: false, reason: 'invalid' })
  })

  it.each([true, 1, 'x', 0n, Symbol('s')])('returning %s throws ERR_AUTHSPEC_VERIFY (never a grant)', (value) => {
    expect(() => runVerify('s', () => value, 'c', {})).toThrow(expect.objectContaining({ code: 'ERR_AUTHSPEC_VERIFY' }))
  })

  it('resolving to a non-object rejects with ERR_AUTHSPEC_VERIFY', async () => {
    await expect(runVerify('s', async () => true, 'c', {})).rejects.toMatchObject({ code: 'ERR_AUTHSPEC_VERIFY' })
  })

  it('a throw becomes ERR_AUTHSPEC_VERIFY with the original cause', () => {
    const cause = new Error('db down')
    try {
      runVerify('s', () => {
        throw cause
      }, 'c', {})
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(AuthspecError)
      expect((error as AuthspecError).code).toBe('ERR_AUTHSPEC_VERIFY')
      expect((error as AuthspecError).cause).toBe(cause)
    }
  })

  it('a rejected promise becomes ERR_AUTHSPEC_VERIFY with the original cause', async () => {
    const cause = new Error('timeout')
    await expect(runVerify('s', () => Promise.reject(cause), 'c', {})).rejects.toMatchObject({ code: 'ERR_AUTHSPEC_VERIFY', cause })
  })

  it('scopes() reports granted scopes; undefined means none', () => {
    expect(runVerify('s', () => ({ s: ['a'] }), 'c', {}, (p: { s: string[] }) => p.s)).toEqual({ ok: true, principal: { s: ['a'] }, scopes: ['a'] })
    expect(runVerify('s', () => ({}), 'c', {}, () => undefined)).toEqual({ ok: true, principal: {}, scopes: [] })
  })

  it('scopes() throwing or returning a non-array is ERR_AUTHSPEC_VERIFY', () => {
    expect(() => runVerify('s', () => ({}), 'c', {}, () => {
      throw new Error('x')
    })).toThrow(expect.objectContaining({ code: 'ERR_AUTHSPEC_VERIFY' }))
    expect(() => runVerify('s', () => ({}), 'c', {}, () => 'a b' as never)).toThrow(expect.objectContaining({ code: 'ERR_AUTHSPEC_VERIFY' }))
  })

  it('passes the credential and ctx through to the callback', () => {
    const ctx = { env: 1 }
    let seen: unknown[] = []
    runVerify('s', (c: string, x: never) => ((seen = [c, x]), {}), 'cred', ctx)
    expect(seen).toEqual(['cred', ctx])
    expect(seen[1]).toBe(ctx)
  })
})

describe('what verify may return: a principal is a non-null plain-ish object, nothing else grants', () => {
  const notPrincipals: [string, () => unknown][] = [
    ['an empty array (an empty database result)', () => []],
    ['an array of rows', () => [{ id: 1 }]],
    ['a fetch Response (a forgotten await res.json())', () => new Response('{"id":1}')],
    ['a Request', () => new Request('http://localhost/')],
    ['a Headers', () => new Headers()],
    ['a Map', () => new Map([['id', 1]])],
    ['a Set', () => new Set([1])],
    ['an Error', () => new Error('not found')],
    ['a TypeError', () => new TypeError('bad')],
    ['a boxed number', () => Object(1)],
    ['a boxed string', () => Object('user')],
    ['a boxed boolean', () => Object(true)],
  ]

  it.each(notPrincipals)('returning %s rejects authenticate with ERR_AUTHSPEC_VERIFY, never a grant', async (_name, make) => {
    const auth = createAuth({ schemes: { K: apiKey({ in: 'header', name: 'X-Key', verify: make as never }) } })
    await expect(auth.authenticate(new Request('http://localhost/', { headers: { 'x-key': 'k' } }), [{ K: [] }])).rejects.toMatchObject({
      code: 'ERR_AUTHSPEC_VERIFY',
    })
  })

  it.each(notPrincipals)('resolving to %s rejects with ERR_AUTHSPEC_VERIFY too', async (_name, make) => {
    await expect(Promise.resolve(runVerify('s', async () => make(), 'c', {}))).rejects.toMatchObject({ code: 'ERR_AUTHSPEC_VERIFY' })
  })

  it('a thenable is awaited, and what it resolves to must be a principal', async () => {
    const thenable = { then: (resolve: (v: unknown) => void) => resolve(new Response('x')) }
    await expect(Promise.resolve(runVerify('s', () => thenable, 'c', {}))).rejects.toMatchObject({ code: 'ERR_AUTHSPEC_VERIFY' })
    const good = { then: (resolve: (v: unknown) => void) => resolve({ id: 1 }) }
    expect(await runVerify('s', () => good, 'c', {})).toEqual({ ok: true, principal: { id: 1 } })
  })

  it('plain objects, null-prototype objects and class instances are principals', () => {
    class User {
      constructor(readonly id: string) {}
    }
    expect(runVerify('s', () => ({ id: 1 }), 'c', {})).toMatchObject({ ok: true })
    expect(runVerify('s', () => Object.assign(Object.create(null) as object, { id: 1 }), 'c', {})).toMatchObject({ ok: true })
    expect(runVerify('s', () => new User('u'), 'c', {})).toMatchObject({ ok: true, principal: { id: 'u' } })
    expect(runVerify('s', () => Object.freeze({ id: 1 }), 'c', {})).toMatchObject({ ok: true })
  })
})

describe('introspection answers: an own active other than true rejects, exp and nbf are honoured', () => {
  const now = () => Math.floor(Date.now() / 1000)
  const flows = { clientCredentials: { tokenUrl: '/token', scopes: { 'pets:read': 'Read' } } }
  const run = async (answer: object, requirement: Record<string, string[]>[] = [{ O: [] }]) => {
    const auth = createAuth({ schemes: { O: oauth2({ flows, verify: () => answer }), B: httpBearer({ verify: () => answer }) } })
    return auth.authenticate(new Request('http://localhost/', { headers: { authorization: 'Bearer tok' } }), requirement as never)
  }

  it.each([
    ['{ active: false }', { active: false }],
    ['{ active: "true" }', { active: 'true' }],
    ['{ active: 1 }', { active: 1 }],
    ['{ active: undefined }', { active: undefined }],
    ['{ active: null, scope: … }', { active: null, scope: 'pets:read' }],
  ])('%s → 401 invalid_token, on oauth2 and on httpBearer', async (_name, answer) => {
    for (const requirement of [[{ O: [] }], [{ B: [] }]]) {
      expect(await run(answer, requirement)).toMatchObject({ ok: false, status: 401, code: 'invalid_token' })
    }
  })

  it('{ active: true } with a past exp → 401; with a future nbf → 401; with a non-numeric exp → 401', async () => {
    expect(await run({ active: true, exp: now() - 10 })).toMatchObject({ ok: false, status: 401 })
    expect(await run({ active: true, nbf: now() + 600 })).toMatchObject({ ok: false, status: 401 })
    expect(await run({ active: true, exp: 'tomorrow' })).toMatchObject({ ok: false, status: 401 })
  })

  it('{ active: true } within exp/nbf grants, with scopes from its scope', async () => {
    const answer = { active: true, exp: now() + 600, nbf: now() - 10, scope: 'pets:read', sub: 'svc' }
    expect(await run(answer, [{ O: ['pets:read'] }])).toMatchObject({ ok: true, principals: { O: { sub: 'svc' } }, scopes: ['pets:read'] })
  })

  it('an inherited active is not an introspection answer (only own properties count)', async () => {
    expect(await run(Object.create({ active: false }) as object)).toMatchObject({ ok: true })
  })
})
