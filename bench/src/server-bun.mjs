// One benchmark server on Bun: `bun server-bun.mjs <variant>`. Listens on 127.0.0.1, port 0,
// and prints `PORT <n> <adapter>` once ready.
import { simpleAuths } from './authspec-auths.mjs'
import { API_KEY_HEADER, loadFixtures } from './fixtures.mjs'

const variant = process.argv[2]
const fixtures = await loadFixtures()
const ok = () => new Response('ok')

let fetch
switch (variant) {
  case 'bun-floor':
    fetch = (req) => (req.headers.get(API_KEY_HEADER) === fixtures.apiKey ? ok() : new Response('unauthorized', { status: 401 }))
    break
  case 'bun-authspec-apikey': {
    const { auth, apiKey } = simpleAuths(fixtures)
    fetch = async (req) => {
      const result = await auth.authenticate(req, apiKey)
      return result.ok ? ok() : result.response
    }
    break
  }
  default:
    throw new Error(`unknown variant ${variant}`)
}

const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch })
process.stdout.write(`PORT ${server.port} core\n`)
