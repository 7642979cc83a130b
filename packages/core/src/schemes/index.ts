// `@authspec/core/schemes`: the option types of the scheme factories, and what a custom scheme
// implements (`Scheme`, `Extracted`, `ChallengeParams`).
export type { ApiKeyStaticOptions, ApiKeyStoreOptions, ApiKeyVerifyOptions } from './api-key.js'
export type { BasicCredentials, HttpBasicStaticOptions, HttpBasicVerifyOptions } from './http-basic.js'
export type { HttpBearerIntrospectionOptions, HttpBearerOptions } from './http-bearer.js'
export type { JwtBearerOptions } from './jwt-bearer.js'
export type { JwtAlgorithm, JwtCacheOptions, JwtPrincipal, JwtVerifyOptions } from '../jwt/options.js'
export type { OAuth2Flows, OAuth2IntrospectionOptions, OAuth2JwtOptions, OAuth2Scopes, OAuth2VerifyOptions } from './oauth2.js'
export type { OpenIdConnectOptions } from './open-id-connect.js'
export type { RemoteKeyOptions, RemoteStore } from '../internal/remote-document.js'
export type { CommonSchemeOptions, ScopedOptions, VerifyCallback } from './common.js'
export type { AnyScheme, ChallengeParams, Extracted, Scheme } from '../types.js'
