import { rmSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { guideSnippet } from './bookstore.js'

const dir = new URL('./.cache/', import.meta.url)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** docs/guides/spec-first-yaml.md: its auth and Hono snippets run and behave as the guide says. */
describe('guide: spec-first from a YAML file (Hono)', () => {
  it('"2. The auth": the YAML document becomes an auth with the document\'s requirements', async () => {
    const { auth } = (await import(guideSnippet('2. The auth', dir))) as { auth: { requirementFor(m: string, p: string): unknown } }
    expect(auth.requirementFor('DELETE', '/books/{id}')).toEqual([{ ApiKeyAuth: [], BasicAuth: [] }])
    expect(auth.requirementFor('GET', '/health')).toEqual([])
  })

  it('"3. Hono": every operation of the document is enforced as written, the document itself is excluded', async () => {
    const { app } = (await import(guideSnippet('3. Hono', dir))) as { app: { request(path: string, init?: RequestInit): Promise<Response> } }
    const key = { 'x-api-key': 'key-0123456789' }
    const admin = { authorization: `Basic ${btoa('admin:admin-password')}` }
    expect((await app.request('/health')).status).toBe(200)
    expect((await app.request('/openapi.yaml')).status).toBe(200)
    expect((await app.request('/books')).status).toBe(401)
    expect(await (await app.request('/books', { headers: key })).json()).toEqual({ by: ['ApiKeyAuth'] })
    expect((await app.request('/books', { method: 'POST', headers: { authorization: 'Bearer writer-token' } })).status).toBe(201)
    expect((await app.request('/books/7', { headers: admin })).status).toBe(200)
    expect((await app.request('/books/7', { method: 'DELETE', headers: key })).status).toBe(401)
    expect((await app.request('/books/7', { method: 'DELETE', headers: { ...key, ...admin } })).status).toBe(204)
  })
})
