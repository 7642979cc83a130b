import { createApp } from './app.js'
import { demoCredentials } from './auth.js'

const credentials = demoCredentials(process.env)
const app = createApp(credentials)
const server = Bun.serve({ hostname: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 3001), fetch: app.fetch })
const base = `http://${server.hostname}:${server.port}`

console.log(`Pets API (Bun) on ${base} — docs at ${base}/docs (development credentials below)
  curl -H 'X-API-Key: ${credentials.apiKey}' ${base}/pets/1
  curl -u '${credentials.basicUser}:${credentials.basicPassword}' ${base}/me
  curl -H 'Authorization: Bearer ${credentials.opaqueToken}' ${base}/session
  curl -H 'Authorization: Bearer ${credentials.writerToken}' -d '{"name":"Rex"}' ${base}/pets`)
