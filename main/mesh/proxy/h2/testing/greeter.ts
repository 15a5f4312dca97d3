/**
 * Real gRPC servers and clients for the HTTP/2 tests: @grpc/grpc-js serving greeter.proto, each
 * server answering with its own name (`v1`, `v2`) so a test can tell which version took a call, and
 * grpc-js clients reaching it through the mesh the two ways a user's service does — with the proxy
 * in the environment (`grpc_proxy`/`http_proxy`: grpc-js then opens `CONNECT greeter:50051`), or
 * pointed at the proxy's port with the service as the authority (HTTP/2 with prior knowledge).
 * Everything is closed when the test finishes.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { onTestFinished } from 'vitest';

export const GREETER_PROTO = path.join(path.dirname(fileURLToPath(import.meta.url)), 'greeter.proto');

export interface HelloRequest {
  name: string;
  count?: number;
}

export interface HelloReply {
  message: string;
}

/** The generated client class, loaded once. */
type GreeterClient = grpc.Client & {
  SayHello(request: HelloRequest, options: grpc.CallOptions, callback: (error: grpc.ServiceError | null, reply?: HelloReply) => void): grpc.ClientUnaryCall;
  SayHello(
    request: HelloRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: (error: grpc.ServiceError | null, reply?: HelloReply) => void,
  ): grpc.ClientUnaryCall;
  LotsOfReplies(request: HelloRequest): grpc.ClientReadableStream<HelloReply>;
  LotsOfGreetings(callback: (error: grpc.ServiceError | null, reply?: HelloReply) => void): grpc.ClientWritableStream<HelloRequest>;
  BidiHello(): grpc.ClientDuplexStream<HelloRequest, HelloReply>;
};
type GreeterConstructor = new (address: string, credentials: grpc.ChannelCredentials, options?: grpc.ChannelOptions) => GreeterClient;

let loaded: { definition: protoLoader.PackageDefinition; service: grpc.ServiceDefinition; Client: GreeterConstructor } | null = null;

function greeter() {
  if (loaded === null) {
    const definition = protoLoader.loadSync(GREETER_PROTO, { keepCase: true, defaults: true });
    const Greeter = (grpc.loadPackageDefinition(definition).helloworld as grpc.GrpcObject).Greeter as grpc.ServiceClientConstructor;
    loaded = { definition, service: Greeter.service, Client: Greeter as unknown as GreeterConstructor };
  }
  return loaded;
}

export interface GreeterServer {
  address: string;
  port: number;
  /** Calls it took, of any kind. */
  calls(): number;
  /** Calls its clients cancelled (a reset reached it). */
  cancelled(): number;
  /** Stops at once, cutting calls in flight (an instance killed). */
  kill(): void;
}

/** A Greeter that says `hello NAME from VERSION`; with `reflection`, it also serves grpc.reflection (v1 and v1alpha). */
export async function startGreeter(version: string, options: { reflection?: boolean } = {}): Promise<GreeterServer> {
  let calls = 0;
  let cancelled = 0;
  const server = new grpc.Server();
  server.addService(greeter().service, {
    SayHello(call: grpc.ServerUnaryCall<HelloRequest, HelloReply>, callback: grpc.sendUnaryData<HelloReply>) {
      calls++;
      const { name } = call.request;
      const [kind, argument, message] = name.split(':');
      if (kind === 'fail') return callback({ code: Number(argument), details: message ?? 'failed on request' });
      const answer = () => callback(null, { message: `hello ${name} from ${version}` });
      if (kind === 'slow') setTimeout(answer, Number(argument));
      else answer();
    },
    // `slow:MS` sends one reply every MS ms, until `count` or a cancel.
    LotsOfReplies(call: grpc.ServerWritableStream<HelloRequest, HelloReply>) {
      calls++;
      const count = call.request.count || 1;
      const [kind, argument] = call.request.name.split(':');
      if (kind !== 'slow') {
        for (let i = 0; i < count; i++) call.write({ message: `${i} ${call.request.name} from ${version}` });
        call.end();
        return;
      }
      let sent = 0;
      const timer = setInterval(() => {
        call.write({ message: `${sent} ${call.request.name} from ${version}` });
        if (++sent === count) {
          clearInterval(timer);
          call.end();
        }
      }, Number(argument));
      call.on('cancelled', () => {
        cancelled++;
        clearInterval(timer);
      });
    },
    LotsOfGreetings(call: grpc.ServerReadableStream<HelloRequest, HelloReply>, callback: grpc.sendUnaryData<HelloReply>) {
      calls++;
      const names: string[] = [];
      call.on('data', (request: HelloRequest) => names.push(request.name));
      call.on('end', () => callback(null, { message: `hello ${names.join(',')} from ${version}` }));
    },
    BidiHello(call: grpc.ServerDuplexStream<HelloRequest, HelloReply>) {
      calls++;
      call.on('data', (request: HelloRequest) => call.write({ message: `hello ${request.name} from ${version}` }));
      call.on('end', () => call.end());
    },
  });
  if (options.reflection) new ReflectionService(greeter().definition).addToServer(server);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  onTestFinished(() => server.forceShutdown());
  return { address: `127.0.0.1:${port}`, port, calls: () => calls, cancelled: () => cancelled, kill: () => server.forceShutdown() };
}

/** A client that reaches `greeter:50051` through the proxy given in its environment, as grpc_proxy. */
export function clientThroughProxyEnv(proxyUrl: string, target = 'greeter:50051'): GreeterClient {
  const saved = { grpc_proxy: process.env.grpc_proxy, no_grpc_proxy: process.env.no_grpc_proxy };
  // grpc-js reads the proxy from the environment when the channel is made, and only then.
  process.env.grpc_proxy = proxyUrl;
  process.env.no_grpc_proxy = 'none.invalid';
  try {
    return closedAfterTest(new (greeter().Client)(target, grpc.credentials.createInsecure()));
  } finally {
    restore('grpc_proxy', saved.grpc_proxy);
    restore('no_grpc_proxy', saved.no_grpc_proxy);
  }
}

function restore(name: 'grpc_proxy' | 'no_grpc_proxy', value: string | undefined): void {
  if (value !== undefined) process.env[name] = value;
  else if (name === 'grpc_proxy') delete process.env.grpc_proxy;
  else delete process.env.no_grpc_proxy;
}

/** A client pointed at the proxy's port, naming the service as its authority (HTTP/2 with prior knowledge). */
export function clientAtProxyPort(proxyPort: number, authority = 'greeter:50051'): GreeterClient {
  const options = { 'grpc.default_authority': authority, 'grpc.enable_http_proxy': 0 };
  return closedAfterTest(new (greeter().Client)(`127.0.0.1:${proxyPort}`, grpc.credentials.createInsecure(), options));
}

function closedAfterTest(client: GreeterClient): GreeterClient {
  onTestFinished(() => client.close());
  return client;
}

/** One unary call: its reply, or its error's code and details. */
export function sayHello(client: GreeterClient, name: string, deadlineMs = 10_000): Promise<{ message: string } | { code: number; details: string }> {
  return new Promise((resolve) => {
    client.SayHello({ name }, { deadline: Date.now() + deadlineMs }, (error, reply) => {
      resolve(error ? { code: error.code, details: error.details } : { message: reply?.message ?? '' });
    });
  });
}
