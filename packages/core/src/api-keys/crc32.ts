/** CRC-32 (IEEE 802.3, as zlib and GitHub's token checksums use), table-driven. */
export const CRC32_TABLE = (() => {
  const table = new Int32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c
  }
  return table
})()

/** CRC-32 of the char codes of an ASCII string, as an unsigned 32-bit number. */
export function crc32(ascii: string, end = ascii.length): number {
  let crc = -1
  for (let i = 0; i < end; i++) crc = CRC32_TABLE[(crc ^ ascii.charCodeAt(i)) & 0xff]! ^ (crc >>> 8)
  return (crc ^ -1) >>> 0
}
