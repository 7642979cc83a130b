import { rmSync } from 'node:fs'
import type { Server } from 'node:http'
import { afterAll, describe, expect, it } from 'vitest'
import { guideSnippet } from '../../hono/test/bookstore.js'
import { close, listen, raw } from './helpers.js'

const dir = new URL('./.cache/', import.meta.url)
let server: Server | undefined
afterAll(async () => {
  await close(server)
  rmSync(dir, { recursive: true, force: true })
})

/** docs/guides/spec-first-yaml.md: its Express snippet runs and behaves as the guide says. */
describe('guide: spec-first from a YAML file (Express)', () => {
  it('"4. Express": every operation is enforced through the mounted router; the router\'s spellings get the route requirement', async () => {
    const { app } = (await import(guideSnippet('4. Express', dir))) as { app: Parameters<typeof listen>[0] }
    const listening = await listen(app)
    server = listening.server
    const { url } = listening
    const key = { 'x-api-key': 'key-0123456789' }
    const admin = { authorization: `Basic ${btoa('admin:admin-password')}` }
    expect((await fetch(`${url}/health`)).status).toBe(200)
    expect((await fetch(`${url}/books`)).status).toBe(401)
    expect(await (await fetch(`${url}/books`, { headers: key })).json()).toEqual({ by: ['ApiKeyAuth'] })
    expect((await fetch(`${url}/books`, { method: 'POST', headers: key })).status).toBe(401)
    expect((await fetch(`${url}/books`, { method: 'POST', headers: { authorization: 'Bearer writer-token' } })).status).toBe(201)
    expect((await fetch(`${url}/books/7`, { headers: admin })).status).toBe(200)
    expect((await fetch(`${url}/books/7`, { method: 'DELETE', headers: { ...key, ...admin } })).status).toBe(204)
    for (const target of ['/BOOKS', '/books/', 'http://host/books/7']) expect((await raw(url, [`GET ${target} HTTP/1.1`])).status, target).toBe(401)
  })
})
