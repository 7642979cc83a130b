import type { Auth, PreparedRequirement } from '@authspec/core'

/** What `openapiDocument` needs to know about a `requireAuth` middleware. */
export interface GuardInfo {
  readonly auth: Auth
  readonly prepared: PreparedRequirement
}

/** Middleware functions created by `requireAuth`, keyed by identity (weak: apps may be dropped). */
export const guards = new WeakMap<object, GuardInfo>()
