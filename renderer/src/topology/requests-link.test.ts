// The graph's "show requests here" addresses, read back the way the request log reads them.
// Run with `npx vitest run renderer/src/topology/requests-link.test.ts`.
import { describe, expect, it } from 'vitest';
import { filterFromParams } from '../requests/url-filter.js';
import { EXTERNAL_NODE_ID } from './graph-ids.js';
import { requestsHrefForEdge, requestsHrefForService } from './requests-link.js';

function filterOf(href: string) {
  const [page, query = ''] = href.split('?');
  expect(page).toBe('#/requests');
  return filterFromParams(new URLSearchParams(query));
}

describe('requests links from the graph', () => {
  it('an edge to a version filters by its caller, service and version', () => {
    expect(filterOf(requestsHrefForEdge({ caller: 'hello', service: 'world', version: 'v1' }))).toEqual({
      filter: { caller: 'hello', service: 'world', version: 'v1' },
      errors: [],
    });
  });

  it('an edge to a whole service leaves the version open', () => {
    expect(filterOf(requestsHrefForEdge({ caller: 'shell', service: 'world', version: null })).filter).toEqual({ caller: 'shell', service: 'world' });
  });

  it('the grouped external edge filters by kind, not by a service named "external"', () => {
    expect(filterOf(requestsHrefForEdge({ caller: 'hello', service: EXTERNAL_NODE_ID, version: null })).filter).toEqual({ caller: 'hello', kind: 'external' });
  });

  it('a service, and one version of it', () => {
    expect(filterOf(requestsHrefForService('world')).filter).toEqual({ service: 'world' });
    expect(filterOf(requestsHrefForService('world', 'v2')).filter).toEqual({ service: 'world', version: 'v2' });
  });

  it('names with characters an address must escape survive the round trip', () => {
    expect(filterOf(requestsHrefForEdge({ caller: 'a b&c', service: 'world', version: 'v1+rc' })).filter).toEqual({
      caller: 'a b&c',
      service: 'world',
      version: 'v1+rc',
    });
  });
});
