import { currentModules } from './inprocess-cases.mjs'
import { loadFixtures } from './fixtures.mjs'
const fixtures = await loadFixtures()
const { core } = await currentModules()
const auth = core.createAuth({ schemes: { ApiKeyAuth: core.apiKey({ in: 'header', name: 'x-api-key', keys: { bench: fixtures.apiKey } }) } })
const prepared = auth.prepare([{ ApiKeyAuth: [] }])
const req = new Request('http://localhost/pets', { headers: { 'x-api-key': fixtures.apiKey } })
const n = +process.argv[2] || 2e6
for (let r = 0; r < 4; r++) {
  let t = process.hrtime.bigint()
  for (let i = 0; i < n; i++) { const x = auth.authenticateNow(req, prepared, { env: undefined, client: undefined }); if (!x.ok) throw 1 }
  const a = Number(process.hrtime.bigint() - t) / n
  t = process.hrtime.bigint()
  for (let i = 0; i < n; i++) { if (req.headers.get('x-api-key') !== fixtures.apiKey) throw 1 }
  console.log('authenticateNow', a.toFixed(0), 'header get + ===', (Number(process.hrtime.bigint() - t) / n).toFixed(0))
}
