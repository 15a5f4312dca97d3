/**
 * The graph's geometry, fixed in one place: node sizes and where each handle sits. React Flow is
 * told these sizes instead of measuring the DOM, so the layout can be computed before anything is
 * rendered (and in unit tests), and the SVG export draws exactly what the screen shows.
 */
export const SERVICE_WIDTH = 210;
export const SERVICE_HEADER = 46;
export const VERSION_ROW = 30;
export const SERVICE_PADDING = 8;
export const CALLER_WIDTH = 130;
export const CALLER_HEIGHT = 46;
export const EXTERNAL_WIDTH = 170;
export const EXTERNAL_HEIGHT = 56;

/** Handle ids: one target per version (`v:v1`), one for traffic not yet tied to a version, one source. */
export const SOURCE_HANDLE = 'out';
export const SERVICE_TARGET_HANDLE = 'in';
export function versionHandle(version: string): string {
  return `v:${version}`;
}
export function versionOfHandle(handle: string | null | undefined): string | null {
  return handle?.startsWith('v:') ? handle.slice(2) : null;
}

export interface Size {
  width: number;
  height: number;
}

export function serviceSize(versionCount: number): Size {
  return { width: SERVICE_WIDTH, height: SERVICE_HEADER + VERSION_ROW * Math.max(versionCount, 1) + SERVICE_PADDING };
}

/** Vertical centre of a version's row, from the top of its node. */
export function versionHandleY(index: number): number {
  return SERVICE_HEADER + VERSION_ROW * index + VERSION_ROW / 2;
}

/** Vertical centre of the header, where the source and the version-less target sit. */
export const HEADER_HANDLE_Y = SERVICE_HEADER / 2;

/**
 * Where a handle sits relative to its node's top-left corner: sources on the right edge, targets
 * on the left; a version's target on its row. `versions` is the service node's versions in order.
 */
export function handleOffset(kind: 'source' | 'target', handle: string | null, size: Size, versions: readonly string[]): { x: number; y: number } {
  if (kind === 'source') return { x: size.width, y: Math.min(HEADER_HANDLE_Y, size.height / 2) };
  const version = versionOfHandle(handle);
  const index = version === null ? -1 : versions.indexOf(version);
  if (index >= 0) return { x: 0, y: versionHandleY(index) };
  return { x: 0, y: handle === SERVICE_TARGET_HANDLE ? HEADER_HANDLE_Y : size.height / 2 };
}

/** Handles are this many px square (topology.css sizes them to match). */
export const HANDLE_SIZE = 8;

/** A version's target handle is a tall bar along its row (easier to hit with a dragged edge). */
export const VERSION_HANDLE_HEIGHT = 22;

export interface HandleBox {
  id: string | null;
  type: 'source' | 'target';
  position: 'left' | 'right';
  /** Top-left corner relative to the node, and size: the box React Flow would measure. */
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Every handle of a node as React Flow would measure it: centred on the node's border, at the
 * offsets above. Given to React Flow up front (`node.handles`), so edges are drawn from the
 * geometry instead of from a DOM measurement after every update.
 */
export function handleBoxes(kind: 'service' | 'caller' | 'external', size: Size, versions: readonly string[]): HandleBox[] {
  const box = (id: string | null, type: HandleBox['type'], centre: { x: number; y: number }, height = HANDLE_SIZE): HandleBox => ({
    id,
    type,
    position: type === 'source' ? 'right' : 'left',
    x: centre.x - HANDLE_SIZE / 2,
    y: centre.y - height / 2,
    width: HANDLE_SIZE,
    height,
  });
  const source = box(SOURCE_HANDLE, 'source', handleOffset('source', null, size, []));
  switch (kind) {
    case 'caller':
      return [source];
    case 'external':
      return [box(null, 'target', handleOffset('target', null, size, []))];
    case 'service':
      return [
        source,
        box(SERVICE_TARGET_HANDLE, 'target', handleOffset('target', SERVICE_TARGET_HANDLE, size, versions)),
        ...versions.map((version) =>
          box(versionHandle(version), 'target', handleOffset('target', versionHandle(version), size, versions), VERSION_HANDLE_HEIGHT),
        ),
      ];
  }
}
