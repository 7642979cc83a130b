import { createAuth, type Auth } from '../create-auth.js'
import { configError, isAuthspecError } from '../errors.js'
import { checkOptions, optionNames } from '../internal/check-options.js'
import { oneOf } from '../internal/option-schema.js'
import { allOf } from '../all-of.js'
import { versionOf } from '../openapi-output/merge.js'
import { buildScheme, fromSwaggerScheme, isObject } from './import-schemes.js'
import { PathMatcher } from './paths.js'
import { OperationIndex, setOperationIndex } from './operation-index.js'
import type { RenderError } from '../result.js'
import type { AnyScheme, OpenAPIVersion, Requirement, SchemeMap } from '../types.js'
import type { SchemesOf, VerifiersFor } from './from-openapi-types.js'
import { describeList, frozenRequirement, readDocumentSecurity, sameRequirement, type DocumentSecurity } from './document-security.js'
import { checkScopes, withScopes } from './scope-check.js'

/**
 * What to pair with one `securitySchemes` entry: the options of the scheme's own factory minus
 * what the document already says (type, `in`, `name`, `scheme`, `bearerFormat`, flows,
 * `openIdConnectUrl`), or a ready `Scheme` (required for schemes authspec does not implement,
 * e.g. `http` `DPoP`/`mutual`, and for names the requirements use without declaring them).
 *
 * - apiKey, http basic: `{ verify }` or `{ keys }` / `{ users }`, optional `scopes`
 * - http bearer: `{ verify, scopes? }` (opaque, `httpBearer`) or JWT options with `algorithms` (`jwtBearer`)
 * - oauth2: `{ token: { algorithms, … } }` or `{ verify }` (`oauth2` with the document's flows)
 * - openIdConnect: `{ algorithms, audience, … }` (`openIdConnect` with the document's URL)
 */
export type VerifierOptions = AnyScheme | Readonly<Record<string, unknown>>

/** Options of {@link fromOpenAPI}. */
export interface FromOpenAPIOptions<V = Readonly<Record<string, VerifierOptions>>> {
  /**
   * One verifier per declared scheme name (every name is required; unknown names are a config
   * error). With an inline or `as const` document the names and each entry's options are
   * checked at compile time and each principal is inferred from its verifier.
   */
  verifiers: V
  /**
   * oauth2 scopes that requirements use but the scheme's flows do not declare (e.g. dynamic
   * scopes such as `consent:{id}`): `'error'` refuses the document; `'check'` accepts it and
   * enforces those scopes like declared ones (the credential must grant them). Emitted flows
   * stay as the document wrote them. @default "error"
   */
  undeclaredScopes?: 'error' | 'check'
  /**
   * Templates that differ only in parameter names (`/cards/{idCard}` and `/cards/{filter}`,
   * which the specification forbids) but carry different security: `'error'` refuses the
   * document; `'all'` makes every path that matches them (a concrete path, or one of the
   * templates spelled literally) satisfy every one of their requirements (ANDed).
   * @default "error"
   */
  ambiguousPaths?: 'error' | 'all'
  /** Default `realm` of challenges. @default "api" */
  realm?: string
  /** Replace the default problem+json failure response. */
  renderError?: RenderError
}

/** Every option name of {@link fromOpenAPI}. */
const FROM_OPENAPI_OPTIONS = optionNames<FromOpenAPIOptions>()('verifiers', 'undeclaredScopes', 'ambiguousPaths', 'realm', 'renderError')

/** An auth built from an OpenAPI document. */
export interface OpenAPIAuth<S extends SchemeMap = SchemeMap> extends Auth<S> {
  /**
   * The effective requirement of the operation a request reaches: the operation's `security`,
   * else the document's, else `[]` (public). `method` in any casing; `path` a concrete request
   * path (query allowed, server base paths understood: a match as given wins over a match with
   * a base path stripped) or the template as written in the document. `undefined` when the
   * document has no such operation, and for paths containing `\\` or `.`/`..` segments: answer
   * 404/405 yourself and do not authenticate with `undefined` (that would apply the
   * document-level default). A URL lookup cannot see how a router reads the path (case, `\\`,
   * double slashes, mounts): in Hono and Express use `enforceOpenAPI`, which binds to the route.
   */
  requirementFor(method: string, path: string): Requirement | undefined
  /** The operations that carry their own `security`, keyed `"METHOD /template"` (for `mergeInto`). */
  readonly operations: Readonly<Record<string, Requirement>>
  /** Version of the source document (`"3.0"` for a normalized Swagger 2.0 input). */
  readonly version: OpenAPIVersion
}

const PUBLIC: Requirement = Object.freeze([])

/**
 * Build an auth from an existing OpenAPI 3.0/3.1/3.2 document (or a Swagger 2.0 one, normalized
 * to 3.0), pairing each `securitySchemes` entry with `options.verifiers[name]`. Every problem of
 * the document and the verifiers (missing or unknown verifiers, undeclared scheme names or
 * scopes, scopes asked of a scheme that cannot check them, unsupported scheme types) is
 * collected and thrown as one `ERR_AUTHSPEC_CONFIG`.
 */
export function fromOpenAPI<const D, const V extends VerifiersFor<D, V>>(document: D, options: FromOpenAPIOptions<V>): OpenAPIAuth<SchemesOf<V>>
export function fromOpenAPI(document: unknown, options: FromOpenAPIOptions): OpenAPIAuth {
  if (!isObject(document)) throw configError('fromOpenAPI: document must be an OpenAPI document object')
  const { swagger, version, undeclaredScopes, ambiguousPaths } = resolveImport(document, options)
  const problems: string[] = []
  const declared = declaredSchemes(document, swagger)
  const { security: documentSecurity, operations, sites, used } = readDocumentSecurity(document, version, problems)
  const schemes = pairVerifiers(declared, used, options.verifiers, problems)
  const extraScopes = checkScopes(sites, schemes, undeclaredScopes, problems)
  for (const [name, scopes] of extraScopes) schemes[name] = withScopes(schemes[name]!, scopes)
  const docSecurity = Array.isArray(documentSecurity) ? frozenRequirement(documentSecurity) : undefined
  const table = operationTable(document, swagger, operations, docSecurity, ambiguousPaths, problems)

  if (problems.length > 0) throw configError(`fromOpenAPI: the document cannot be enforced:\n- ${problems.join('\n- ')}`)
  if (Object.keys(schemes).length === 0) throw configError('fromOpenAPI: the document declares no security schemes')

  const auth = createAuth({ schemes, security: docSecurity, realm: options.realm, renderError: options.renderError })
  for (const requirement of new Set([...table.effective.values(), ...table.combined])) auth.prepare(requirement)
  const { matcher } = table
  const imported: OpenAPIAuth = {
    ...auth,
    version,
    operations: Object.freeze(table.own),
    requirementFor: (method, path) => {
      if (typeof method !== 'string' || typeof path !== 'string') return undefined
      return matcher.lookup(method, path)
    },
  }
  setOperationIndex(imported, table.index)
  return imported
}

type Json = Record<string, unknown>

interface ResolvedImport {
  readonly swagger: boolean
  readonly version: OpenAPIVersion
  readonly undeclaredScopes: 'error' | 'check'
  readonly ambiguousPaths: 'error' | 'all'
}

/** Check the document's version and the options (throws `ERR_AUTHSPEC_CONFIG`). */
function resolveImport(document: Json, options: FromOpenAPIOptions): ResolvedImport {
  if (!isObject(options) || !isObject(options.verifiers)) throw configError('fromOpenAPI: options.verifiers is required')
  checkOptions('fromOpenAPI', options, FROM_OPENAPI_OPTIONS)
  const swagger = document.swagger === '2.0'
  const version = swagger ? '3.0' : versionOf(document.openapi)
  if (version === undefined) {
    throw configError(`fromOpenAPI: unsupported document version ${JSON.stringify(document.openapi ?? document.swagger)} (OpenAPI 3.0, 3.1, 3.2 or Swagger 2.0)`)
  }
  const undeclaredScopes = oneOf('fromOpenAPI: undeclaredScopes', options.undeclaredScopes ?? 'error', ['error', 'check'])
  const ambiguousPaths = oneOf('fromOpenAPI: ambiguousPaths', options.ambiguousPaths ?? 'error', ['error', 'all'])
  return { swagger, version, undeclaredScopes, ambiguousPaths }
}

/** The document's `securitySchemes` (Swagger 2.0 `securityDefinitions` normalized to 3.0), by name. */
function declaredSchemes(document: Json, swagger: boolean): Record<string, unknown> {
  const rawSchemes = swagger ? document.securityDefinitions : isObject(document.components) ? document.components.securitySchemes : undefined
  const declared: Record<string, unknown> = Object.create(null) as Record<string, unknown>
  if (isObject(rawSchemes)) for (const [name, object] of Object.entries(rawSchemes)) declared[name] = swagger ? fromSwaggerScheme(object) : object
  return declared
}

/** Pair the declared and used schemes with their verifiers; what does not pair is a problem. */
function pairVerifiers(declared: Record<string, unknown>, used: ReadonlyMap<string, string[]>, verifiers: Readonly<Record<string, VerifierOptions>>, problems: string[]): Record<string, AnyScheme> {
  const missing = Object.keys(declared).filter((name) => !Object.hasOwn(verifiers, name))
  if (missing.length > 0) problems.push(`missing verifiers for ${missing.map((n) => JSON.stringify(n)).join(', ')}`)
  const undeclaredUse = new Map<string, string[]>()
  for (const [name, where] of used) if (!Object.hasOwn(declared, name) && !Object.hasOwn(verifiers, name)) undeclaredUse.set(name, where)
  if (undeclaredUse.size > 0) {
    problems.push(`requirements name schemes the document does not declare (declare them, or pass a Scheme as their verifier): ${describeList(undeclaredUse)}`)
  }
  const unknown = Object.keys(verifiers).filter((name) => !Object.hasOwn(declared, name) && !used.has(name))
  if (unknown.length > 0) problems.push(`verifiers given for schemes the document neither declares nor uses: ${unknown.map((n) => JSON.stringify(n)).join(', ')}`)
  const schemes: Record<string, AnyScheme> = Object.create(null) as Record<string, AnyScheme>
  for (const name of new Set([...Object.keys(declared), ...used.keys()])) {
    if (!Object.hasOwn(verifiers, name)) continue
    try {
      schemes[name] = buildScheme(name, declared[name], verifiers[name])
    } catch (error) {
      if (!isAuthspecError(error)) throw error
      problems.push(error.message.includes(`"${name}"`) ? error.message : `"${name}": ${error.message}`)
    }
  }
  return schemes
}

/** The operations' effective requirements, and the path table they are looked up in. */
interface OperationTable {
  readonly matcher: PathMatcher<Requirement>
  readonly index: OperationIndex
  /** Operations with their own `security`, by `"METHOD /template"`. */
  readonly own: Record<string, Requirement>
  readonly effective: Map<string, Requirement>
  /** Requirements made by ANDing ambiguous templates (`ambiguousPaths: 'all'`). */
  readonly combined: Requirement[]
}

function serverUrls(document: Json, swagger: boolean): string[] {
  const servers = swagger ? [typeof document.basePath === 'string' ? document.basePath : ''] : Array.isArray(document.servers) ? document.servers : []
  const urls: string[] = []
  for (const server of servers) {
    const url = typeof server === 'string' ? server : isObject(server) && typeof server.url === 'string' ? server.url : undefined
    if (url !== undefined) urls.push(url)
  }
  return urls
}

function operationTable(document: Json, swagger: boolean, operations: DocumentSecurity['operations'], docSecurity: Requirement | undefined, ambiguousPaths: 'error' | 'all', problems: string[]): OperationTable {
  const matcher = new PathMatcher<Requirement>()
  const index = new OperationIndex(ambiguousPaths === 'all')
  for (const url of serverUrls(document, swagger)) {
    matcher.addServer(url)
    index.addServer(url)
  }
  const table: OperationTable = { matcher, index, own: Object.create(null) as Record<string, Requirement>, effective: new Map(), combined: [] }
  const remember = (requirement: Requirement): Requirement => (table.combined.push(requirement), requirement)
  for (const { method, template, security } of operations) {
    const key = `${method.toUpperCase()} ${template}`
    const requirement = Array.isArray(security) ? frozenRequirement(security) : (docSecurity ?? PUBLIC)
    if (Array.isArray(security)) table.own[key] = requirement
    table.effective.set(key, requirement)
    index.add(method, template, requirement)
    const clash = matcher.add(method, template, requirement, ambiguousPaths === 'all' ? (x, y) => remember(sameRequirement(x, y) ? x : frozenRequirement(allOf(x, y))) : undefined)
    if (clash !== undefined && ambiguousPaths === 'error' && !sameRequirement(table.effective.get(`${method.toUpperCase()} ${clash}`)!, requirement)) {
      problems.push(`${key} and ${method.toUpperCase()} ${clash} are the same path with different security (pass ambiguousPaths: 'all' to require both)`)
    }
  }
  return table
}
