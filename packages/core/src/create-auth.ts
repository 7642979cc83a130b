import { AuthspecError, configError, isAuthspecError } from './errors.js'
import { resourceServer, type ProtectedResourceMetadata, type ProtectedResourceOptions, type ResourceServer } from './resource-server/metadata.js'
import { evaluate, type Evaluated } from './evaluate.js'
import { isThenable } from './internal/verify-callback.js'
import { checkOptions, optionNames } from './internal/check-options.js'
import { func } from './internal/option-schema.js'
import { buildOpenAPI, buildOperation, type OpenAPIOptions, type OpenAPISecurityOutput, type OperationOutput } from './openapi-output/builder.js'
import { mergeInto, type MergedDocument, type MergeOptions } from './openapi-output/merge.js'
import { isPreparedRequirement, prepareRequirement, type PreparedRequirement } from './requirement.js'
import type { AuthResult, RenderError } from './result.js'
import type { RequestLike, Requirement, SchemeMap } from './types.js'

/** Options of {@link createAuth}. */
export interface AuthOptions<S extends SchemeMap> {
  /** Named schemes; the names are the keys of OpenAPI `components.securitySchemes`. */
  schemes: S
  /** Default requirement, used when `authenticate` gets none, and emitted as the document's `security`. */
  security?: Requirement<S>
  /** Default `realm` of every challenge. @default "api" */
  realm?: string
  /** Replace the default problem+json failure response. */
  renderError?: RenderError
  /**
   * This API as an OAuth 2.0 protected resource (RFC 9728, RFC 8707; the MCP authorization
   * specification): its resource identifier, an absolute URL such as `https://api.example.com/mcp`.
   * Then `protectedResourceMetadata()` describes it, every Bearer/DPoP challenge carries
   * `resource_metadata` (and its 401 `scope`), and JWT schemes without an `audience` expect
   * this resource as their audience, compared in canonical-URI form.
   */
  resource?: string
  /** More of the RFC 9728 metadata (with `resource`). */
  protectedResource?: ProtectedResourceOptions
}

/** Every option name of {@link createAuth}. */
export const AUTH_OPTIONS = optionNames<AuthOptions<SchemeMap>>()('schemes', 'security', 'realm', 'renderError', 'resource', 'protectedResource')

/** Per-call options of `authenticate`. */
export interface AuthenticateOptions {
  /** Adapter-provided environment (e.g. Workers bindings), passed to verifiers as `ctx.env`. */
  env?: unknown
  /**
   * The client's address (Hono: connection info; Express: `req.ip`), passed to verifiers as
   * `ctx.client` for failed-auth throttling; or a function giving it, called only when a verifier
   * reads `ctx.client` (so a request no verifier throttles never computes it).
   */
  client?: string | (() => string | undefined) | undefined
}

/** An auth: schemes plus requirement evaluation plus OpenAPI output. */
export interface Auth<S extends SchemeMap = SchemeMap> {
  readonly schemes: S
  readonly realm: string
  readonly security: Requirement<S> | undefined
  /** The `renderError` option, for adapters that send failures without a `Response`. */
  readonly renderError: RenderError | undefined
  /**
   * Authenticate a request against a requirement (default: the auth's `security`). Resolves to
   * a success or a failure value; rejects only with `AuthspecError` (config or verify bugs).
   */
  authenticate<const R extends Requirement<S>>(
    request: RequestLike,
    requirement?: R | PreparedRequirement<R>,
    options?: AuthenticateOptions,
  ): Promise<AuthResult<S, R>>
  /**
   * `authenticate`, answering synchronously when every verification on the way answered
   * synchronously (static keys and passwords without a hash, the memory key store, verified-token
   * cache hits): a result now, else a promise of it. For adapters and servers that can go on
   * without a promise hop. Throws synchronously or rejects with what `authenticate` rejects with.
   */
  authenticateNow<const R extends Requirement<S>>(
    request: RequestLike,
    requirement?: R | PreparedRequirement<R>,
    options?: AuthenticateOptions,
  ): AuthResult<S, R> | Promise<AuthResult<S, R>>
  /** Check a requirement once (throws `ERR_AUTHSPEC_CONFIG`) and keep it ready for evaluation. */
  prepare<const R extends Requirement<S>>(requirement?: R): PreparedRequirement<R>
  /** `components.securitySchemes`, the shared problem+json schema and the default `security`. */
  openapi(options?: OpenAPIOptions): OpenAPISecurityOutput
  /** An operation's `security` and its failure responses (referring to the shared problem schema). */
  operation(requirement?: Requirement<S>, options?: OpenAPIOptions): OperationOutput
  /**
   * A copy of an OpenAPI 3.x `document` with this auth's schemes, problem schema, default
   * `security` and (per `options.operations`) operation security and failure responses added;
   * nothing the document already says is overwritten.
   */
  mergeInto<D extends object>(document: D, options?: MergeOptions): MergedDocument<D>
  /** Prefetch remote keys and discovery documents of every scheme. */
  warmup(): Promise<void>
  /** The `resource` option as given, `undefined` when none. */
  readonly resource: string | undefined
  /** The URL of the RFC 9728 metadata (the challenges' `resource_metadata`), `undefined` without `resource`. */
  readonly resourceMetadataUrl: string | undefined
  /**
   * The RFC 9728 protected-resource metadata document (serve it at
   * `/.well-known/oauth-protected-resource…`; the adapters' `protectedResource` does). Throws
   * `ERR_AUTHSPEC_CONFIG` when the auth has no `resource`.
   */
  protectedResourceMetadata(): ProtectedResourceMetadata
}

function isScheme(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { extract?: unknown }).extract === 'function' &&
    typeof (value as { verify?: unknown }).verify === 'function' &&
    typeof (value as { toOpenAPI?: unknown }).toOpenAPI === 'function'
  )
}

/** The resolved options of an auth and its prepared requirements, read on every request. */
interface AuthState<S extends SchemeMap> {
  readonly schemes: S
  readonly security: Requirement<S> | undefined
  readonly realm: string
  readonly renderError: RenderError | undefined
  readonly server: ResourceServer | undefined
  readonly resourceMetadata: string | undefined
  /** Prepared requirements by requirement array. */
  readonly cache: WeakMap<object, PreparedRequirement<unknown>>
  defaultPrepared: PreparedRequirement<unknown> | undefined
}

/** Check the options and every scheme (throws `ERR_AUTHSPEC_CONFIG`), and bind the schemes to the resource. */
function resolveAuth<S extends SchemeMap>(options: AuthOptions<S>): AuthState<S> {
  if (options === null || typeof options !== 'object') throw configError('createAuth: options object required')
  checkOptions('createAuth', options, AUTH_OPTIONS)
  const { schemes, renderError } = options
  if (schemes === null || typeof schemes !== 'object' || Object.keys(schemes).length === 0) {
    throw configError('createAuth: schemes must name at least one scheme')
  }
  for (const [name, scheme] of Object.entries(schemes)) {
    if (!isScheme(scheme)) throw configError(`createAuth: scheme "${name}" was not created by a scheme factory (apiKey, httpBasic, …)`, name)
  }
  const realm = options.realm ?? 'api'
  if (typeof realm !== 'string') throw configError('createAuth: realm must be a string')
  if (renderError !== undefined) func('createAuth: renderError', renderError)
  const server = options.resource === undefined ? undefined : resourceServer(options.resource, options.protectedResource, schemes)
  if (server === undefined && options.protectedResource !== undefined) throw configError('createAuth: protectedResource needs a resource')
  for (const [name, scheme] of Object.entries(schemes)) {
    try {
      scheme.bindResource?.(server?.canonical)
    } catch (error) {
      throw isAuthspecError(error) ? new AuthspecError(error.code, `createAuth: scheme "${name}": ${error.message}`, { scheme: name, cause: error.cause }) : error
    }
  }
  const state: AuthState<S> = { schemes, security: options.security, realm, renderError, server, resourceMetadata: server?.metadataUrl, cache: new WeakMap(), defaultPrepared: undefined }
  if (options.security !== undefined) state.defaultPrepared = prepareOnce(state, options.security)
  return state
}

/** `requirement` checked and prepared, once per requirement array. */
function prepareOnce<S extends SchemeMap, R extends Requirement<S>>(state: AuthState<S>, requirement: R): PreparedRequirement<R> {
  let prepared = state.cache.get(requirement) as PreparedRequirement<R> | undefined
  if (prepared === undefined) {
    prepared = prepareRequirement(requirement, state.schemes, state.realm, state.resourceMetadata)
    state.cache.set(requirement, prepared)
  }
  return prepared
}

/** The prepared form of what `authenticate` was given: the default, an array, or a prepared requirement. */
function resolveRequirement<S extends SchemeMap, R extends Requirement<S>>(state: AuthState<S>, requirement: R | PreparedRequirement<R> | undefined): PreparedRequirement<unknown> {
  if (requirement === undefined) {
    if (state.defaultPrepared === undefined) {
      throw configError('no security requirement given and createAuth has no default `security`; pass [] for a public route')
    }
    return state.defaultPrepared
  }
  if (Array.isArray(requirement)) return prepareOnce(state, requirement as R)
  if (isPreparedRequirement(requirement)) return requirement
  // A bare `{ ApiKeyAuth: [] }` (not wrapped in an array) is the usual slip.
  throw configError(`a security requirement must be an array of requirement objects (or auth.prepare's result), got ${typeof requirement}`)
}

function evaluateNow<S extends SchemeMap>(state: AuthState<S>, request: RequestLike, requirement: Requirement<S> | PreparedRequirement<Requirement<S>> | undefined, callOptions: AuthenticateOptions | undefined): Evaluated {
  return evaluate(request, resolveRequirement(state, requirement), { realm: state.realm, env: callOptions?.env, render: state.renderError, client: callOptions?.client, resourceMetadata: state.resourceMetadata })
}

/**
 * Create an auth from named schemes. Every scheme and the default requirement are checked now;
 * misconfiguration throws `AuthspecError` (`ERR_AUTHSPEC_CONFIG`) here, never per request.
 */
export function createAuth<const S extends SchemeMap>(options: AuthOptions<S>): Auth<S> {
  const state = resolveAuth(options)
  const { schemes, server } = state
  const auth: Auth<S> = {
    schemes,
    realm: state.realm,
    security: state.security,
    renderError: state.renderError,
    authenticate: (request, requirement, callOptions) => {
      try {
        const answer = evaluateNow(state, request, requirement, callOptions)
        return (isThenable(answer) ? answer : Promise.resolve(answer)) as never
      } catch (error) {
        // A bad requirement or a verifier fault rejects the promise like every other error.
        return Promise.reject(error)
      }
    },
    authenticateNow: (request, requirement, callOptions) => evaluateNow(state, request, requirement, callOptions) as never,
    prepare: (requirement) => resolveRequirement(state, requirement) as never,
    openapi: (openapiOptions) => buildOpenAPI(schemes, state.security, openapiOptions),
    operation: (requirement, openapiOptions) => buildOperation(resolveRequirement(state, requirement) as PreparedRequirement<Requirement>, openapiOptions),
    mergeInto: (document, mergeOptions) => mergeInto(document, auth as Auth, mergeOptions),
    warmup: async () => {
      await Promise.all(Object.values(schemes).map((scheme) => scheme.warmup?.()))
    },
    resource: server?.resource,
    resourceMetadataUrl: state.resourceMetadata,
    protectedResourceMetadata: () => {
      if (server === undefined) throw configError('protectedResourceMetadata: createAuth has no resource')
      return server.metadata
    },
  }
  return auth
}
