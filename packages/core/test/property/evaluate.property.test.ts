import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createAuth } from '../../src/create-auth.js'
import type { AuthFailure } from '../../src/result.js'
import { fakeHeaders, fakeScheme, type FakeOutcome } from '../support/fake-scheme.js'
import { lightRequest } from '../support/requests.js'

const NAMES = ['A', 'B', 'C', 'D'] as const
type Name = (typeof NAMES)[number]
const SCOPES = ['r', 'w', 'x'] as const
type Group = [Name, string[]][]

/**
 * The reference: a plain OR over AND, straight from docs/design.md, written for clarity rather than
 * speed. Returns the expected result and the schemes whose verify must have run. Optional auth
 * `{}` is tried after every alternative that names a scheme, and passes only when each of them
 * failed for missing credentials or missing scopes (docs/design.md, Precise rules).
 */
function reference(requirement: Group[], outcomes: Record<Name, FakeOutcome>) {
  const rank = { missing: 1, invalid: 2, scope: 3, unavailable: 4, malformed: 5 } as const
  type Kind = keyof typeof rank
  const verified = new Set<Name>()
  let best: { kind: Kind; scheme: Name | undefined } | undefined
  let refused = false
  const consider = (kind: Kind, scheme: Name | undefined) => {
    if (kind !== 'missing' && kind !== 'scope') refused = true
    if (best === undefined || rank[kind] > rank[best.kind]) best = { kind, scheme }
  }
  if (requirement.length === 0) return { ok: true as const, alternative: -1, principals: [] as Name[], scopes: [] as string[], verified }
  for (const [index, group] of requirement.entries()) {
    if (group.length === 0) continue // {} is tried last
    const firstMalformed = group.find(([name]) => outcomes[name].kind === 'malformed')
    if (firstMalformed) {
      consider('malformed', firstMalformed[0])
      continue
    }
    if (group.some(([name]) => outcomes[name].kind === 'absent')) {
      consider('missing', undefined)
      continue
    }
    let passed = true
    for (const [name, asked] of group) {
      verified.add(name)
      const outcome = outcomes[name]
      if (outcome.kind === 'invalid' || outcome.kind === 'unavailable') {
        consider(outcome.kind, name)
        passed = false
        break
      }
      if (outcome.kind === 'valid' && !asked.every((s) => outcome.scopes.includes(s))) {
        consider('scope', name)
        passed = false
        break
      }
    }
    if (passed) {
      const scopes: string[] = []
      for (const [name] of group) {
        const outcome = outcomes[name]
        if (outcome.kind === 'valid') for (const s of outcome.scopes) if (!scopes.includes(s)) scopes.push(s)
      }
      return { ok: true as const, alternative: index, principals: group.map(([name]) => name), scopes, verified }
    }
  }
  const optional = requirement.findIndex((group) => group.length === 0)
  if (optional !== -1 && !refused) {
    return { ok: true as const, alternative: optional, principals: [] as Name[], scopes: [] as string[], verified }
  }
  const status = { malformed: 400, unavailable: 503, scope: 403, invalid: 401, missing: 401 }[best!.kind]
  const code = {
    malformed: 'invalid_request',
    unavailable: 'temporarily_unavailable',
    scope: 'insufficient_scope',
    invalid: 'invalid_token',
    missing: 'credentials_missing',
  }[best!.kind]
  return { ok: false as const, status, code, scheme: best!.scheme, verified }
}

const outcomeArb: fc.Arbitrary<FakeOutcome> = fc.oneof(
  fc.constant<FakeOutcome>({ kind: 'absent' }),
  fc.constant<FakeOutcome>({ kind: 'malformed' }),
  fc.constant<FakeOutcome>({ kind: 'invalid' }),
  fc.constant<FakeOutcome>({ kind: 'unavailable' }),
  fc.subarray([...SCOPES]).map((scopes): FakeOutcome => ({ kind: 'valid', scopes })),
  fc.subarray([...SCOPES]).map((scopes): FakeOutcome => ({ kind: 'valid', scopes })),
)
const outcomesArb = fc.record({ A: outcomeArb, B: outcomeArb, C: outcomeArb, D: outcomeArb })
const groupArb: fc.Arbitrary<Group> = fc
  .shuffledSubarray([...NAMES], { minLength: 0, maxLength: 3 })
  .chain((names) => fc.tuple(...names.map((name) => fc.subarray([...SCOPES], { maxLength: 2 }).map((s): [Name, string[]] => [name, s]))))
const requirementArb = fc.array(groupArb, { minLength: 0, maxLength: 4 })

describe('evaluate against a reference OR-of-AND evaluator', () => {
  const asyncArb = fc.record({ A: fc.boolean(), B: fc.boolean(), C: fc.boolean(), D: fc.boolean() })

  it('agrees on ok, status, code, decisive scheme, winning alternative, principals, scopes and which schemes were verified', async () => {
    await fc.assert(
      // Each scheme verifies synchronously or not; half the runs go through authenticateNow,
      // which must answer synchronously exactly when no asynchronous verification ran.
      fc.asyncProperty(requirementArb, outcomesArb, asyncArb, fc.boolean(), async (groups, outcomes, asyncs, viaNow) => {
        const schemes = { A: fakeScheme('A', { async: asyncs.A }), B: fakeScheme('B', { async: asyncs.B }), C: fakeScheme('C', { async: asyncs.C }), D: fakeScheme('D', { async: asyncs.D }) }
        const auth = createAuth({ schemes })
        const requirement = groups.map((group) => Object.fromEntries(group))
        const expected = reference(groups, outcomes)
        const request = lightRequest(fakeHeaders(outcomes))
        let actual: Awaited<ReturnType<typeof auth.authenticate>>
        if (viaNow) {
          const answer = auth.authenticateNow(request, requirement)
          const pending = answer instanceof Promise
          expect(pending, 'answered with a promise').toBe([...expected.verified].some((name) => asyncs[name]))
          actual = await answer
        } else {
          actual = await auth.authenticate(request, requirement)
        }

        expect(actual.ok).toBe(expected.ok)
        if (actual.ok && expected.ok) {
          expect(actual.alternative).toBe(expected.alternative)
          expect(Object.keys(actual.principals).sort()).toEqual([...expected.principals].sort())
          expect(actual.scopes).toEqual(expected.scopes)
        } else if (!actual.ok && !expected.ok) {
          const failure = actual as AuthFailure
          expect(failure.status).toBe(expected.status)
          expect(failure.code).toBe(expected.code)
          expect(failure.scheme).toBe(expected.scheme)
          const names = [...new Set(groups.flatMap((g) => g.map(([n]) => n)))]
          if (failure.status === 503) {
            expect(failure.challenges).toEqual([])
          } else {
            expect(failure.challenges).toHaveLength(names.length)
            const withError = failure.challenges.filter((c) => c.includes('error='))
            expect(withError).toHaveLength(expected.code === 'credentials_missing' ? 0 : 1)
            if (withError.length === 1) expect(withError[0]!.startsWith(`Fake${expected.scheme} `)).toBe(true)
          }
        }

        for (const name of NAMES) {
          const verifies = schemes[name].calls.filter((c) => c.op === 'verify').length
          const extracts = schemes[name].calls.filter((c) => c.op === 'extract').length
          expect(verifies, `${name} verified`).toBe(expected.verified.has(name) ? 1 : 0)
          expect(extracts, `${name} extracted`).toBeLessThanOrEqual(1)
        }
      }),
      { numRuns: 600 },
    )
  })

  it('the failure status is always the highest-precedence outcome among the failed alternatives', async () => {
    // A narrower property: one scheme per alternative, so every alternative's outcome is its scheme's.
    const order = [400, 503, 403, 401]
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray([...NAMES], { minLength: 1 }), outcomesArb, async (names, outcomes) => {
        fc.pre(names.every((n) => outcomes[n].kind !== 'valid' || !outcomes[n].scopes.includes('w')))
        const auth = createAuth({ schemes: { A: fakeScheme('A'), B: fakeScheme('B'), C: fakeScheme('C'), D: fakeScheme('D') } })
        const result = await auth.authenticate(lightRequest(fakeHeaders(outcomes)), names.map((n) => ({ [n]: ['w'] })))
        expect(result.ok).toBe(false)
        const statuses = names.map((n) => ({ absent: 401, malformed: 400, invalid: 401, unavailable: 503, valid: 403 })[outcomes[n].kind])
        const highest = order.find((s) => statuses.includes(s))
        expect((result as AuthFailure).status).toBe(highest)
      }),
      { numRuns: 300 },
    )
  })
})
