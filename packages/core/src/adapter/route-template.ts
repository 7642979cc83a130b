/**
 * How a router in `:name` syntax writes a parameter's own pattern after its name, which decides
 * the rest: `'braces'` (Hono: `:id{[0-9]+}`; parameters are whole segments, `/a/` and `/a` are
 * different routes) or `'parentheses'` (Express: 4's `:id(\\d+)`; parameters may sit inside a
 * segment, `/files/:name.json`; `/a/` is `/a`, as a non-strict router answers it).
 */
export type PathSyntax = 'braces' | 'parentheses'

/** A route path as an OpenAPI path template. */
export interface RouteTemplate {
  /** `/pets/{id}`. */
  readonly template: string
  /** The template's path parameters, in order. */
  readonly parameters: string[]
}

/** A segment that is one parameter, its name captured. */
const PARAMETER: Record<PathSyntax, RegExp> = { braces: /^:([^{}?*/]+)(?:\{.*\})?$/, parentheses: /^:(\w+)(?:\([^/]*\))?$/ }
/** What else in a segment a template cannot say: wildcards, optional parts, patterns. */
const UNSAYABLE: Record<PathSyntax, RegExp> = { braces: /^:|[*?{}]/, parentheses: /[*?()[\]{}+!\\]/ }

/**
 * A router's path as an OpenAPI template with its parameters (`/pets/:id` → `/pets/{id}`, a
 * parameter's pattern dropped), or `undefined` for what a template cannot say: wildcards,
 * optional parameters or groups, regular expressions. Both the document and the binding of
 * requests to its operations read routes through this, so what is documented is what is enforced.
 */
export function routeTemplate(path: string, syntax: PathSyntax): RouteTemplate | undefined {
  const parameters: string[] = []
  const out: string[] = []
  for (const segment of path.split('/')) {
    const whole = PARAMETER[syntax].exec(segment)
    if (whole !== null) {
      parameters.push(whole[1]!)
      out.push(`{${whole[1]!}}`)
    } else if (UNSAYABLE[syntax].test(segment)) return undefined
    else if (syntax === 'braces') out.push(segment)
    else {
      out.push(
        segment.replace(/:(\w+)/g, (_, name: string) => {
          parameters.push(name)
          return `{${name}}`
        }),
      )
    }
  }
  const template = out.join('/')
  return { template: syntax === 'parentheses' && template.length > 1 ? template.replace(/\/$/, '') : template, parameters }
}
