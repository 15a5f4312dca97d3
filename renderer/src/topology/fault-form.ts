/**
 * The fault form's values (text fields, as typed) turned into a fault the mesh accepts, checked
 * with the contract's own schema so the form and the admin API can never disagree about what is
 * valid. Errors come back per field, in the schema's words.
 */
import { grpcStatusName } from '../../../shared/grpc-codes.js';
import { faultSchema, type Fault } from '../../../shared/routes.js';

export interface FaultFormValues {
  /** Empty: every caller. */
  caller: string;
  percent: string;
  delayMs: string;
  abortStatus: string;
}

export type FaultFormErrors = Partial<Record<keyof FaultFormValues | 'form', string>>;

export const EMPTY_FAULT_FORM: FaultFormValues = { caller: '', percent: '100', delayMs: '', abortStatus: '503' };

export function faultFromForm(service: string, values: FaultFormValues): { ok: true; fault: Fault } | { ok: false; errors: FaultFormErrors } {
  const errors: FaultFormErrors = {};
  const number = (field: 'percent' | 'delayMs' | 'abortStatus'): number | undefined => {
    const text = values[field].trim();
    if (text === '') return undefined;
    const value = Number(text);
    if (!Number.isFinite(value)) errors[field] = 'must be a number';
    return value;
  };
  const candidate: Record<string, unknown> = { service, percent: number('percent') };
  const delayMs = number('delayMs');
  const abortStatus = number('abortStatus');
  if (delayMs !== undefined) candidate.delayMs = delayMs;
  if (abortStatus !== undefined) candidate.abortStatus = abortStatus;
  if (values.caller.trim() !== '') candidate.caller = values.caller.trim();
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  const parsed = faultSchema.safeParse(candidate);
  if (parsed.success) return { ok: true, fault: parsed.data };
  for (const issue of parsed.error.issues) {
    const field = issue.path[0];
    const key = field === 'percent' || field === 'delayMs' || field === 'abortStatus' || field === 'caller' ? field : 'form';
    errors[key] ??= key === 'percent' && candidate.percent === undefined ? 'required' : issue.message;
  }
  return { ok: false, errors };
}

/** `30% · 503 · +200 ms · from hello`, one line per fault in the panel. */
export function describeFault(fault: Fault): string {
  const parts = [`${fault.percent}%`];
  if (fault.abortStatus !== undefined) parts.push(`answer ${fault.abortStatus}`);
  if (fault.abortGrpcStatus !== undefined) parts.push(`answer gRPC calls ${grpcStatusName(fault.abortGrpcStatus)}`);
  if (fault.delayMs !== undefined) parts.push(`delay ${fault.delayMs} ms${fault.jitterMs ? ` ±${fault.jitterMs}` : ''}`);
  parts.push(fault.caller ? `from ${fault.caller}` : 'from every caller');
  return parts.join(' · ');
}
