import { statSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDemo, type RunningDemo } from '../demo/server.js'
import { findChromium } from './chromium.js'

// CHROMIUM_PATH, Debian's /usr/bin/chromium, or the binary inside the npm package @sparticuz/chromium
// (a headless shell); never a downloaded browser. See ./chromium.ts.
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
const RESULTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-results')

let demo: RunningDemo
let browser: Browser

beforeAll(async () => {
  const found = await findChromium()
  demo = await startDemo({ port: 0 })
  browser = await chromium.launch({ executablePath: found.executablePath, headless: true, args: ARGS, env: { ...process.env, ...found.env } })
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await demo?.close()
})

async function openDocs(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } })
  await page.goto(`${demo.url}/docs`)
  await page.locator('#operations-pets-listPets').waitFor({ timeout: 20_000 })
  return page
}

/** Expand an operation, Try it out, fill path parameters, Execute; the status (and body) the UI shows. */
async function execute(page: Page, operationId: string, params: Record<string, string> = {}, seen?: { body: string }): Promise<string> {
  const op = page.locator(`[id$="-${operationId}"]`)
  if (!(await op.locator('.opblock-body').isVisible())) await op.locator('.opblock-summary-control').click()
  const tryOut = op.locator('button.try-out__btn')
  if ((await tryOut.innerText()).trim() === 'Try it out') await tryOut.click()
  for (const [name, value] of Object.entries(params)) await op.locator(`tr[data-param-name="${name}"] input`).fill(value)
  await op.locator('button.execute').click()
  const status = op.locator('.live-responses-table tr.response .response-col_status').first()
  await status.waitFor({ timeout: 15_000 })
  const text = (await status.innerText()).trim()
  if (seen !== undefined) seen.body = await op.locator('.live-responses-table tr.response .response-col_description').first().innerText()
  await op.locator('button.btn-clear').click()
  return text.slice(0, 3)
}

async function authorize(page: Page, scheme: string, fill: (container: ReturnType<Page['locator']>) => Promise<void>): Promise<void> {
  const container = page.locator('.modal-ux .auth-container').filter({ hasText: scheme })
  await fill(container)
  await container.locator('button.authorize').click()
  await container.locator('button', { hasText: 'Logout' }).waitFor({ timeout: 10_000 })
}

describe('Swagger UI on the demo, in headless Chromium', () => {
  it('without authorizing, Try it out → Execute on protected routes shows 401; the public route 200', async () => {
    const page = await openDocs()
    const seen = { body: '' }
    expect(await execute(page, 'getPet', { id: '1' }, seen)).toBe('401')
    expect(seen.body).toContain('credentials_missing')
    expect(seen.body).toMatch(/www-authenticate: APIKey realm="pets"/i)
    expect(await execute(page, 'jwtClaims')).toBe('401')
    expect(await execute(page, 'healthCheck')).toBe('200')
    await page.close()
  }, 60_000)

  it('Authorize with the API key, Basic, a bearer JWT and the OAuth2 client → Execute shows 200 (403 without a scope, 401 for a scheme not authorized)', async () => {
    const tokenResponse = await fetch(`${demo.url}/dev/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: demo.credentials.clientId, client_secret: demo.credentials.clientSecret, scope: 'pets:read' }),
    })
    const { access_token: readToken } = (await tokenResponse.json()) as { access_token: string }

    const page = await openDocs()
    await page.locator('.auth-wrapper button.authorize').click()
    await authorize(page, 'ApiKeyAuth', (c) => c.locator('input').fill(demo.credentials.apiKey))
    await authorize(page, 'BasicAuth', async (c) => {
      await c.locator('input[name="username"]').fill(demo.credentials.basicUser)
      await c.locator('input[name="password"]').fill(demo.credentials.basicPassword)
    })
    await authorize(page, 'JwtBearer', (c) => c.locator('input').fill(readToken))
    // OAuth2 client credentials: Swagger UI posts to the relative tokenUrl /dev/token itself.
    // First with pets:read only, so the route that needs pets:read and pets:write answers 403.
    const oauthForm = async (c: ReturnType<Page['locator']>) => {
      await c.locator('#client_id_clientCredentials').fill(demo.credentials.clientId)
      await c.locator('#client_secret_clientCredentials').fill(demo.credentials.clientSecret)
    }
    await authorize(page, 'clientCredentials', async (c) => {
      await oauthForm(c)
      await c.locator('label[for="pets:write-clientCredentials-checkbox-OAuth2"]').click()
      expect(await c.locator('input[data-value="pets:write"]').isChecked()).toBe(false)
    })
    await page.locator('.modal-ux .close-modal').click()
    expect(await execute(page, 'oauth2Stats')).toBe('403')

    // Log out of OAuth2 and authorize again with both scopes.
    await page.locator('.auth-wrapper button.authorize').click()
    const oauth = page.locator('.modal-ux .auth-container').filter({ hasText: 'clientCredentials' })
    await oauth.locator('button', { hasText: 'Logout' }).click()
    await authorize(page, 'clientCredentials', async (c) => {
      await oauthForm(c)
      if (!(await c.locator('input[data-value="pets:write"]').isChecked())) await c.locator('label[for="pets:write-clientCredentials-checkbox-OAuth2"]').click()
      expect(await c.locator('input[data-value="pets:write"]').isChecked()).toBe(true)
    })
    await page.locator('.modal-ux .close-modal').click()

    expect(await execute(page, 'getPet', { id: '1' })).toBe('200') // API key
    expect(await execute(page, 'whoAmI')).toBe('200') // Basic
    expect(await execute(page, 'jwtClaims')).toBe('200') // JWT bearer
    expect(await execute(page, 'oauth2Stats')).toBe('200') // OAuth2, token from the UI's client-credentials flow
    expect(await execute(page, 'listPets')).toBe('200') // OR
    expect(await execute(page, 'removePet', { id: '2' })).toBe('204') // AND: API key + Basic
    expect(await execute(page, 'opaqueSession')).toBe('401') // not authorized for this scheme

    // Leave one live response on screen and keep a picture of it.
    await mkdir(RESULTS, { recursive: true })
    const op = page.locator('#operations-pets-getPet')
    await op.locator('button.execute').click()
    await op.locator('.live-responses-table tr.response .response-col_status').first().waitFor()
    await op.locator('.live-responses-table').scrollIntoViewIfNeeded()
    const screenshot = join(RESULTS, 'swagger-ui-authorized.png')
    await page.screenshot({ path: screenshot })
    expect(statSync(screenshot).size).toBeGreaterThan(30_000)
    const top = join(RESULTS, 'swagger-ui-top.png')
    await page.evaluate(() => window.scrollTo(0, 0))
    await page.screenshot({ path: top })
    expect(statSync(top).size).toBeGreaterThan(30_000)

    // persistAuthorization: a reload keeps the credentials.
    await page.reload()
    await page.locator('#operations-pets-getPet').waitFor()
    expect(await execute(page, 'getPet', { id: '1' })).toBe('200')
    await page.close()
  }, 90_000)
})
