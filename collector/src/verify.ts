// `minopio-collector verify`: walks every visitor's hash chain and every checkpoint and reports each break — an
// edited, deleted, inserted or reordered event, a removed visitor, a rewritten checkpoint.
import { checkpointRoot, GENESIS, linkHash, recordDigest } from './chain.js'
import type { ChainHead, ChainLink, Store } from './store.js'

/** One break found: which visitor (or checkpoint), where, and what is wrong. */
export interface Break {
  consentId: string | null
  index: number | null
  problem: string
}

/** What `verify` checked and found. */
export interface VerifyReport {
  ok: boolean
  chains: number
  events: number
  checkpoints: number
  breaks: Break[]
}

const PAGE = 5000

/** Checks one visitor's links against its head; records the hash at each position a checkpoint asks about. */
function checkChain(head: ChainHead, links: ChainLink[], wanted: Map<number, string>, breaks: Break[]) {
  const fail = (index: number | null, problem: string) => breaks.push({ consentId: head.consentId, index, problem })
  let prev = head.baseLength ? head.baseHash : GENESIS
  let expected = head.baseLength + 1
  for (const link of links) {
    if (link.index !== expected) fail(link.index, `expected link ${expected} here: an event was deleted, inserted or moved`)
    if (link.prevHash !== prev) fail(link.index, 'prev_hash does not match the link before: an event was deleted or reordered')
    if (link.body !== null && recordDigest(link.body, link.receivedAt) !== link.digest) {
      fail(link.index, 'the stored event or its receive time was edited: its digest does not match')
    }
    if (linkHash(link.prevHash, link.digest) !== link.hash) fail(link.index, 'hash is not sha256(prev_hash ‖ digest): the link was rewritten')
    prev = link.hash
    expected = link.index + 1
    const checkpointed = wanted.get(link.index)
    if (checkpointed !== undefined && checkpointed !== link.hash) fail(link.index, 'differs from the hash a checkpoint recorded')
    wanted.delete(link.index)
  }
  if (expected - 1 !== head.length || prev !== head.head) fail(null, `the chain ends at link ${expected - 1}, its head says ${head.length}: events were deleted or added`)
  for (const [index] of wanted) {
    // A checkpointed position pruned away since can no longer be compared; anything later must still be there.
    if (index > head.baseLength) fail(index, 'a checkpoint recorded this link and it is gone')
  }
}

/**
 * Verifies every chain and checkpoint in the store.
 * @returns a report; `ok` is false when any break was found
 * @example
 * const report = await verifyStore(await openStore('./consent.db'))
 * if (!report.ok) console.error(report.breaks)
 */
export async function verifyStore(store: Store): Promise<VerifyReport> {
  const breaks: Break[] = []
  const checkpoints = await store.checkpoints()
  // Positions each checkpoint vouched for, per visitor: consentId → index → hash.
  const vouched = new Map<string, Map<number, string>>()
  let root = GENESIS
  for (const c of checkpoints) {
    if (c.prevRoot !== root || checkpointRoot(c.prevRoot, c.at, c.heads) !== c.root) {
      breaks.push({ consentId: null, index: c.id, problem: `checkpoint ${c.id} does not chain to the one before: checkpoints were edited or removed` })
    }
    root = c.root
    for (const [consentId, length, hash] of c.heads) {
      if (!vouched.has(consentId)) vouched.set(consentId, new Map())
      vouched.get(consentId)!.set(length, hash)
    }
  }
  const heads = await store.heads()
  const byId = new Map(heads.map((h) => [h.consentId, h]))
  for (const [consentId] of vouched) {
    if (!byId.has(consentId)) breaks.push({ consentId, index: null, problem: 'a checkpoint recorded this visitor and its chain is gone' })
  }
  let events = 0
  let current = null as { head: ChainHead | undefined; consentId: string; links: ChainLink[] } | null
  const finish = () => {
    if (!current) return
    if (current.head) checkChain(current.head, current.links, vouched.get(current.consentId) ?? new Map(), breaks)
    else breaks.push({ consentId: current.consentId, index: null, problem: 'events without a chain head: the head was removed' })
    byId.delete(current.consentId)
  }
  let after: [string, number] = ['', 0]
  for (;;) {
    const page = await store.links(after, PAGE)
    for (const link of page) {
      if (link.consentId !== current?.consentId) {
        finish()
        current = { head: byId.get(link.consentId), consentId: link.consentId, links: [] }
      }
      current.links.push(link)
      events++
    }
    if (page.length < PAGE) break
    after = [page.at(-1)!.consentId, page.at(-1)!.index]
  }
  finish()
  // Heads with no link left: fine when pruning emptied them, a break when links were deleted.
  for (const head of byId.values()) checkChain(head, [], vouched.get(head.consentId) ?? new Map(), breaks)
  return { ok: breaks.length === 0, chains: heads.length, events, checkpoints: checkpoints.length, breaks }
}
