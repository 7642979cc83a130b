import { expect, it } from 'vitest'
import type { GuideHarness } from './harness.js'

// The blocks assert with node:assert themselves; running them to completion is the check.
export const harness: GuideHarness = {
  blocks: {
    'A test issuer and a real request': { wrap: 'return { ok: true }' },
    'Refused tokens, and an identity provider that is down': { wrap: 'return { ok: true }' },
  },
  behaviour(load) {
    it('scope 200/403, then a key rotation passes because cooldownDuration is 0 (the JWKS is fetched twice)', async () => {
      const { __snippet } = await load<{ __snippet(): Promise<{ ok: boolean }> }>('A test issuer and a real request')
      await expect(__snippet()).resolves.toEqual({ ok: true })
    })

    it('a stranger key, an expired, a wrong-audience and an alg:none token are 401; an unreachable issuer is 503', async () => {
      const { __snippet } = await load<{ __snippet(): Promise<{ ok: boolean }> }>('Refused tokens, and an identity provider that is down')
      await expect(__snippet()).resolves.toEqual({ ok: true })
    })
  },
}
