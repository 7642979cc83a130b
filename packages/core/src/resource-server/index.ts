// `@authspec/core/resource-server`: OAuth 2.1 resource-server pieces: RFC 9728 metadata, DPoP,
// token introspection, trusted issuers and step-up.
export { stepUp } from './step-up.js'
export type { StepUpPolicy } from './step-up.js'
export type { ProtectedResourceMetadata, ProtectedResourceOptions } from './metadata.js'
export type { IntrospectionClaims, IntrospectionOptions, IntrospectionPrincipal } from './introspection.js'
export type { IntrospectionClientAuth } from './introspection-client.js'
export { MemoryReplayStore } from './dpop-replay.js'
export type { DpopReplayStore } from './dpop-replay.js'
export type { DpopNonce } from './dpop-proof.js'
export type { DpopOption, DpopOptions } from './dpop-scheme.js'
export type { TrustedIssuer, TrustedIssuers } from './issuers.js'
export type { ChallengeHint } from '../types.js'
