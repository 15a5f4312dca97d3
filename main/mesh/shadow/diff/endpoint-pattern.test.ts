// pathPattern: which path segments are ids, and what is left alone.
// Run with `npx vitest run main/mesh/shadow/diff/endpoint-pattern.test.ts`.
import { describe, expect, it } from 'vitest';
import { pathPattern } from './endpoint-pattern.js';
import { fieldPattern } from './field-pattern.js';

describe('pathPattern', () => {
  it.each([
    ['/users/42/orders?x=1', '/users/{id}/orders'],
    ['/users/42', '/users/{id}'],
    ['/users/', '/users/'],
    ['/orders/3f2b8c1e-9d4a-4b7e-8f21-0c6d5e4a3b2c/items/7', '/orders/{id}/items/{id}'],
    ['/objects/5f2b3c4d5e6f7a8b9c0d1e2f', '/objects/{id}'],
    ['/commits/9fceb02d0ae598e95dc970b74767f19372d61af8', '/commits/{id}'],
    ['/customers/cus_J8x9Lk2mNpQr7s', '/customers/{id}'],
    ['/events/01ARZ3NDEKTSV4RRFFQ69G5FAV', '/events/{id}'],
    ['/reports/annual-report-2024-summary', '/reports/annual-report-2024-summary'],
    ['/api/v2/health', '/api/v2/health'],
    ['/search#results', '/search'],
    ['?q=1', '/'],
    ['', '/'],
  ])('%s -> %s', (path, pattern) => {
    expect(pathPattern(path)).toBe(pattern);
  });

  it('leaves gRPC paths alone', () => {
    expect(pathPattern('/helloworld.Greeter/SayHello')).toBe('/helloworld.Greeter/SayHello');
    expect(pathPattern('/acme.billing.v1.InvoiceService/GetInvoice2024V2ABCDEFG')).toBe('/acme.billing.v1.InvoiceService/GetInvoice2024V2ABCDEFG');
    expect(pathPattern('/Greeter/SayHello')).toBe('/Greeter/SayHello');
  });
});

describe('fieldPattern', () => {
  it('turns array indexes into [*] and leaves the rest', () => {
    expect(fieldPattern('body.items[3].tags[10]')).toBe('body.items[*].tags[*]');
    expect(fieldPattern('body line 12')).toBe('body line 12');
    expect(fieldPattern('header x-a')).toBe('header x-a');
  });
});
