import { configError } from '../errors.js'
import type { SchemeMap } from '../types.js'

/**
 * Refuse, when a middleware is created, DPoP schemes that could never check a proof's `htu`
 * because the adapter gives the core only the request path (Express's `originalUrl`) and no
 * public origin is configured: every DPoP request would be refused (401) at request time. `names`
 * are the schemes the middleware evaluates (default: all of the auth's). Throws
 * `ERR_AUTHSPEC_CONFIG` naming the options that fix it.
 */
export function requireDpopOrigin(auth: { readonly schemes: SchemeMap }, where: string, names: Iterable<string> = Object.keys(auth.schemes)): void {
  const missing: string[] = []
  for (const name of new Set(names)) {
    const dpop = auth.schemes[name]?.dpop
    if (dpop !== undefined && dpop.origin === undefined) missing.push(name)
  }
  if (missing.length === 0) return
  throw configError(
    `${where}: scheme${missing.length > 1 ? 's' : ''} ${missing.map((name) => `"${name}"`).join(', ')} check${missing.length > 1 ? '' : 's'} DPoP proofs, ` +
      "whose htu must name the public URL, but this adapter sees only the request path: set the scheme's dpop.origin ('https://api.example.com') " +
      "or createAuth({ resource: 'https://api.example.com/…' })",
    missing[0],
  )
}
