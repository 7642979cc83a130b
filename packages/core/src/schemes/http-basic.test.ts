import { describe, expect, it, vi } from 'vitest'
import { createAuth } from '../create-auth.js'
import { httpBasic, type BasicCredentials } from './http-basic.js'
import { basic, lightRequest, request } from '../../test/support/requests.js'
import type { AuthFailure } from '../result.js'

const failed = (result: { ok: boolean }): AuthFailure => {
  expect(result.ok).toBe(false)
  return result as AuthFailure
}

/** A Basic scheme whose verify records what it was given and accepts everything. */
function recording() {
  const seen: BasicCredentials[] = []
  const auth = createAuth({ schemes: { B: httpBasic({ verify: (c) => (seen.push(c), { ...c }) }) }, security: [{ B: [] }] })
  return { seen, auth }
}

describe('httpBasic decoding (RFC 7617)', () => {
  it('Aladdin:open sesame (RFC 7617 §2 example) decodes to user and password', async () => {
    const { seen, auth } = recording()
    expect((await auth.authenticate(request({ authorization: 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==' }))).ok).toBe(true)
    expect(seen).toEqual([{ username: 'Aladdin', password: 'open sesame' }])
  })

  it('test:123£ (RFC 7617 §2.1 example) is UTF-8: dGVzdDoxMjPCow==', async () => {
    expect(basic('test:123£')).toBe('Basic dGVzdDoxMjPCow==')
    const { seen, auth } = recording()
    expect((await auth.authenticate(request({ authorization: 'Basic dGVzdDoxMjPCow==' }))).ok).toBe(true)
    expect(seen).toEqual([{ username: 'test', password: '123£' }])
  })

  it('splits on the first colon: passwords may contain colons', async () => {
    const { seen, auth } = recording()
    await auth.authenticate(request({ authorization: basic('user:pa:ss:word:') }))
    expect(seen).toEqual([{ username: 'user', password: 'pa:ss:word:' }])
  })

  it('an empty password is allowed', async () => {
    const { seen, auth } = recording()
    expect((await auth.authenticate(request({ authorization: basic('user:') }))).ok).toBe(true)
    expect(seen).toEqual([{ username: 'user', password: '' }])
  })

  it('lowercase "basic" is accepted', async () => {
    const { seen, auth } = recording()
    expect((await auth.authenticate(request({ authorization: 'basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==' }))).ok).toBe(true)
    expect(seen).toHaveLength(1)
  })

  it('unpadded base64 is accepted', async () => {
    const { seen, auth } = recording()
    expect((await auth.authenticate(request({ authorization: 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ' }))).ok).toBe(true)
    expect(seen[0]?.password).toBe('open sesame')
  })

  it.each([
    ['no colon', basic('Aladdin')],
    ['invalid base64', 'Basic QWxh!GRpbjpvcGVu'],
    ['base64url characters', 'Basic _-_-'],
    ['wrong padding', 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ='],
    ['invalid UTF-8 (latin-1 £)', `Basic ${Buffer.from([0x74, 0x3a, 0xa3]).toString('base64')}`],
    ['a control character in the user-id', basic('a\u0001b:pw')],
    ['a CR/LF in the password', basic('user:pw\r\nX: y')],
    ['nothing after Basic', 'Basic'],
    ['only spaces after Basic', 'Basic   '],
    ['a tab after Basic', 'Basic\tQWxhZGRpbjpvcGVuIHNlc2FtZQ=='],
    ['two credentials', 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ== QWxh'],
  ])('%s → 400 invalid_request, verify never called', async (_label, header) => {
    const { seen, auth } = recording()
    const failure = failed(await auth.authenticate(lightRequest({ authorization: header })))
    expect(failure.status).toBe(400)
    expect(failure.code).toBe('invalid_request')
    expect(failure.challenges).toEqual(['Basic realm="api", charset="UTF-8", error="invalid_request"'])
    expect(seen).toEqual([])
  })

  it('several spaces after Basic are accepted', async () => {
    const { seen, auth } = recording()
    expect((await auth.authenticate(request({ authorization: 'Basic   QWxhZGRpbjpvcGVuIHNlc2FtZQ==' }))).ok).toBe(true)
    expect(seen).toHaveLength(1)
  })

  it('a Bearer header is absent for Basic → 401 missing', async () => {
    const { auth } = recording()
    expect(failed(await auth.authenticate(request({ authorization: 'Bearer abc' }))).code).toBe('credentials_missing')
  })

  it('two Authorization fields → 400', async () => {
    const { auth, seen } = recording()
    expect(failed(await auth.authenticate(request([['authorization', basic('a:b')], ['authorization', basic('c:d')]]))).status).toBe(400)
    expect(failed(await auth.authenticate(request([['authorization', 'Bearer x'], ['authorization', basic('c:d')]]))).status).toBe(400)
    expect(seen).toEqual([])
  })
})

describe('httpBasic static users', () => {
  const auth = createAuth({
    realm: 'pets',
    schemes: { B: httpBasic({ users: { Aladdin: 'open sesame', admin: 'pa:ss' } }) },
    security: [{ B: [] }],
  })

  it('the right user and password → { username }', async () => {
    expect(await auth.authenticate(request({ authorization: basic('Aladdin:open sesame') }))).toMatchObject({ ok: true, principals: { B: { username: 'Aladdin' } } })
    expect(await auth.authenticate(request({ authorization: basic('admin:pa:ss') }))).toMatchObject({ ok: true, principals: { B: { username: 'admin' } } })
  })

  it.each([
    ['a wrong password', 'Aladdin:open sesamE'],
    ['a password prefix', 'Aladdin:open'],
    ['an unknown user', 'Nobody:open sesame'],
    ["another user's password", 'admin:open sesame'],
    ['an empty password', 'Aladdin:'],
    ['a username differing in case', 'aladdin:open sesame'],
  ])('%s → 401 invalid_token', async (_label, userPass) => {
    const failure = failed(await auth.authenticate(request({ authorization: basic(userPass) })))
    expect(failure.status).toBe(401)
    expect(failure.code).toBe('invalid_token')
    expect(failure.challenges).toEqual(['Basic realm="pets", charset="UTF-8", error="invalid_token"'])
  })

  it('an unknown user and a wrong password give the very same failure (no user enumeration)', async () => {
    const unknown = failed(await auth.authenticate(request({ authorization: basic('Nobody:x') })))
    const wrong = failed(await auth.authenticate(request({ authorization: basic('Aladdin:x') })))
    expect(unknown.problem).toEqual(wrong.problem)
    expect(unknown.headers).toEqual(wrong.headers)
  })

  it('compares both fields of every user, whatever matches (no early exit)', async () => {
    const spy = vi.spyOn(String.prototype, 'charCodeAt')
    try {
      await auth.authenticate(request({ authorization: basic('Nobody:wrong') }))
      const read = new Set(spy.mock.contexts.map(String))
      expect([...read]).toEqual(expect.arrayContaining(['Aladdin', 'open sesame', 'admin', 'pa:ss']))
    } finally {
      spy.mockRestore()
    }
  })

  it('the password never appears in the failure', async () => {
    const failure = failed(await auth.authenticate(request({ authorization: basic('Aladdin:hunter2') })))
    expect(JSON.stringify(failure.headers) + (await failure.response.text())).not.toMatch(/hunter2|Aladdin/)
  })

  it('does not call crypto.subtle while authenticating', async () => {
    const spies = (['digest', 'sign', 'verify', 'importKey'] as const).map((m) => vi.spyOn(crypto.subtle, m))
    try {
      await auth.authenticate(request({ authorization: basic('Aladdin:open sesame') }))
      await auth.authenticate(request({ authorization: basic('Aladdin:nope') }))
      for (const spy of spies) expect(spy).not.toHaveBeenCalled()
    } finally {
      for (const spy of spies) spy.mockRestore()
    }
  })

  it('the missing challenge carries realm and charset="UTF-8" and no error', async () => {
    expect(failed(await auth.authenticate(request())).challenges).toEqual(['Basic realm="pets", charset="UTF-8"'])
  })
})

describe('httpBasic options', () => {
  const config = expect.objectContaining({ code: 'ERR_AUTHSPEC_CONFIG' })
  it.each([
    ['neither verify nor users', {}],
    ['both verify and users', { verify: () => ({}), users: { a: 'b' } }],
    ['an empty users object', { users: {} }],
    ['an empty password', { users: { a: '' } }],
    ['an undefined password', { users: { a: undefined } }],
    ['an empty username', { users: { '': 'pw' } }],
    ['a username with a colon', { users: { 'a:b': 'pw' } }],
    ['users as a string', { users: 'admin:pw' }],
    ['scopes that is not a function', { users: { a: 'b' }, scopes: 'x' }],
  ])('%s → ERR_AUTHSPEC_CONFIG', (_label, options) => {
    expect(() => httpBasic(options as never)).toThrow(config)
  })

  it('toOpenAPI emits { type: http, scheme: basic } with the description', () => {
    expect(httpBasic({ users: { a: 'b' }, description: 'Staff' }).toOpenAPI('3.0')).toEqual({ type: 'http', scheme: 'basic', description: 'Staff' })
  })

  it('scopes (roles) from the principal → 403 when a role is missing', async () => {
    const auth = createAuth({ schemes: { B: httpBasic({ verify: ({ username }) => ({ username, roles: ['reader'] }), scopes: (p) => p.roles }) } })
    expect((await auth.authenticate(request({ authorization: basic('a:b') }), [{ B: ['reader'] }])).ok).toBe(true)
    const failure = failed(await auth.authenticate(request({ authorization: basic('a:b') }), [{ B: ['admin'] }]))
    expect(failure.status).toBe(403)
    expect(failure.challenges).toEqual(['Basic realm="api", charset="UTF-8", error="insufficient_scope", scope="admin"'])
  })
})
