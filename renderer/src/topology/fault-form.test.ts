import { describe, expect, it } from 'vitest';
import { describeFault, EMPTY_FAULT_FORM, faultFromForm } from './fault-form.js';

describe('fault form', () => {
  it('turns the typed values into a fault the contract accepts', () => {
    expect(faultFromForm('world', { caller: ' hello ', percent: '30', delayMs: '200', abortStatus: '' })).toEqual({
      ok: true,
      fault: { service: 'world', caller: 'hello', percent: 30, delayMs: 200 },
    });
    expect(faultFromForm('world', EMPTY_FAULT_FORM)).toEqual({ ok: true, fault: { service: 'world', percent: 100, abortStatus: 503 } });
  });

  it('reports each bad field in the schema words', () => {
    const result = faultFromForm('world', { caller: '', percent: '130', delayMs: 'soon', abortStatus: '' });
    expect(result).toEqual({ ok: false, errors: { delayMs: 'must be a number' } });
    const outOfRange = faultFromForm('world', { caller: '', percent: '130', delayMs: '', abortStatus: '700' });
    expect(outOfRange.ok).toBe(false);
    if (!outOfRange.ok) {
      expect(outOfRange.errors.percent).toMatch(/100/);
      expect(outOfRange.errors.abortStatus).toMatch(/599/);
    }
  });

  it('needs a delay or an abort status', () => {
    const result = faultFromForm('world', { caller: '', percent: '10', delayMs: '', abortStatus: '' });
    expect(result).toMatchObject({ ok: false, errors: { form: 'a fault needs delayMs, abortStatus or abortGrpcStatus' } });
  });

  it('describes a fault in one line', () => {
    expect(describeFault({ service: 'world', percent: 30, abortStatus: 503 })).toBe('30% · answer 503 · from every caller');
    expect(describeFault({ service: 'world', percent: 5, delayMs: 200, jitterMs: 50, caller: 'hello' })).toBe('5% · delay 200 ms ±50 · from hello');
  });
});
