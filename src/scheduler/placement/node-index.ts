/**
 * node-index: the snapshot's nodes, indexed by GPU family so a job asking for H100s never
 * looks at the thousands of nodes without one.
 */
import type { NodeInfo, ShardAsk } from './types.js';

/** NodeIndex is an immutable set of nodes plus a rotating start offset (Nomad shuffles instead). */
export class NodeIndex {
  private readonly byId = new Map<string, NodeInfo>();
  private readonly byFamily = new Map<string, NodeInfo[]>();
  /** The nodes of each set of families asked for together, built once per index (not per decision). */
  private readonly unions = new Map<string, readonly NodeInfo[]>();
  private offset = 0;

  constructor(readonly nodes: readonly NodeInfo[]) {
    for (const node of nodes) {
      this.byId.set(node.id, node);
      for (const family of node.families) {
        const list = this.byFamily.get(family) ?? [];
        list.push(node);
        this.byFamily.set(family, list);
      }
    }
  }

  get size(): number {
    return this.nodes.length;
  }

  get(id: string): NodeInfo | undefined {
    return this.byId.get(id);
  }

  /** nextOffset rotates where the next scan starts, so equal nodes share the load. */
  nextOffset(): number {
    this.offset = (this.offset + 1) % 1_000_000_007;
    return this.offset;
  }

  /** candidatesFor narrows by requested GPU families; skippedByModel counts nodes left out for lacking one. */
  candidatesFor(ask: ShardAsk): { nodes: readonly NodeInfo[]; skippedByModel: number } {
    const models = ask.resources.gpuModels;
    if (models.length === 0) return { nodes: this.nodes, skippedByModel: 0 };
    let nodes = models.length === 1 ? (this.byFamily.get(models[0]!) ?? []) : this.unions.get(models.join('\0'));
    if (!nodes) {
      nodes = [...new Set(models.flatMap((m) => this.byFamily.get(m) ?? []))];
      this.unions.set(models.join('\0'), nodes);
    }
    return { nodes, skippedByModel: this.nodes.length - nodes.length };
  }
}
