import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)
const assets = dirname(require.resolve('swagger-ui-dist/package.json'))
const FILES: Record<string, string> = {
  '/docs/swagger-ui.css': 'text/css; charset=utf-8',
  '/docs/swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
}

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Pets API (Bun) — docs</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script>window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', persistAuthorization: true })</script>
</body>
</html>
`

/** Swagger UI (from the swagger-ui-dist package, served locally) pointed at `/openapi.json`. */
export async function docsPage(pathname: string): Promise<Response> {
  if (pathname === '/docs' || pathname === '/docs/') {
    return new Response(PAGE, { headers: { 'content-type': 'text/html; charset=utf-8' } })
  }
  const type = FILES[pathname]
  if (type === undefined) return Response.json({ error: 'not found' }, { status: 404 })
  return new Response(await readFile(join(assets, pathname.slice('/docs/'.length))), { headers: { 'content-type': type } })
}
