export { createAuth } from './create-auth.js'
export type { Auth, AuthOptions, AuthenticateOptions } from './create-auth.js'
export { AuthspecError, isAuthspecError } from './errors.js'
export type { AuthspecErrorCode } from './errors.js'
export { apiKey } from './schemes/api-key.js'
export type { ApiKeyStaticOptions, ApiKeyStoreOptions, ApiKeyVerifyOptions } from './schemes/api-key.js'
export * from './api-keys/index.js'
export { httpBasic } from './schemes/http-basic.js'
export type { BasicCredentials, HttpBasicStaticOptions, HttpBasicVerifyOptions } from './schemes/http-basic.js'
export { httpBearer } from './schemes/http-bearer.js'
export type { HttpBearerIntrospectionOptions, HttpBearerOptions } from './schemes/http-bearer.js'
export { jwtBearer } from './schemes/jwt-bearer.js'
export type { JwtBearerOptions } from './schemes/jwt-bearer.js'
export type { JwtAlgorithm, JwtCacheOptions, JwtPrincipal, JwtVerifyOptions } from './jwt/options.js'
export { oauth2 } from './schemes/oauth2.js'
export type { OAuth2Flows, OAuth2JwtOptions, OAuth2Scopes, OAuth2VerifyOptions } from './schemes/oauth2.js'
export { openIdConnect } from './schemes/open-id-connect.js'
export type { OpenIdConnectOptions } from './schemes/open-id-connect.js'
export type { RemoteKeyOptions, RemoteStore } from './internal/remote-document.js'
export type { CommonSchemeOptions, ScopedOptions, VerifyCallback } from './schemes/common.js'
export { PROBLEM_SCHEMA_NAME, PROBLEM_SCHEMA_REF, problemSchema, ROLES_EXTENSION, toSecurity } from './openapi-output/builder.js'
export { allOf } from './all-of.js'
export type { OpenAPIOptions, OpenAPISecurityOutput, OperationOutput, ResponseObject, SchemaObject } from './openapi-output/builder.js'
export { mergeInto } from './openapi-output/merge.js'
export type { MergedDocument, MergeOptions, MergeSource } from './openapi-output/merge.js'
export { fromOpenAPI } from './openapi/from-openapi.js'
export type { FromOpenAPIOptions, OpenAPIAuth, VerifierOptions } from './openapi/from-openapi.js'
export { mergeSuccess } from './merge-success.js'
export { OperationIndex, operationIndexOf, refuseDocumentDefault } from './openapi/operation-index.js'
export type { DocumentOperation, RouteBinding } from './openapi/operation-index.js'
export { checkCoverageOptions, coverageReport } from './openapi/coverage.js'
export type { CheckCoverageOptions, CoverageReport } from './openapi/coverage.js'
export type { PreparedEntry, PreparedRequirement } from './requirement.js'
export { defaultResponse, toHeaders } from './result.js'
export type { AuthFailure, AuthResult, FailureCode, ProblemDetails, RenderError } from './result.js'
export type { AlternativeSuccess, AuthSuccess, PrincipalsFor } from './auth-success.js'
export { timingSafeEqual } from './internal/timing-safe-equal.js'
export { checkOptions, optionNames } from './internal/check-options.js'
export { RequestView } from './internal/request-view.js'
export type {
  AnyScheme,
  AuthContext,
  Awaitable,
  ChallengeParams,
  Extracted,
  OpenAPIVersion,
  PrincipalOf,
  RequestLike,
  Requirement,
  RequirementObject,
  Scheme,
  SchemeMap,
  SecuritySchemeObject,
  VerifyOutcome,
} from './types.js'
export { protectedResourceEndpoint } from './resource-server/well-known.js'
export type { ProtectedResourceEndpoint } from './resource-server/well-known.js'
export type { ProtectedResourceMetadata, ProtectedResourceOptions } from './resource-server/metadata.js'
export { canonicalUri } from './internal/canonical-uri.js'
export { resourceMetadataUrl } from './resource-server/resource-uri.js'
export type { ChallengeHint } from './types.js'
export { stepUp } from './resource-server/step-up.js'
export type { StepUpPolicy } from './resource-server/step-up.js'
export type { IntrospectionClaims, IntrospectionOptions, IntrospectionPrincipal } from './resource-server/introspection.js'
export type { IntrospectionClientAuth } from './resource-server/introspection-client.js'
export type { OAuth2IntrospectionOptions } from './schemes/oauth2.js'
export { MemoryReplayStore } from './resource-server/dpop-replay.js'
export type { DpopReplayStore } from './resource-server/dpop-replay.js'
export type { DpopNonce } from './resource-server/dpop-proof.js'
export type { DpopOption, DpopOptions } from './resource-server/dpop-scheme.js'
export { requireDpopOrigin } from './resource-server/dpop-origin.js'
export type { TrustedIssuer, TrustedIssuers } from './resource-server/issuers.js'
