/**
 * tree: nvidia-smi speaks two layouts of the same data — XML (`-q -x`) and indented text (`-q`).
 * Both are read into one tree whose keys are normalised ("Product Name" → product_name), so one
 * extractor (nvidia.ts) serves both, and a driver that adds or moves a field breaks nothing.
 */
import { XMLParser } from 'fast-xml-parser';

/** Tree is a parsed report: nested records, leaf strings, repeated keys as arrays. */
export type TreeValue = string | Tree | TreeValue[];
/** Tree is one node of a parsed report. */
export interface Tree {
  [key: string]: TreeValue;
}

/** normaliseKey lower-cases a key and turns every run of other characters into "_". */
export function normaliseKey(key: string): string {
  return key
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
}

/** parseXmlTree reads `nvidia-smi -q -x` output. */
export function parseXmlTree(xml: string): Tree {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    processEntities: true,
    // A DTD in the file must never be fetched or expanded.
    ignoreDeclaration: true,
    ignorePiTags: true,
  });
  return parser.parse(xml) as Tree;
}

const INDENT_WIDTH = 4;

/**
 * parseTextTree reads `nvidia-smi -q` output: "Key : Value" leaves and "Key" sections, nested
 * by four-space indents. "GPU <bus id>" headings at the top level become entries of `gpu`, as
 * in the XML layout.
 */
export function parseTextTree(text: string): Tree {
  const root: Tree = {};
  const stack: Array<{ indent: number; node: Tree }> = [{ indent: -1, node: root }];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\t/g, '    ').replace(/\s+$/, '');
    if (line.trim() === '' || /^=+/.test(line.trim())) continue;
    const indent = Math.floor((line.length - line.trimStart().length) / INDENT_WIDTH);
    while (stack.length > 1 && stack[stack.length - 1]!.indent >= indent) stack.pop();
    const parent = stack[stack.length - 1]!.node;
    const content = line.trim();
    const gpuHeading = indent === 0 ? /^GPU\s+([0-9A-Fa-f]+:[0-9A-Fa-f]+:[0-9A-Fa-f]+\.[0-9A-Fa-f]+)$/.exec(content) : null;
    if (gpuHeading) {
      const node: Tree = { id: gpuHeading[1]! };
      append(parent, 'gpu', node);
      stack.push({ indent, node });
      continue;
    }
    const colon = content.indexOf(' : ');
    const bareColon = content.endsWith(' :') || content.endsWith(':');
    if (colon >= 0) {
      append(parent, normaliseKey(content.slice(0, colon)), content.slice(colon + 3).trim());
    } else if (bareColon) {
      append(parent, normaliseKey(content.replace(/:$/, '')), '');
    } else {
      const node: Tree = {};
      append(parent, normaliseKey(content), node);
      stack.push({ indent, node });
    }
  }
  return root;
}

function append(parent: Tree, key: string, value: TreeValue): void {
  const existing = parent[key];
  if (existing === undefined) parent[key] = value;
  else if (Array.isArray(existing)) existing.push(value);
  else parent[key] = [existing, value];
}

/** asList returns a value as a list of subtrees (a single subtree, an array, or nothing). */
export function asList(value: TreeValue | undefined): Tree[] {
  if (value === undefined || typeof value === 'string') return [];
  if (Array.isArray(value)) return value.filter((v): v is Tree => typeof v === 'object' && !Array.isArray(v));
  return [value];
}

/**
 * pick follows a path through a tree where each step lists the key names it may have
 * (XML and text spell some differently) and returns the leaf string, trimmed, or undefined.
 */
export function pick(node: Tree | undefined, ...path: string[][]): string | undefined {
  let current: TreeValue | undefined = node;
  for (const names of path) {
    if (current === undefined || typeof current === 'string') return undefined;
    const here: Tree | undefined = Array.isArray(current) ? asList(current)[0] : current;
    if (!here) return undefined;
    current = names.map((n) => here[n]).find((v) => v !== undefined);
  }
  if (Array.isArray(current)) current = current[0];
  if (typeof current === 'object' && current !== null && '#text' in current) current = current['#text'];
  return typeof current === 'string' ? current.trim() : undefined;
}

/** child returns the first subtree found under any of `names`. */
export function child(node: Tree | undefined, names: string[]): Tree | undefined {
  if (!node) return undefined;
  for (const name of names) {
    const list = asList(node[name]);
    if (list[0]) return list[0];
  }
  return undefined;
}
