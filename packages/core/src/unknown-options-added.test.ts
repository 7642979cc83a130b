import { expect, it } from 'vitest'
import { describeTypos, type TypoCase } from '../test/support/config-error.js'
import { durableObjectCounterStore } from './api-keys/durable-object-counters.js'
import { durableObjectReplayStore } from './api-keys/durable-object-replay.js'
import { generateApiKey } from './api-keys/generate.js'
import { hashApiKey } from './api-keys/hash.js'
import { kvKeyStore } from './api-keys/kv-store.js'
import { issueApiKey, rotateApiKey } from './api-keys/manage.js'
import { memoryCounterStore, memoryKeyStore } from './api-keys/memory-store.js'
import { throttled } from './api-keys/throttled.js'
import { createAuth } from './create-auth.js'
import { stepUp } from './resource-server/step-up.js'
import { protectedResourceEndpoint } from './resource-server/well-known.js'
import { apiKey } from './schemes/api-key.js'
import { httpBasic } from './schemes/http-basic.js'
import { httpBearer } from './schemes/http-bearer.js'
import { jwtBearer } from './schemes/jwt-bearer.js'

// The factories and option objects of the API-key, resource-server and Redis work refuse option
// names they do not know, as the original factories do (unknown-options.test.ts).

const JWT = { algorithms: ['RS256'], jwksUri: 'https://issuer.example/jwks', issuer: 'https://issuer.example', audience: 'api' } as const
const RESOURCE = 'https://api.example.com/mcp'
const INTROSPECTION = { endpoint: 'https://issuer.example/introspect', client: { clientId: 'rs', clientSecret: 'secret' }, issuer: 'https://issuer.example' }
const STORE_KEY = { in: 'header', name: 'X-Key', prefix: 'pets' } as const

const cases: TypoCase[] = [
  ['generateApiKey', 'peper', 'pepper', () => generateApiKey({ prefix: 'pets', peper: 'p' } as never)],
  ['hashApiKey', 'peper', 'pepper', () => hashApiKey('pets_key', { peper: 'p' } as never)],
  ['issueApiKey', 'scope', 'scopes', () => issueApiKey(memoryKeyStore(), { prefix: 'pets', principal: {}, scope: ['read'] } as never)],
  ['rotateApiKey', 'graceSeconds', 'grace', () => rotateApiKey(memoryKeyStore(), 'v1$sha256$x', { prefix: 'pets', grace: 60, graceSeconds: 60 } as never)],
  ['memoryKeyStore', 'maxKey', 'maxKeys', () => memoryKeyStore({ maxKey: 10 } as never)],
  ['memoryCounterStore', 'maxCounter', 'maxCounters', () => memoryCounterStore({ maxCounter: 10 } as never)],
  ['throttled', 'failure', 'failures', () => throttled(httpBasic({ users: { admin: 'pw' } }), { failure: 5 } as never)],
  ['throttled', 'timeoutDuration', 'timeout', () => throttled(httpBasic({ users: { admin: 'pw' } }), { timeoutDuration: 100 } as never)],
  ['kvKeyStore', 'cacheTTL', 'cacheTtl', () => kvKeyStore({ namespace: (env: { KV: never }) => env.KV, cacheTTL: 60 } as never)],
  ['durableObjectCounterStore', 'namespce', 'namespace', () => durableObjectCounterStore({ namespce: (env: { DO: never }) => env.DO } as never)],
  ['durableObjectReplayStore', 'namespce', 'namespace', () => durableObjectReplayStore({ namespce: (env: { DO: never }) => env.DO } as never)],
  ['apiKey: limit', 'request', 'requests', () => apiKey({ ...STORE_KEY, store: memoryKeyStore(), limit: { request: 10 } } as never)],
  ['apiKey: throttle', 'failure', 'failures', () => apiKey({ ...STORE_KEY, store: memoryKeyStore(), throttle: { failure: 3 } } as never)],
  ['jwtBearer: dpop', 'algorithm', 'algorithms', () => jwtBearer({ ...JWT, dpop: { mode: 'required', algorithm: ['ES256'] } } as never)],
  ['introspection', 'timeout', 'timeoutDuration', () => httpBearer({ introspection: { ...INTROSPECTION, timeout: 100 } } as never)],
  ['introspection: cache', 'ttl', 'maxTtl', () => httpBearer({ introspection: { ...INTROSPECTION, cache: { ttl: 10 } } } as never)],
  ['introspection: client', 'secret', 'clientSecret', () => httpBearer({ introspection: { ...INTROSPECTION, client: { clientId: 'rs', secret: 's' } } } as never)],
  ['stepUp', 'acrValue', 'acrValues', () => stepUp(jwtBearer(JWT), { acrValue: ['mfa'] } as never)],
  [
    'jwtBearer: issuers',
    'jwksUrl',
    'jwksUri',
    () => jwtBearer({ algorithms: ['RS256'], audience: 'api', issuers: { 'https://issuer.example': { jwksUrl: 'https://issuer.example/jwks' } } } as never),
  ],
  [
    'createAuth: protectedResource',
    'resourceNam',
    'resourceName',
    () => createAuth({ resource: RESOURCE, protectedResource: { resourceNam: 'Pets' }, schemes: { Jwt: jwtBearer(JWT) } } as never),
  ],
  ['protectedResource', 'max', 'maxAge', () => protectedResourceEndpoint(createAuth({ resource: RESOURCE, schemes: { Jwt: jwtBearer(JWT) } }), { max: 10 } as never)],
]

describeTypos('unknown options of the API-key and resource-server factories are a config error naming the nearest known option', cases, () => {

  it('the known options of each factory are accepted (no false positive)', async () => {
    expect(generateApiKey({ prefix: 'pets', pepper: 'a-pepper-of-at-least-thirty-two-bytes!' }).key).toMatch(/^pets_/)
    const store = memoryKeyStore({ maxKeys: 10, maxCounters: 10 })
    const issued = await issueApiKey(store, { prefix: 'pets', principal: { team: 'ci' }, scopes: ['read'], expiresAt: Date.now() + 60_000 })
    expect((await rotateApiKey(store, issued.hash, { prefix: 'pets', grace: 60 })).key).toMatch(/^pets_/)
    expect(() => apiKey({ ...STORE_KEY, store, limit: { requests: 10, window: 60 }, throttle: { failures: 3, window: 60, client: () => undefined } })).not.toThrow()
    expect(() => throttled(httpBasic({ users: { admin: 'pw' } }), { failures: 5, window: 60, timeout: 100, credentialId: () => undefined })).not.toThrow()
    expect(() => httpBearer({ introspection: { ...INTROSPECTION, timeoutDuration: 100, cache: { max: 10, maxTtl: 10, negativeTtl: 1 } } })).not.toThrow()
    expect(() => stepUp(jwtBearer(JWT), { acrValues: ['mfa'], maxAge: 300, clockTolerance: 5, description: 'MFA' })).not.toThrow()
    const auth = createAuth({ resource: RESOURCE, protectedResource: { resourceName: 'Pets' }, schemes: { Jwt: jwtBearer({ ...JWT, dpop: { mode: 'allowed', maxAge: 60 } }) } })
    expect(protectedResourceEndpoint(auth, { maxAge: 10 }).headers['Cache-Control']).toBe('public, max-age=10')
  })
})
