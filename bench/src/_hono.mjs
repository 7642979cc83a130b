import { currentModules, honoRequireAuth, honoFloorHeaders } from './inprocess-cases.mjs'
import { loadFixtures, createFixtures } from './fixtures.mjs'
const fixtures = (await loadFixtures?.()) ?? (await createFixtures())
const mods = await currentModules()
const c = process.argv[2] === 'floor' ? honoFloorHeaders(fixtures) : honoRequireAuth(mods, fixtures)
await c.check()
const n = +process.argv[3] || 1e6
const t = process.hrtime.bigint()
for (let i = 0; i < n; i++) await c.run()
console.log(process.argv[2], Number(process.hrtime.bigint() - t) / n)
