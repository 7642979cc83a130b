import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { debianPackagesFor, findChromium, missingLibraries } from './chromium.js'

const dir = mkdtempSync(join(tmpdir(), 'authspec-chromium-test-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('findChromium', () => {
  it('uses CHROMIUM_PATH first when it names an executable', async () => {
    const fake = join(dir, 'my-chromium')
    writeFileSync(fake, '#!/bin/sh\n')
    chmodSync(fake, 0o755)
    expect(await findChromium({ CHROMIUM_PATH: fake })).toEqual({ executablePath: fake, source: 'CHROMIUM_PATH', env: {} })
  })

  it('fails in one line when CHROMIUM_PATH names nothing executable', async () => {
    await expect(findChromium({ CHROMIUM_PATH: join(dir, 'absent') })).rejects.toThrow(/^CHROMIUM_PATH=.*absent is not an executable file$/)
  })

  it('without CHROMIUM_PATH finds a browser whose shared libraries all resolve', async () => {
    const found = await findChromium({})
    expect(found.source).toMatch(/^(\/usr\/bin\/chromium|@sparticuz\/chromium@\d+\.\d+\.\d+)$/)
    expect(missingLibraries(found.executablePath)).toEqual([])
  }, 120_000)
})

describe('debianPackagesFor', () => {
  it('maps the headless shell sonames to their bookworm packages, once each', () => {
    expect(debianPackagesFor(['libnss3.so', 'libnssutil3.so', 'libplc4.so', 'libnspr4.so', 'libexpat.so.1'])).toEqual(['libexpat1', 'libnspr4', 'libnss3'])
  })

  it('returns undefined for a soname it does not know, so the error names the library instead', () => {
    expect(debianPackagesFor(['libnss3.so', 'libunknown.so.7'])).toBeUndefined()
  })
})
