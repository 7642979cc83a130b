import type { RouteGuard } from '@authspec/core/adapter'

/** Middleware functions created by `requireAuth`, keyed by identity (weak: apps may be dropped), with what `openapiDocument` needs of each. */
export const guards = new WeakMap<object, RouteGuard>()
