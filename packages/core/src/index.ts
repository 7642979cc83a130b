export { createAuth } from './create-auth.js'
export type { Auth, AuthOptions, AuthenticateOptions } from './create-auth.js'
export { AuthspecError, isAuthspecError } from './errors.js'
export type { AuthspecErrorCode } from './errors.js'
export { apiKey } from './schemes/api-key.js'
export type { ApiKeyStaticOptions, ApiKeyVerifyOptions } from './schemes/api-key.js'
export { httpBasic } from './schemes/http-basic.js'
export type { BasicCredentials, HttpBasicStaticOptions, HttpBasicVerifyOptions } from './schemes/http-basic.js'
export { httpBearer } from './schemes/http-bearer.js'
export type { HttpBearerOptions } from './schemes/http-bearer.js'
export type { CommonSchemeOptions, ScopedOptions, VerifyCallback } from './schemes/common.js'
export { toSecurity } from './openapi.js'
export type { OpenAPIOptions, OpenAPISecurityOutput, OperationOutput } from './openapi.js'
export type { PreparedEntry, PreparedRequirement } from './requirement.js'
export { defaultResponse, toHeaders } from './result.js'
export type { AuthFailure, AuthResult, AuthSuccess, FailureCode, PrincipalsFor, ProblemDetails, RenderError } from './result.js'
export { timingSafeEqual } from './internal/timing-safe-equal.js'
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
