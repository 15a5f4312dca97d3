import { describe, expect, it } from 'vitest';
import { registrationInputSchema } from '../../../shared/model.js';
import { serviceView } from '../topology/testing/mesh-fixtures.js';
import { EMPTY_INSTANCE_FORM, formFromInstance, isRuntimeOrigin, registrationFromForm } from './instance-form.js';

const form = (patch: Partial<typeof EMPTY_INSTANCE_FORM>) => ({ ...EMPTY_INSTANCE_FORM, ...patch });

describe('instance form', () => {
  it('builds a GUI registration the contract accepts, health check included', () => {
    const result = registrationFromForm(
      form({
        service: 'search',
        version: 'v2',
        address: '127.0.0.1:7010',
        labels: 'team=core\n\nlang = go',
        check: 'http',
        checkPath: '/ready',
        checkExpect: '204',
        checkInterval: '5s',
      }),
    );
    expect(result).toEqual({
      ok: true,
      input: {
        service: 'search',
        version: 'v2',
        address: '127.0.0.1:7010',
        origin: 'GUI',
        labels: { team: 'core', lang: 'go' },
        healthCheck: { type: 'http', path: '/ready', expectStatus: 204, interval: '5s' },
      },
    });
    if (result.ok) expect(registrationInputSchema.parse(result.input).healthCheck).toMatchObject({ interval: 5000, timeout: 2000 });
  });

  it('builds a gRPC health check naming the service to ask about', () => {
    const result = registrationFromForm(form({ service: 'greeter', address: '127.0.0.1:50051', check: 'grpc', checkService: ' helloworld.Greeter ' }));
    expect(result).toMatchObject({ ok: true, input: { healthCheck: { type: 'grpc', service: 'helloworld.Greeter', interval: '10s' } } });
    if (result.ok) expect(registrationInputSchema.parse(result.input).healthCheck).toMatchObject({ type: 'grpc', timeout: 2000 });
  });

  it('leaves the version to the mesh default when empty', () => {
    expect(registrationFromForm(form({ service: 'api', address: '127.0.0.1:8080' }))).toEqual({
      ok: true,
      input: { service: 'api', address: '127.0.0.1:8080', origin: 'GUI' },
    });
  });

  it('puts each schema error on its field', () => {
    const result = registrationFromForm(
      form({ service: 'Bad_Name', version: 'v 2', address: 'localhost', check: 'http', checkPath: 'health', checkInterval: 'often' }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.service).toMatch(/DNS label/);
    expect(result.errors.version).toMatch(/letters, digits/);
    expect(result.errors.address).toMatch(/host:port/);
    expect(result.errors.checkPath).toMatch(/start with/);
    expect(result.errors.checkInterval).toMatch(/duration/);
  });

  it('refuses labels that are not key=value', () => {
    expect(registrationFromForm(form({ service: 'api', address: '127.0.0.1:8080', labels: 'just text' }))).toEqual({
      ok: false,
      errors: { labels: 'line 1: write key=value' },
    });
  });

  it('prefills an edit from the instance, and knows which origins the GUI may change', () => {
    const instance = serviceView('world', { v2: ['127.0.0.1:7003'] }).versions[0]?.instances[0];
    if (!instance) throw new Error('fixture');
    expect(formFromInstance('world', 'v2', { ...instance, labels: { a: 'b' } })).toMatchObject({
      service: 'world',
      version: 'v2',
      address: '127.0.0.1:7003',
      labels: 'a=b',
      check: 'none',
    });
    expect(isRuntimeOrigin('GUI')).toBe(true);
    expect(isRuntimeOrigin('CLI')).toBe(true);
    expect(isRuntimeOrigin('meshdesk.yaml:12')).toBe(false);
  });

  it("an edit starts from the instance's health check and saves it back unchanged, timeout and thresholds included", () => {
    const instance = serviceView('world', { v2: ['127.0.0.1:7003'] }).versions[0]?.instances[0];
    if (!instance) throw new Error('fixture');
    const check = registrationInputSchema.shape.healthCheck.parse({
      type: 'http',
      path: '/ready',
      expectStatus: 204,
      interval: 1500,
      timeout: 700,
      healthyThreshold: 4,
      unhealthyThreshold: 5,
    });
    const values = formFromInstance('world', 'v2', { ...instance, healthCheck: 'http GET /ready every 1.5s', healthCheckConfig: check });
    expect(values).toMatchObject({ check: 'http', checkPath: '/ready', checkExpect: '204', checkInterval: '1500ms' });
    const saved = registrationFromForm(values);
    expect(saved.ok).toBe(true);
    if (saved.ok) expect(registrationInputSchema.parse(saved.input).healthCheck).toEqual(check);

    const tcp = registrationInputSchema.shape.healthCheck.parse({ type: 'tcp', interval: '30s' });
    const tcpValues = formFromInstance('world', 'v2', { ...instance, healthCheckConfig: tcp });
    expect(tcpValues).toMatchObject({ check: 'tcp', checkInterval: '30s' });
    const tcpSaved = registrationFromForm(tcpValues);
    if (tcpSaved.ok) expect(registrationInputSchema.parse(tcpSaved.input).healthCheck).toEqual(tcp);
    else throw new Error(JSON.stringify(tcpSaved.errors));
  });
});
