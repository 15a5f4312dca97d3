/**
 * The register/edit form's values (as typed) turned into the registration the admin API takes,
 * validated with the contract's own schema (registrationInputSchema), so the form accepts exactly
 * what the mesh accepts and says why in the same words. Errors are mapped back to form fields.
 */
import type { HealthCheck } from '../../../shared/config-schema.js';
import type { InstanceView } from '../../../shared/model.js';
import { registrationInputSchema, type RegistrationInput } from '../../../shared/model.js';

export interface InstanceFormValues {
  service: string;
  version: string;
  address: string;
  /** One `key=value` per line. */
  labels: string;
  check: 'none' | 'http' | 'tcp' | 'grpc';
  checkPath: string;
  /** The gRPC service a grpc check asks about; empty: the server as a whole. */
  checkService: string;
  /** A status code (`204`) or a class (`2xx`). */
  checkExpect: string;
  /** A duration as meshdesk.yaml takes it: `10s`, `500ms`. */
  checkInterval: string;
  /** What the form does not show of an edited instance's check (timeout, thresholds), kept as it was. */
  checkKept?: Pick<HealthCheck, 'timeout' | 'healthyThreshold' | 'unhealthyThreshold'>;
}

/** The fields a user types in. */
export type InstanceFormField = Exclude<keyof InstanceFormValues, 'checkKept'>;
export type InstanceFormErrors = Partial<Record<InstanceFormField | 'form', string>>;

export const EMPTY_INSTANCE_FORM: InstanceFormValues = {
  service: '',
  version: '',
  address: '127.0.0.1:',
  labels: '',
  check: 'none',
  checkPath: '/health',
  checkService: '',
  checkExpect: '2xx',
  checkInterval: '10s',
};

/** The form prefilled with an instance to edit, its health check included. */
export function formFromInstance(service: string, version: string, instance: InstanceView): InstanceFormValues {
  return {
    ...EMPTY_INSTANCE_FORM,
    service,
    version,
    address: instance.address,
    labels: Object.entries(instance.labels)
      .map(([key, value]) => `${key}=${value}`)
      .join('\n'),
    ...checkFields(instance.healthCheckConfig ?? null),
  };
}

function checkFields(check: HealthCheck | null): Partial<InstanceFormValues> {
  if (check === null) return { check: 'none' };
  const kept = { timeout: check.timeout, healthyThreshold: check.healthyThreshold, unhealthyThreshold: check.unhealthyThreshold };
  const timing = { checkInterval: formatDuration(check.interval), checkKept: kept };
  if (check.type === 'tcp') return { check: 'tcp', ...timing };
  if (check.type === 'grpc') return { check: 'grpc', checkService: check.service, ...timing };
  return { check: 'http', checkPath: check.path, checkExpect: String(check.expectStatus), ...timing };
}

/** Milliseconds as meshdesk.yaml writes them: whole seconds as `10s`, the rest as `750ms`. */
function formatDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

export function registrationFromForm(values: InstanceFormValues): { ok: true; input: RegistrationInput } | { ok: false; errors: InstanceFormErrors } {
  const errors: InstanceFormErrors = {};
  const labels: Record<string, string> = {};
  values.labels.split('\n').forEach((line, index) => {
    const text = line.trim();
    if (text === '') return;
    const eq = text.indexOf('=');
    if (eq <= 0) errors.labels ??= `line ${index + 1}: write key=value`;
    else labels[text.slice(0, eq).trim()] = text.slice(eq + 1).trim();
  });

  const candidate: Record<string, unknown> = { service: values.service.trim(), address: values.address.trim(), origin: 'GUI' };
  if (values.version.trim() !== '') candidate.version = values.version.trim();
  if (Object.keys(labels).length > 0) candidate.labels = labels;
  if (values.check !== 'none') {
    const check: Record<string, unknown> = { type: values.check };
    if (values.checkInterval.trim() !== '') check.interval = values.checkInterval.trim();
    if (values.check === 'http') {
      if (values.checkPath.trim() !== '') check.path = values.checkPath.trim();
      const expect = values.checkExpect.trim();
      if (expect !== '') check.expectStatus = /^\d+$/.test(expect) ? Number(expect) : expect;
    }
    if (values.check === 'grpc') check.service = values.checkService.trim();
    candidate.healthCheck = { ...check, ...values.checkKept };
  }

  const parsed = registrationInputSchema.safeParse(candidate);
  if (parsed.success && Object.keys(errors).length === 0) return { ok: true, input: candidate as RegistrationInput };
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    const field = fieldOf(issue.path);
    errors[field] ??= issue.message;
  }
  return { ok: false, errors };
}

function fieldOf(path: readonly PropertyKey[]): InstanceFormField | 'form' {
  const [first, second] = path;
  if (first === 'service' || first === 'version' || first === 'address' || first === 'labels') return first;
  if (first === 'healthCheck') {
    if (second === 'path') return 'checkPath';
    if (second === 'service') return 'checkService';
    if (second === 'expectStatus') return 'checkExpect';
    if (second === 'interval') return 'checkInterval';
    return 'check';
  }
  return 'form';
}

/** Instances registered at runtime can be edited and removed here; the others live in their file. */
export function isRuntimeOrigin(origin: string): boolean {
  return origin === 'GUI' || origin === 'CLI';
}
