export { AuthFailureException, requireAuth } from './require-auth.js'
export type { AuthEnv } from './require-auth.js'
export { openapiDocument } from './openapi-document.js'
export type { OpenAPIDocument, OpenAPIDocumentOptions, OpenAPIOperation } from './openapi-document.js'
