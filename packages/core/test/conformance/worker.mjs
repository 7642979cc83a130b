// workerd entry: bundled with esbuild together with the built core by ../runtimes.test.ts.
import * as core from '../../dist/index.js'
import { CHECK_COUNT, runConformance } from './conformance.mjs'

export const worker = {
  async fetch() {
    return Response.json({ ...(await runConformance(core)), total: CHECK_COUNT })
  },
}
