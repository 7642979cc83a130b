/**
 * The counter name of a client address. IPv6 addresses are grouped by their first `prefix`
 * bits (one host usually holds a whole /64, so counting addresses one by one would let it walk
 * around the throttle); IPv4 addresses, IPv4-mapped IPv6 and anything that does not parse as an
 * address are counted as given.
 */
export function clientBucket(address: string, prefix: number): string {
  if (!address.includes(':')) return address
  const groups = ipv6Groups(address)
  if (groups === undefined) return address
  if (groups[0] === 0 && groups[1] === 0 && groups[2] === 0 && groups[3] === 0 && groups[4] === 0 && groups[5] === 0xffff) {
    return `${groups[6]! >>> 8}.${groups[6]! & 0xff}.${groups[7]! >>> 8}.${groups[7]! & 0xff}`
  }
  const out: string[] = []
  for (let i = 0, bits = prefix; i < 8 && bits > 0; i++, bits -= 16) {
    const mask = bits >= 16 ? 0xffff : (0xffff << (16 - bits)) & 0xffff
    out.push((groups[i]! & mask).toString(16))
  }
  return `${out.join(':')}::/${prefix}`
}

/** The eight 16-bit groups of an IPv6 address (zone and brackets dropped), or undefined. */
function ipv6Groups(text: string): number[] | undefined {
  let address = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text
  const zone = address.indexOf('%')
  if (zone !== -1) address = address.slice(0, zone)
  const halves = address.split('::')
  if (halves.length > 2) return undefined
  const parse = (part: string): number[] | undefined => {
    if (part === '') return []
    const groups: number[] = []
    const pieces = part.split(':')
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i]!
      if (i === pieces.length - 1 && piece.includes('.')) {
        const octets = piece.split('.').map(Number)
        if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255)) return undefined
        groups.push((octets[0]! << 8) | octets[1]!, (octets[2]! << 8) | octets[3]!)
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(piece)) return undefined
        groups.push(parseInt(piece, 16))
      }
    }
    return groups
  }
  const head = parse(halves[0]!)
  const tail = halves.length === 2 ? parse(halves[1]!) : []
  if (head === undefined || tail === undefined) return undefined
  if (halves.length === 1) return head.length === 8 ? head : undefined
  const missing = 8 - head.length - tail.length
  if (missing < 1) return undefined
  return [...head, ...new Array<number>(missing).fill(0), ...tail]
}
