import type { OpenAPIOperation } from '@authspec/hono'

const petSchema = {
  type: 'object',
  required: ['id', 'name', 'species', 'addedBy'],
  properties: { id: { type: 'string' }, name: { type: 'string' }, species: { type: 'string' }, addedBy: { type: 'string' } },
}
const json = (schema: Record<string, unknown>) => ({ content: { 'application/json': { schema } } })

/** Summaries, tags and bodies of the demo's operations (security comes from the guards). */
export const DEMO_OPERATIONS: Record<string, Partial<OpenAPIOperation>> = {
  'GET /health': { operationId: 'healthCheck', tags: ['meta'], summary: 'Health check (public)' },
  'GET /pets': {
    operationId: 'listPets',
    tags: ['pets'],
    summary: 'List pets — any one credential (OR)',
    responses: { '200': { description: 'The pets', ...json({ type: 'array', items: petSchema }) } },
  },
  'GET /pets/{id}': {
    operationId: 'getPet',
    tags: ['pets'],
    summary: 'Get a pet — API key',
    responses: { '200': { description: 'The pet', ...json(petSchema) }, '404': { description: 'No such pet' } },
  },
  'POST /pets': {
    operationId: 'addPet',
    tags: ['pets'],
    summary: 'Add a pet — scope pets:write (OAuth2, JWT or opaque token)',
    requestBody: {
      required: true,
      ...json({ type: 'object', required: ['name'], properties: { name: { type: 'string', example: 'Nemo' }, species: { type: 'string', example: 'fish' } } }),
    },
    responses: { '201': { description: 'Added', ...json(petSchema) } },
  },
  'DELETE /pets/{id}': {
    operationId: 'removePet',
    tags: ['pets'],
    summary: 'Remove a pet — API key AND Basic',
    responses: { '204': { description: 'Removed' }, '404': { description: 'No such pet' } },
  },
  'GET /me': { operationId: 'whoAmI', tags: ['whoami'], summary: 'Who am I — HTTP Basic' },
  'GET /session': { operationId: 'opaqueSession', tags: ['whoami'], summary: 'Opaque bearer token' },
  'GET /token': { operationId: 'jwtClaims', tags: ['whoami'], summary: 'JWT bearer: the verified claims' },
  'GET /stats': { operationId: 'oauth2Stats', tags: ['whoami'], summary: 'OAuth2 with scopes pets:read and pets:write' },
}

/** The docs' description: what to try, and the development credentials when given. */
export function demoDescription(credentials?: Record<string, string>): string {
  const lines = [
    'A pets API protected by **authspec**: the same definitions enforce every request and produce this document.',
    '',
    'Click **Authorize**, fill in one or more schemes, then **Try it out** on a route. Without credentials a protected route answers 401 with a `WWW-Authenticate` challenge per scheme; a token without the needed scope gets 403.',
  ]
  if (credentials !== undefined) {
    lines.push('', '**Development credentials** (local demo only):', '')
    for (const [name, value] of Object.entries(credentials)) lines.push(`- ${name}: \`${value}\``)
  }
  return lines.join('\n')
}
