import { describe, expect, it } from 'vitest';
import { CALLER_HEIGHT, CALLER_WIDTH, handleBoxes, HEADER_HANDLE_Y, serviceSize, versionHandleY } from './graph-geometry.js';

describe('graph geometry', () => {
  it('puts a target handle on each version row and the source on the right, centred on the border', () => {
    const size = serviceSize(2);
    expect(handleBoxes('service', size, ['v1', 'v2'])).toEqual([
      { id: 'out', type: 'source', position: 'right', x: size.width - 4, y: HEADER_HANDLE_Y - 4, width: 8, height: 8 },
      { id: 'in', type: 'target', position: 'left', x: -4, y: HEADER_HANDLE_Y - 4, width: 8, height: 8 },
      { id: 'v:v1', type: 'target', position: 'left', x: -4, y: versionHandleY(0) - 11, width: 8, height: 22 },
      { id: 'v:v2', type: 'target', position: 'left', x: -4, y: versionHandleY(1) - 11, width: 8, height: 22 },
    ]);
    expect(size.height).toBeGreaterThan(versionHandleY(1) + 11);
  });

  it('gives callers a source only and the external node a target only', () => {
    const caller = { width: CALLER_WIDTH, height: CALLER_HEIGHT };
    expect(handleBoxes('caller', caller, []).map((handle) => [handle.type, handle.x + handle.width / 2, handle.y + handle.height / 2])).toEqual([
      ['source', CALLER_WIDTH, CALLER_HEIGHT / 2],
    ]);
    expect(handleBoxes('external', { width: 170, height: 56 }, []).map((handle) => [handle.id, handle.type, handle.x + 4, handle.y + 4])).toEqual([
      [null, 'target', 0, 28],
    ]);
  });
});
