// Runs the conformance checks against the built core (packages/core/dist) and prints one JSON
// line; exit code 1 when any check fails. Used for Node, Bun and Deno.
import * as core from '../../dist/index.js'
import { CHECK_COUNT, runConformance } from './conformance.mjs'

const result = await runConformance(core)
console.log(JSON.stringify({ ...result, total: CHECK_COUNT }))
if (result.failed.length > 0 || result.passed.length !== CHECK_COUNT) {
  if (typeof process !== 'undefined') process.exitCode = 1
  else if (typeof Deno !== 'undefined') Deno.exitCode = 1
}
