// Runs turbo with its anonymous telemetry (and the first-run banner announcing it) and its update
// check turned off, so `npm start` / `npm test` show the demo or the tests first. Usage as turbo's.
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'

const turbo = createRequire(import.meta.url).resolve('turbo/bin/turbo')
const run = spawnSync(process.execPath, [turbo, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', TURBO_NO_UPDATE_NOTIFIER: '1' },
})
if (run.error) throw run.error
process.exit(run.status ?? 1)
