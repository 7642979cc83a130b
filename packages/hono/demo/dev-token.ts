import { timingSafeEqual } from '@authspec/core'
import type { Context } from 'hono'
import { SignJWT } from 'jose'

/** What the development token endpoint signs with. */
export interface DevTokenOptions {
  /** HS256 secret (≥ 32 bytes) shared with the JwtBearer and OAuth2 schemes. */
  secret: string
  issuer: string
  audience: string
  clientId: string
  clientSecret: string
}

const SCOPES = ['pets:read', 'pets:write']
/** Lifetime of issued tokens, in seconds. */
const LIFETIME = 3600

function oauthError(c: Context, status: 400 | 401, error: string) {
  if (status === 401) c.header('WWW-Authenticate', 'Basic realm="dev-token", charset="UTF-8"')
  c.header('Cache-Control', 'no-store')
  return c.json({ error }, status)
}

function basicClient(header: string | undefined): [string, string] | undefined {
  if (header === undefined || !/^basic /i.test(header)) return undefined
  try {
    const text = atob(header.slice(6).trim())
    const colon = text.indexOf(':')
    return colon === -1 ? undefined : [decodeURIComponent(text.slice(0, colon)), decodeURIComponent(text.slice(colon + 1))]
  } catch {
    return undefined
  }
}

/**
 * DEVELOPMENT ONLY: an OAuth2 token endpoint (RFC 6749 §4.4, client credentials) that signs an
 * HS256 JWT for the one demo client, so the JwtBearer and OAuth2 routes can be tried.
 */
export async function issueDevToken(c: Context, options: DevTokenOptions): Promise<Response> {
  const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>)
  const field = (name: string) => (typeof form[name] === 'string' ? (form[name] as string) : undefined)
  if (field('grant_type') !== 'client_credentials') return oauthError(c, 400, 'unsupported_grant_type')
  const [id, secret] = basicClient(c.req.header('authorization')) ?? [field('client_id') ?? '', field('client_secret') ?? '']
  const ok = Number(timingSafeEqual(id, options.clientId)) & Number(timingSafeEqual(secret, options.clientSecret))
  if (ok !== 1) return oauthError(c, 401, 'invalid_client')
  const requested = (field('scope') ?? SCOPES.join(' ')).split(' ').filter((scope) => scope.length > 0)
  if (requested.some((scope) => !SCOPES.includes(scope))) return oauthError(c, 400, 'invalid_scope')
  const scope = requested.join(' ')
  const token = await new SignJWT({ scope })
    .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setSubject(id)
    .setIssuedAt()
    .setExpirationTime(`${LIFETIME}s`)
    .sign(new TextEncoder().encode(options.secret))
  c.header('Cache-Control', 'no-store')
  return c.json({ access_token: token, token_type: 'Bearer', expires_in: LIFETIME, scope })
}
