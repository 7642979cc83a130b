import { isObject } from './import-schemes.js'
import { addSite, describeList, type SecuritySite } from './document-security.js'
import type { AnyScheme } from '../types.js'

/**
 * Check the scopes every requirement asks of each scheme: declared (oauth2 flows), any (schemes
 * with a `scopes` option, OIDC) or none. Problems go onto `problems`; with
 * `undeclaredScopes: 'check'` the oauth2 scopes the flows lack are returned per scheme instead,
 * to be enforced like declared ones ({@link withScopes}).
 */
export function checkScopes(sites: readonly SecuritySite[], schemes: Readonly<Record<string, AnyScheme>>, undeclaredScopes: 'error' | 'check', problems: string[]): Map<string, Set<string>> {
  const badScopes = new Map<string, string[]>()
  const noScopes = new Map<string, string[]>()
  const extraScopes = new Map<string, Set<string>>()
  for (const site of sites) {
    if (!Array.isArray(site.security)) continue
    for (const object of site.security) {
      if (!isObject(object)) continue
      for (const [name, scopes] of Object.entries(object)) {
        const scheme = schemes[name]
        if (scheme === undefined || !Array.isArray(scopes) || scopes.length === 0) continue
        const mode = scheme.scopeMode
        if (mode === 'none') addSite(noScopes, JSON.stringify(name), site.where)
        else if (mode !== 'any') {
          for (const scope of scopes as string[]) {
            if (mode.has(scope)) continue
            if (undeclaredScopes === 'check') {
              let set = extraScopes.get(name)
              if (set === undefined) extraScopes.set(name, (set = new Set()))
              set.add(scope)
            } else addSite(badScopes, `${name}: ${JSON.stringify(scope)}`, site.where)
          }
        }
      }
    }
  }
  if (noScopes.size > 0) problems.push(`requirements ask scopes of schemes that cannot check them (give their verifier a \`scopes\` function): ${describeList(noScopes)}`)
  if (badScopes.size > 0) {
    problems.push(`requirements use oauth2 scopes the flows do not declare (declare them, or pass undeclaredScopes: 'check'): ${describeList(badScopes)}`)
  }
  return extraScopes
}

/** The scheme with extra scopes a requirement may ask (undeclaredScopes: 'check'). */
export function withScopes(scheme: AnyScheme, extra: Set<string>): AnyScheme {
  const mode = scheme.scopeMode
  if (mode === 'any' || mode === 'none') return scheme
  return Object.create(scheme, { scopeMode: { value: new Set([...mode, ...extra]), enumerable: true } }) as AnyScheme
}
