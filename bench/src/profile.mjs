// A hot loop over one case, for `node --cpu-prof bench/src/profile.mjs <case> [iterations]`.
// Cases: apikey, basic, opaque, jwt-cold, jwt-warm (authspec, HS256), jose, fastjwt-cached.
// Prints the time per operation; open the .cpuprofile in Chrome DevTools or speedscope.
import { Buffer } from 'node:buffer'
import { createVerifier } from 'fast-jwt'
import { jwtVerify } from 'jose'
import { jwtAuth, simpleAuths } from './authspec-auths.mjs'
import { API_KEY_HEADER, AUDIENCE, ISSUER, createFixtures } from './fixtures.mjs'

const name = process.argv[2] ?? 'apikey'
const iterations = Number(process.argv[3] ?? 200_000)
const fixtures = await createFixtures()
const url = 'http://127.0.0.1/pets'
const token = fixtures.tokens.HS256
const bearer = new Request(url, { headers: { authorization: `Bearer ${token}` } })
const simple = simpleAuths(fixtures)
const cases = {
  apikey: () => {
    const request = new Request(url, { headers: { [API_KEY_HEADER]: fixtures.apiKey } })
    return () => simple.auth.authenticate(request, simple.apiKey)
  },
  basic: () => {
    const value = Buffer.from(`${fixtures.basic.username}:${fixtures.basic.password}`).toString('base64')
    const request = new Request(url, { headers: { authorization: `Basic ${value}` } })
    return () => simple.auth.authenticate(request, simple.basic)
  },
  opaque: () => {
    const request = new Request(url, { headers: { authorization: `Bearer ${fixtures.opaque}` } })
    return () => simple.auth.authenticate(request, simple.opaque)
  },
  'jwt-cold': () => {
    const { auth, prepared } = jwtAuth(fixtures, 'HS256', { cache: false })
    return () => auth.authenticate(bearer, prepared)
  },
  'jwt-warm': () => {
    const { auth, prepared } = jwtAuth(fixtures, 'HS256', { cache: true })
    return () => auth.authenticate(bearer, prepared)
  },
  jose: async () => {
    const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(fixtures.keys.HS256.secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify'])
    const options = { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE }
    return () => jwtVerify(token, key, options)
  },
  'fastjwt-cached': () => {
    const verify = createVerifier({ key: fixtures.keys.HS256.secret, algorithms: ['HS256'], allowedIss: ISSUER, allowedAud: AUDIENCE, cache: true })
    return () => verify(token)
  },
}
if (!(name in cases)) throw new Error(`unknown case ${name}; one of ${Object.keys(cases).join(', ')}`)
const run = await cases[name]()
const first = await run()
if (first === null || first === undefined || first.ok === false) throw new Error(`${name} did not authenticate`)
for (let round = 0; round < 3; round++) {
  const start = performance.now()
  const cpu = process.cpuUsage()
  for (let i = 0; i < iterations; i++) await run()
  const used = process.cpuUsage(cpu)
  const wall = ((performance.now() - start) / iterations) * 1e6
  const cpuNs = ((used.user + used.system) / iterations) * 1e3
  console.log(`${name}: ${wall.toFixed(0)} ns/op wall, ${cpuNs.toFixed(0)} ns/op CPU (all threads)`)
}
