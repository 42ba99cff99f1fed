/**
 * Device path patterns in IoTDB's style: nodes separated by ".", `*` matches exactly one node,
 * `**` matches one or more nodes; a pattern without wildcards matches the path exactly.
 */
import { splitPathNodes } from '../format/device-id.js';

export type PathMatcher = (path: string) => boolean;

export function compilePathPatterns(patterns: readonly string[]): PathMatcher {
  const exact = new Set<string>();
  const wild: string[][] = [];
  for (const p of patterns) {
    if (p.includes('*')) wild.push(splitPathNodes(p));
    else exact.add(p);
  }
  return (path) => {
    if (exact.has(path)) return true;
    if (wild.length === 0) return false;
    const nodes = splitPathNodes(path);
    return wild.some((w) => matchNodes(w, 0, nodes, 0));
  };
}

function matchNodes(pat: string[], i: number, nodes: string[], j: number): boolean {
  if (i === pat.length) return j === nodes.length;
  const p = pat[i]!;
  if (p === '**') {
    for (let k = j + 1; k <= nodes.length; k++) if (matchNodes(pat, i + 1, nodes, k)) return true;
    return false;
  }
  if (j === nodes.length) return false;
  if (p === '*' || p === nodes[j]) return matchNodes(pat, i + 1, nodes, j + 1);
  if (p.includes('*')) return new RegExp(`^${p.split('*').map(escapeRegExp).join('[^.]*')}$`).test(nodes[j]!) && matchNodes(pat, i + 1, nodes, j + 1);
  return false;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
