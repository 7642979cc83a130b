/** Swagger UI files the `/docs` page needs, served by the app itself (no CDN). */
export interface DocsAssets {
  css: string
  bundle: string
}

/** The `/docs` page and its files for {@link createDemoApp}'s `docs` option. */
export function swaggerDocs(assets: DocsAssets, oauth?: { clientId: string; clientSecret: string }) {
  const init = [
    'window.ui = SwaggerUIBundle({',
    "  url: '/openapi.json',",
    "  dom_id: '#swagger-ui',",
    '  deepLinking: true,',
    '  persistAuthorization: true,',
    '  displayRequestDuration: true,',
    '  presets: [SwaggerUIBundle.presets.apis],',
    "  layout: 'BaseLayout',",
    '})',
    oauth === undefined
      ? ''
      : `window.ui.initOAuth(${JSON.stringify({ clientId: oauth.clientId, clientSecret: oauth.clientSecret, scopes: 'pets:read pets:write' })})`,
  ].join('\n')
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>authspec pets demo</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
`
  return {
    html,
    files: {
      'swagger-ui.css': { body: assets.css, type: 'text/css; charset=utf-8' },
      'swagger-ui-bundle.js': { body: assets.bundle, type: 'text/javascript; charset=utf-8' },
      'init.js': { body: init, type: 'text/javascript; charset=utf-8' },
    },
  }
}
