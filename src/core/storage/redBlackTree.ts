/**
 * A red-black tree keyed by strings (CLRS insertion with parent pointers): the memtable's index.
 * Entries are never removed (a delete is a tombstone insert), so only insert/update are needed. It keeps
 * a byte total through a caller-supplied size function, and cursors walk it through parent pointers,
 * which stay valid across later inserts and rotations (a scan may await while writes continue).
 */

export interface RbNode<V> {
  key: string
  value: V
  red: boolean
  left: RbNode<V> | null
  right: RbNode<V> | null
  parent: RbNode<V> | null
}

export class RedBlackTree<V> {
  root: RbNode<V> | null = null
  size = 0
  bytes = 0
  private readonly sizeOf: (key: string, value: V) => number

  constructor(sizeOf: (key: string, value: V) => number) {
    this.sizeOf = sizeOf
  }

  get(key: string): V | undefined {
    let x = this.root
    while (x) {
      if (key < x.key) x = x.left
      else if (key > x.key) x = x.right
      else return x.value
    }
    return undefined
  }

  /** Inserts or replaces; returns the previous value. */
  set(key: string, value: V): V | undefined {
    let parent: RbNode<V> | null = null
    let x = this.root
    while (x) {
      parent = x
      if (key < x.key) x = x.left
      else if (key > x.key) x = x.right
      else {
        const old = x.value
        this.bytes += this.sizeOf(key, value) - this.sizeOf(key, old)
        x.value = value
        return old
      }
    }
    const z: RbNode<V> = { key, value, red: true, left: null, right: null, parent }
    if (!parent) this.root = z
    else if (key < parent.key) parent.left = z
    else parent.right = z
    this.size++
    this.bytes += this.sizeOf(key, value)
    this.fixAfterInsert(z)
    return undefined
  }

  /** The first node whose key is >= start (or the first node when start is undefined). */
  seek(start?: string): RbNode<V> | null {
    let x = this.root
    let best: RbNode<V> | null = null
    while (x) {
      if (start === undefined || x.key >= start) {
        best = x
        x = x.left
      } else x = x.right
    }
    return best
  }

  /** In-order entries from `start` (inclusive). */
  *entries(start?: string): Generator<[string, V]> {
    for (let n = this.seek(start); n; n = successor(n)) yield [n.key, n.value]
  }

  private fixAfterInsert(node: RbNode<V>): void {
    let z = node
    while (z.parent?.red) {
      const p = z.parent
      const g = p.parent! // a red parent is never the root
      if (p === g.left) {
        const uncle = g.right
        if (uncle?.red) {
          p.red = false
          uncle.red = false
          g.red = true
          z = g
          continue
        }
        if (z === p.right) {
          z = p
          this.rotateLeft(z)
        }
        z.parent!.red = false
        g.red = true
        this.rotateRight(g)
      } else {
        const uncle = g.left
        if (uncle?.red) {
          p.red = false
          uncle.red = false
          g.red = true
          z = g
          continue
        }
        if (z === p.left) {
          z = p
          this.rotateRight(z)
        }
        z.parent!.red = false
        g.red = true
        this.rotateLeft(g)
      }
    }
    this.root!.red = false
  }

  private rotateLeft(x: RbNode<V>): void {
    const y = x.right!
    x.right = y.left
    if (y.left) y.left.parent = x
    this.replaceChild(x, y)
    y.left = x
    x.parent = y
  }

  private rotateRight(x: RbNode<V>): void {
    const y = x.left!
    x.left = y.right
    if (y.right) y.right.parent = x
    this.replaceChild(x, y)
    y.right = x
    x.parent = y
  }

  private replaceChild(old: RbNode<V>, next: RbNode<V>): void {
    next.parent = old.parent
    if (!old.parent) this.root = next
    else if (old === old.parent.left) old.parent.left = next
    else old.parent.right = next
  }
}

/** The in-order successor of a node (works after any number of inserts since it was found). */
export function successor<V>(node: RbNode<V>): RbNode<V> | null {
  if (node.right) {
    let x = node.right
    while (x.left) x = x.left
    return x
  }
  let x = node
  while (x.parent && x === x.parent.right) x = x.parent
  return x.parent
}

/** Describes the first red-black or ordering invariant the tree breaks, or undefined when sound. */
export function redBlackViolation<V>(tree: RedBlackTree<V>): string | undefined {
  if (tree.root?.red) return 'root is red'
  if (tree.root && tree.root.parent !== null) return 'root has a parent'
  let count = 0
  const walk = (n: RbNode<V> | null, lo: string | undefined, hi: string | undefined): number | string => {
    if (!n) return 1
    count++
    if ((lo !== undefined && n.key <= lo) || (hi !== undefined && n.key >= hi))
      return `key ${n.key} out of order`
    if (n.red && (n.left?.red || n.right?.red)) return `red node ${n.key} has a red child`
    if ((n.left && n.left.parent !== n) || (n.right && n.right.parent !== n))
      return `bad parent link at ${n.key}`
    const l = walk(n.left, lo, n.key)
    if (typeof l === 'string') return l
    const r = walk(n.right, n.key, hi)
    if (typeof r === 'string') return r
    if (l !== r) return `black heights differ at ${n.key}: ${l} vs ${r}`
    return l + (n.red ? 0 : 1)
  }
  const result = walk(tree.root, undefined, undefined)
  if (typeof result === 'string') return result
  if (count !== tree.size) return `size ${tree.size} but ${count} nodes`
  return undefined
}
