import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { connect } from 'node:net'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const server = fileURLToPath(new URL('../../demo/server.mjs', import.meta.url))
const dist = fileURLToPath(new URL('../../dist/index.js', import.meta.url))
let child: ChildProcess | undefined
let base = ''

beforeAll(async () => {
  if (!existsSync(dist)) throw new Error('build @authspec/core first (npm run build): the demo imports ../dist/index.js')
  child = spawn(process.execPath, [server], { env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] })
  base = await new Promise<string>((resolve, reject) => {
    let out = ''
    child!.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
      if (match) resolve(match[1]!)
    })
    child!.on('exit', (code) => reject(new Error(`demo exited with ${code}`)))
    setTimeout(() => reject(new Error(`demo did not start: ${out}`)), 15_000)
  })
})

afterAll(() => {
  child?.kill()
})

describe('core demo server (npm start)', () => {
  it('without credentials a protected route answers 401 with WWW-Authenticate and problem+json', async () => {
    const response = await fetch(`${base}/api-key`)
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toBe('APIKey realm="demo", in="header", name="X-API-Key"')
    expect(response.headers.get('content-type')).toBe('application/problem+json')
    expect(await response.json()).toMatchObject({ status: 401, code: 'credentials_missing' })
  })

  it('with the demo key → 200 and the principal', async () => {
    const response = await fetch(`${base}/api-key`, { headers: { 'X-API-Key': 'demo-key-123' } })
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('private')
    expect(await response.json()).toMatchObject({ principals: { ApiKeyAuth: { id: 'demo' } } })
  })

  it('Basic, Bearer, OR, AND and public routes behave as documented', async () => {
    const basic = `Basic ${Buffer.from('demo:demo-password').toString('base64')}`
    expect((await fetch(`${base}/basic`, { headers: { authorization: basic } })).status).toBe(200)
    expect((await fetch(`${base}/bearer`, { headers: { authorization: 'Bearer demo-read-token' } })).status).toBe(200)
    expect((await fetch(`${base}/bearer/write`, { headers: { authorization: 'Bearer demo-read-token' } })).status).toBe(403)
    expect(await (await fetch(`${base}/either`, { headers: { authorization: 'Bearer demo-read-token' } })).json()).toMatchObject({ alternative: 1 })
    expect((await fetch(`${base}/both`, { headers: { 'x-api-key': 'demo-key-123' } })).status).toBe(401)
    expect((await fetch(`${base}/both`, { headers: { 'x-api-key': 'demo-key-123', authorization: basic } })).status).toBe(200)
    expect((await fetch(`${base}/public`)).status).toBe(200)
  })

  it('two Authorization fields reach the core (node alone would keep only the first) → 400 invalid_request', async () => {
    // A raw request with two separate Authorization lines; the body proves the core answered.
    const { port } = new URL(base)
    const raw = await new Promise<string>((resolve, reject) => {
      let out = ''
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write('GET /bearer HTTP/1.1\r\nHost: demo\r\nAuthorization: Bearer demo-read-token\r\nAuthorization: Bearer other\r\nConnection: close\r\n\r\n')
      })
      socket.on('data', (chunk: Buffer) => (out += chunk.toString()))
      socket.on('end', () => resolve(out))
      socket.on('error', reject)
    })
    expect(raw.startsWith('HTTP/1.1 400 ')).toBe(true)
    expect(raw).toContain('"code":"invalid_request"')
    expect(raw).toMatch(/WWW-Authenticate: Bearer realm="demo", error="invalid_request"/i)
  })
})
