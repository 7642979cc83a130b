import { Hono } from 'hono'
import { currentModules } from './inprocess-cases.mjs'
import { loadFixtures } from './fixtures.mjs'
import { markPrivate } from '@authspec/core/adapter'
const fx = await loadFixtures()
const { core, hono } = await currentModules()
const H = 'x-api-key'
const auth = core.createAuth({ schemes: { ApiKeyAuth: core.apiKey({ in: 'header', name: H, keys: { bench: fx.apiKey } }) } })
const prepared = auth.prepare([{ ApiKeyAuth: [] }])
const mk = (mw) => { const app = new Hono(); app.get('/pets', mw, (c) => c.text('ok')); return app }
const apps = {
  floor: mk(async (c, next) => { if (c.req.header(H) !== fx.apiKey) return c.text('no', 401); await next(); c.res.headers.set('vary', H); c.res.headers.set('cache-control', 'private') }),
  core: mk(async (c, next) => { const r = auth.authenticateNow(c.req.raw, prepared, { env: c.env, client: undefined }); if (!r.ok) return c.text('no', 401); await next(); c.res.headers.set('vary', H); c.res.headers.set('cache-control', 'private') }),
  mark: mk(async (c, next) => { if (c.req.header(H) !== fx.apiKey) return c.text('no', 401); await next(); markPrivate(c.res.headers, prepared.vary) }),
  set: mk(async (c, next) => { if (c.req.header(H) !== fx.apiKey) return c.text('no', 401); c.set('authspec:results', 1); c.set('auth', 2); await next(); c.res.headers.set('vary', H); c.res.headers.set('cache-control', 'private') }),
  full: mk(hono.requireAuth(auth, [{ ApiKeyAuth: [] }])),
}
const req = new Request('http://localhost/pets', { headers: { [H]: fx.apiKey } })
for (const a of Object.values(apps)) if ((await a.fetch(req)).status !== 200) throw 1
const sums = Object.fromEntries(Object.keys(apps).map((k) => [k, []]))
for (let r = 0; r < 30; r++) for (const [k, a] of Object.entries(apps)) {
  const t = process.hrtime.bigint(); for (let i = 0; i < 5000; i++) await a.fetch(req); sums[k].push(Number(process.hrtime.bigint() - t) / 5000)
}
const med = (xs) => xs.slice(5).sort((a, b) => a - b)[Math.floor((xs.length - 5) / 2)]
const f = med(sums.floor)
for (const k of Object.keys(apps)) console.log(k.padEnd(6), med(sums[k]).toFixed(0), '+', (med(sums[k]) - f).toFixed(0))
