/**
 * The gRPC server every row reaches: @grpc/grpc-js serving helloworld.Greeter/SayHello from the
 * tests' greeter.proto, answering `hello NAME` at once, so that what differs between rows is the
 * proxy in front of it. It counts the calls it answers: the bench divides CPU time by that count
 * (h2load sees HTTP 200 and not the gRPC status, so calls that reached the server are the truth).
 * Run as a child process: `node greeter-server-child.js`.
 */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { serveParent } from '../proxy/child-channel.js';
import { GREETER_PROTO } from './greeter-message.js';

interface HelloRequest {
  name: string;
}

const definition = protoLoader.loadSync(GREETER_PROTO, { keepCase: true, defaults: true });
const greeter = (grpc.loadPackageDefinition(definition).helloworld as grpc.GrpcObject).Greeter as grpc.ServiceClientConstructor;
let calls = 0;

const server = new grpc.Server();
server.addService(greeter.service, {
  SayHello(call: grpc.ServerUnaryCall<HelloRequest, { message: string }>, reply: grpc.sendUnaryData<{ message: string }>) {
    calls++;
    reply(null, { message: `hello ${call.request.name}` });
  },
});
server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) => {
  if (error) throw error;
  serveParent(port, null, {
    stats: () => ({ requests: calls, failures: 0, milestones: [] }),
    stop: async () => server.forceShutdown(),
  });
});
