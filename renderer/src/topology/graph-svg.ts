/**
 * The graph as a standalone SVG document, for "Export SVG" (and, rasterised, "Export PNG"). It is
 * drawn from the graph model and the node positions, not copied from the DOM: the file is real
 * vector SVG with text any editor can open (a DOM snapshot would be HTML inside a foreignObject),
 * it carries no stylesheet, and the geometry is the one the screen uses (graph-geometry.ts).
 */
import { getBezierPath, Position } from '@xyflow/react';
import { formatPercent, formatRps, formatShare } from '../components/format.js';
import { edgeLabelLayout, LABEL_HEIGHT } from './edge-label-placement.js';
import { edgeWidth, IDLE_OPACITY, type Palette } from './edge-style.js';
import { handleOffset, HEADER_HANDLE_Y, SERVICE_HEADER, VERSION_ROW } from './graph-geometry.js';
import type { GraphModel, GraphNode } from './graph-model.js';
import type { XY } from './graph-layout.js';

const PAD = 24;
const FONT = 'font-family="system-ui, -apple-system, \'Segoe UI\', sans-serif"';

export interface SvgDocument {
  svg: string;
  width: number;
  height: number;
}

export function graphSvg(graph: GraphModel, positions: ReadonlyMap<string, XY>, palette: Palette, title = 'Meshdesk topology'): SvgDocument {
  const placed = graph.nodes.filter((node) => positions.has(node.id));
  const at = (node: GraphNode) => positions.get(node.id) as XY;
  const minX = Math.min(0, ...placed.map((node) => at(node).x)) - PAD;
  const minY = Math.min(0, ...placed.map((node) => at(node).y)) - PAD;
  const maxX = Math.max(0, ...placed.map((node) => at(node).x + node.width)) + PAD;
  const maxY = Math.max(0, ...placed.map((node) => at(node).y + node.height)) + PAD;
  const width = Math.ceil(maxX - minX);
  const height = Math.ceil(maxY - minY);
  const byId = new Map(placed.map((node) => [node.id, node]));
  const labels = edgeLabelLayout(graph, positions);

  const parts: string[] = [];
  parts.push(`<rect x="${minX}" y="${minY}" width="${width}" height="${height}" fill="${palette.background}"/>`);
  for (const edge of graph.edges) {
    const source = byId.get(edge.source);
    const target = byId.get(edge.target);
    if (!source || !target) continue;
    const from = anchor(source, 'source', null);
    const to = anchor(target, 'target', edge.targetHandle);
    const [path] = getBezierPath({
      sourceX: from.x,
      sourceY: from.y,
      targetX: to.x,
      targetY: to.y,
      sourcePosition: Position.Right,
      targetPosition: Position.Left,
    });
    const colour = palette.health[edge.health];
    const opacity = edge.idle || edge.retired ? ` opacity="${IDLE_OPACITY}"` : '';
    const dashes = edge.retired ? ' stroke-dasharray="6 5"' : '';
    parts.push(`<g data-id="${attr(edge.id)}"${opacity}><path d="${path}" fill="none" stroke="${colour}" stroke-width="${edgeWidth(edge.rps)}"${dashes}/>`);
    const label = labels.get(edge.id);
    if (label) {
      const { box } = label;
      parts.push(
        `<rect x="${round(box.x)}" y="${round(box.y)}" width="${box.width}" height="${LABEL_HEIGHT}" rx="${LABEL_HEIGHT / 2}" fill="${palette.background}" stroke="${palette.muted}" stroke-opacity="0.3"/>`,
        `<text x="${round(box.x + box.width / 2)}" y="${round(box.y + 13)}" text-anchor="middle" font-size="12" fill="${palette.muted}" ${FONT}>${text(label.text)}</text>`,
      );
    }
    parts.push('</g>');
  }
  for (const node of placed) parts.push(nodeSvg(node, at(node), palette));

  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="${minX} ${minY} ${width} ${height}">`,
    `<title>${text(title)}</title>`,
    ...parts,
    '</svg>',
  ].join('\n');
  return { svg, width, height };

  function anchor(node: GraphNode, kind: 'source' | 'target', handle: string | null): XY {
    const versions = node.data.kind === 'service' ? node.data.versions.map((version) => version.name) : [];
    const offset = handleOffset(kind, handle, node, versions);
    const origin = at(node);
    return { x: origin.x + offset.x, y: origin.y + offset.y };
  }
}

function nodeSvg(node: GraphNode, at: XY, palette: Palette): string {
  const { data } = node;
  const out: string[] = [`<g data-id="${attr(node.id)}" transform="translate(${at.x} ${at.y})">`];
  out.push(`<rect width="${node.width}" height="${node.height}" rx="8" fill="${palette.node}" stroke="${palette.nodeBorder}"/>`);
  if (data.kind === 'service') {
    out.push(`<circle cx="14" cy="${HEADER_HANDLE_Y - 6}" r="5" fill="${palette.health[data.health]}"/>`);
    out.push(`<text x="26" y="${HEADER_HANDLE_Y - 2}" font-size="14" font-weight="600" fill="${palette.text}" ${FONT}>${text(data.name)}</text>`);
    out.push(
      `<text x="26" y="${HEADER_HANDLE_Y + 14}" font-size="12" fill="${palette.muted}" ${FONT}>${text(`${formatRps(data.rps)} · ${formatPercent(data.successRate)}`)}</text>`,
    );
    data.versions.forEach((version, index) => {
      const y = SERVICE_HEADER + VERSION_ROW * index;
      out.push(`<line x1="8" x2="${node.width - 8}" y1="${y}" y2="${y}" stroke="${palette.nodeBorder}"/>`);
      out.push(`<text x="14" y="${y + 19}" font-size="12" fill="${palette.text}" ${FONT}>${text(version.name)}</text>`);
      out.push(
        `<text x="${node.width - 14}" y="${y + 19}" font-size="12" text-anchor="end" fill="${palette.muted}" ${FONT}>${text(version.share === null ? '' : formatShare(version.share))}</text>`,
      );
      version.instances.slice(0, 8).forEach((instance, dot) => {
        const colour = instance.health === 'failing' ? palette.health.bad : instance.health === 'healthy' ? palette.health.good : palette.health.none;
        // From traffic, not a check: hollow, as on screen.
        const fill = instance.source === 'traffic' ? `fill="none" stroke="${colour}" stroke-width="1.5" r="3"` : `fill="${colour}" r="3.5"`;
        out.push(`<circle cx="${80 + dot * 10}" cy="${y + 15}" ${fill}/>`);
      });
    });
  } else if (data.kind === 'caller') {
    out.push(
      `<text x="${node.width / 2}" y="${node.height / 2 + 5}" text-anchor="middle" font-size="13" font-weight="600" fill="${palette.text}" ${FONT}>${text(data.name)}</text>`,
    );
  } else {
    out.push(
      `<text x="${node.width / 2}" y="${node.height / 2 - 3}" text-anchor="middle" font-size="13" font-weight="600" fill="${palette.text}" ${FONT}>external</text>`,
    );
    out.push(
      `<text x="${node.width / 2}" y="${node.height / 2 + 13}" text-anchor="middle" font-size="12" fill="${palette.muted}" ${FONT}>${text(`${data.hosts.length} host${data.hosts.length === 1 ? '' : 's'} · ${formatRps(data.rps)}`)}</text>`,
    );
  }
  out.push('</g>');
  return out.join('');
}

function text(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(value: string): string {
  return text(value).replace(/"/g, '&quot;');
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
