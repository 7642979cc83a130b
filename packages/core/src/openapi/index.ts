// `@authspec/core/openapi`: the OpenAPI output of an auth (`auth.openapi()`, `auth.operation()`),
// merging it into an existing document, and spec-first enforcement (`fromOpenAPI`).
export { ROLES_EXTENSION } from '../openapi-output/builder.js'
export type { OpenAPIOptions, OpenAPISecurityOutput, OperationOutput, ResponseObject, SchemaObject } from '../openapi-output/builder.js'
export { mergeInto } from '../openapi-output/merge.js'
export type { MergedDocument, MergeOptions, MergeSource } from '../openapi-output/merge.js'
export { fromOpenAPI } from './from-openapi.js'
export type { FromOpenAPIOptions, OpenAPIAuth, VerifierOptions } from './from-openapi.js'
export type { SecuritySchemeObject } from '../types.js'
