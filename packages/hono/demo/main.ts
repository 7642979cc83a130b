import { startDemo } from './server.js'

const port = process.env.PORT === undefined || process.env.PORT === '' ? 3000 : Number(process.env.PORT)
if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${JSON.stringify(process.env.PORT)}`)
const demo = await startDemo({ port, hostname: process.env.HOST ?? '127.0.0.1' })
const { url, credentials: c } = demo

console.log(`
authspec pets demo (Hono on Node) — development only
  API:     ${url}
  Docs:    ${url}/docs        (Swagger UI: Authorize, then Try it out)
  OpenAPI: ${url}/openapi.json

Demo credentials:
  API key (X-API-Key)   ${c.apiKey}
  Basic                 ${c.basicUser} / ${c.basicPassword}
  Opaque bearer token   ${c.opaqueToken}   (scope pets:read)
  OAuth2 client         ${c.clientId} / ${c.clientSecret}   (token endpoint POST /dev/token)

Try:
  curl -i ${url}/pets                                   # 401, one challenge per scheme
  curl -i -H 'X-API-Key: ${c.apiKey}' ${url}/pets        # 200
  curl -i -u ${c.basicUser}:${c.basicPassword} ${url}/me
  curl -i -H 'Authorization: Bearer ${c.opaqueToken}' -X POST ${url}/pets   # 403 insufficient_scope
  curl -s -u ${c.clientId}:${c.clientSecret} -d grant_type=client_credentials ${url}/dev/token   # a JWT for /token, /stats, POST /pets
  curl -s -X POST ${url}/dev/api-key                    # issues a stored key (X-Pets-Key): 5 requests/minute on GET /pets, then 429
`)

const stop = () => {
  demo.close().then(
    () => process.exit(0),
    () => process.exit(1),
  )
}
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
