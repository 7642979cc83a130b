import { describe, expect, it, vi } from 'vitest'
import { createAuth } from '../create-auth.js'
import { httpBearer } from './http-bearer.js'
import { lightRequest, request } from '../../test/support/requests.js'
import type { AuthFailure } from '../result.js'

const failed = (result: { ok: boolean }): AuthFailure => {
  expect(result.ok).toBe(false)
  return result as AuthFailure
}

const TOKENS: Record<string, { sub: string; scopes: string[] }> = {
  'tok-read': { sub: 'ann', scopes: ['pets:read'] },
  'tok-rw': { sub: 'bob', scopes: ['pets:read', 'pets:write'] },
  'abc==': { sub: 'pad', scopes: [] },
}

function bearer(options: { allowQuery?: boolean; realm?: string } = {}) {
  const verify = vi.fn((token: string, _ctx: unknown) => TOKENS[token] ?? null)
  const auth = createAuth({ schemes: { Opaque: httpBearer({ verify, scopes: (p) => p.scopes, ...options }) }, security: [{ Opaque: [] }] })
  return { verify, auth }
}

describe('httpBearer header parsing (RFC 6750 §2.1)', () => {
  it('Bearer <token> → success with the principal and granted scopes', async () => {
    const { auth } = bearer()
    const result = await auth.authenticate(request({ authorization: 'Bearer tok-rw' }))
    expect(result).toMatchObject({ ok: true, principals: { Opaque: { sub: 'bob' } }, scopes: ['pets:read', 'pets:write'] })
  })

  it('lowercase "bearer" is accepted', async () => {
    const { auth } = bearer()
    expect((await auth.authenticate(request({ authorization: 'bearer tok-read' }))).ok).toBe(true)
  })

  it('"Bearer" followed by two spaces is accepted (1*SP)', async () => {
    const { auth, verify } = bearer()
    expect((await auth.authenticate(lightRequest({ authorization: 'Bearer  tok-read' }))).ok).toBe(true)
    expect(verify).toHaveBeenCalledWith('tok-read', expect.anything())
  })

  it('a token with "=" padding is accepted', async () => {
    const { auth } = bearer()
    expect((await auth.authenticate(request({ authorization: 'Bearer abc==' }))).ok).toBe(true)
  })

  it.each([
    ['a tab after Bearer', 'Bearer\ttok-read'],
    ['nothing after Bearer', 'Bearer'],
    ['only a space after Bearer', 'Bearer '],
    ['a space inside the token', 'Bearer tok read'],
    ['a comma inside the token', 'Bearer tok,read'],
    ['a quote inside the token', 'Bearer "tok-read"'],
    ['padding in the middle', 'Bearer ab=c'],
    ['a non-ASCII token', 'Bearer tøk'],
    ['a trailing tab', 'Bearer tok-read\t'],
  ])('%s → 400 invalid_request, verify never called', async (_label, header) => {
    const { auth, verify } = bearer()
    const failure = failed(await auth.authenticate(lightRequest({ authorization: header })))
    expect(failure.status).toBe(400)
    expect(failure.code).toBe('invalid_request')
    expect(failure.challenges).toEqual(['Bearer realm="api", error="invalid_request"'])
    expect(verify).not.toHaveBeenCalled()
  })

  it('no Authorization → 401 with Bearer realm and no error (RFC 6750 §3.1)', async () => {
    const { auth } = bearer()
    const failure = failed(await auth.authenticate(request()))
    expect(failure.status).toBe(401)
    expect(failure.code).toBe('credentials_missing')
    expect(failure.challenges).toEqual(['Bearer realm="api"'])
  })

  it('a Basic header is absent for Bearer → 401 missing', async () => {
    const { auth } = bearer()
    expect(failed(await auth.authenticate(request({ authorization: 'Basic QQ==' }))).code).toBe('credentials_missing')
  })

  it('two Authorization fields → 400, whichever comes first', async () => {
    const { auth, verify } = bearer()
    expect(failed(await auth.authenticate(request([['authorization', 'Bearer tok-read'], ['authorization', 'Bearer tok-rw']]))).status).toBe(400)
    expect(failed(await auth.authenticate(request([['authorization', 'Basic QQ=='], ['authorization', 'Bearer tok-rw']]))).status).toBe(400)
    expect(verify).not.toHaveBeenCalled()
  })

  it('an unknown token → 401 invalid_token with error="invalid_token"', async () => {
    const { auth } = bearer()
    const failure = failed(await auth.authenticate(request({ authorization: 'Bearer nope' })))
    expect(failure.status).toBe(401)
    expect(failure.code).toBe('invalid_token')
    expect(failure.challenges).toEqual(['Bearer realm="api", error="invalid_token"'])
  })

  it('the token never appears in the failure', async () => {
    const { auth } = bearer()
    for (const header of ['Bearer secret-token-xyz', 'Bearer\tsecret-token-xyz', 'Bearer secret-token-xyz extra']) {
      const failure = failed(await auth.authenticate(lightRequest({ authorization: header })))
      expect(JSON.stringify(failure.headers) + (await failure.response.text())).not.toContain('secret-token-xyz')
    }
  })
})

describe('httpBearer scopes (403)', () => {
  it('a token lacking a required scope → 403 insufficient_scope, scope lists what the requirement asks', async () => {
    const { auth } = bearer()
    const failure = failed(await auth.authenticate(request({ authorization: 'Bearer tok-read' }), [{ Opaque: ['pets:read', 'pets:write'] }]))
    expect(failure.status).toBe(403)
    expect(failure.code).toBe('insufficient_scope')
    expect(failure.challenges).toEqual(['Bearer realm="api", error="insufficient_scope", scope="pets:read pets:write"'])
  })

  it('all required scopes granted → success', async () => {
    const { auth } = bearer()
    expect((await auth.authenticate(request({ authorization: 'Bearer tok-rw' }), [{ Opaque: ['pets:write', 'pets:read'] }])).ok).toBe(true)
  })

  it('the token is verified once even when several alternatives name the scheme', async () => {
    const { auth, verify } = bearer()
    const result = await auth.authenticate(request({ authorization: 'Bearer tok-read' }), [{ Opaque: ['pets:write'] }, { Opaque: ['pets:read'] }])
    expect(result).toMatchObject({ ok: true, alternative: 1, scopes: ['pets:read'] })
    expect(verify).toHaveBeenCalledTimes(1)
  })

  it('ctx.scopes carries the scopes the requirement asks', async () => {
    const { auth, verify } = bearer()
    await auth.authenticate(request({ authorization: 'Bearer tok-rw' }), [{ Opaque: ['pets:write'] }])
    expect(verify.mock.calls[0]![1]).toMatchObject({ scopes: ['pets:write'] })
  })
})

describe('httpBearer access_token query (RFC 6750 §2.3)', () => {
  it('without allowQuery the query parameter is ignored → 401 missing', async () => {
    const { auth, verify } = bearer()
    expect(failed(await auth.authenticate(request({}, 'http://h/p?access_token=tok-read'))).code).toBe('credentials_missing')
    expect(verify).not.toHaveBeenCalled()
  })

  it('without allowQuery a header token with the same token in the query is fine (query ignored)', async () => {
    const { auth } = bearer()
    expect((await auth.authenticate(request({ authorization: 'Bearer tok-read' }, 'http://h/p?access_token=tok-read'))).ok).toBe(true)
  })

  it('with allowQuery the query token is accepted', async () => {
    const { auth } = bearer({ allowQuery: true })
    expect((await auth.authenticate(request({}, 'http://h/p?access_token=tok-read'))).ok).toBe(true)
  })

  it('with allowQuery the same token in the header and the query → 400', async () => {
    const { auth, verify } = bearer({ allowQuery: true })
    const failure = failed(await auth.authenticate(request({ authorization: 'Bearer tok-read' }, 'http://h/p?access_token=tok-read')))
    expect(failure.status).toBe(400)
    expect(failure.code).toBe('invalid_request')
    expect(verify).not.toHaveBeenCalled()
  })

  it('with allowQuery a repeated access_token with different values → 400', async () => {
    const { auth } = bearer({ allowQuery: true })
    expect(failed(await auth.authenticate(request({}, 'http://h/p?access_token=tok-read&access_token=tok-rw'))).status).toBe(400)
  })

  it('with allowQuery an access_token with invalid percent-encoding → 400 saying so', async () => {
    const { auth } = bearer({ allowQuery: true })
    const failure = failed(await auth.authenticate(request({}, 'http://h/p?access_token=%FF')))
    expect(failure.status).toBe(400)
    expect(failure.problem.detail).toContain('percent-encoding')
  })

  it('with allowQuery a query token outside the b64token grammar → 400', async () => {
    const { auth } = bearer({ allowQuery: true })
    expect(failed(await auth.authenticate(request({}, 'http://h/p?access_token=a%20b'))).status).toBe(400)
  })

  it('with allowQuery a malformed header → 400 even when the query is fine', async () => {
    const { auth } = bearer({ allowQuery: true })
    expect(failed(await auth.authenticate(lightRequest({ authorization: 'Bearer\tx' }, '/p?access_token=tok-read'))).status).toBe(400)
  })
})

describe('httpBearer options', () => {
  it('missing verify → ERR_AUTHSPEC_CONFIG', () => {
    expect(() => httpBearer({} as never)).toThrow(expect.objectContaining({ code: 'ERR_AUTHSPEC_CONFIG' }))
  })

  it('scopes that is not a function → ERR_AUTHSPEC_CONFIG', () => {
    expect(() => httpBearer({ verify: () => ({}), scopes: 'a' as never })).toThrow(expect.objectContaining({ code: 'ERR_AUTHSPEC_CONFIG' }))
  })

  it('toOpenAPI emits { type: http, scheme: bearer } and bearerFormat when given', () => {
    expect(httpBearer({ verify: () => ({}) }).toOpenAPI('3.1')).toEqual({ type: 'http', scheme: 'bearer' })
    expect(httpBearer({ verify: () => ({}), bearerFormat: 'opaque' }).toOpenAPI('3.0')).toEqual({ type: 'http', scheme: 'bearer', bearerFormat: 'opaque' })
  })

  it('without a scopes option, asking scopes of it is a config error', () => {
    const auth = createAuth({ schemes: { T: httpBearer({ verify: () => ({}) }) } })
    expect(() => auth.prepare([{ T: ['x'] }])).toThrow(expect.objectContaining({ code: 'ERR_AUTHSPEC_CONFIG' }))
  })

  it('varyHeaders is Authorization', () => {
    expect(httpBearer({ verify: () => ({}) }).varyHeaders).toEqual(['Authorization'])
  })
})
