/**
 * grpc: everything gRPC that the servers and clients share: loading proto/, building a server
 * with health and reflection, the one table that turns domain errors into status codes, and a
 * guard that turns undecodable bytes into INVALID_ARGUMENT instead of INTERNAL.
 */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation } from 'grpc-health-check';
import { fileURLToPath } from 'node:url';
import type { ZodError } from 'zod';
import type { ProtoGrpcType as AgentProto } from '../gen/agent.js';
import type { ProtoGrpcType as GatewayProto } from '../gen/gateway.js';
import { InvalidArgument, TesseraError, type ErrorKind } from './errors.js';
import type { Logger } from './logger.js';

/** PROTO_ROOT is the proto/ folder of this checkout (works from src/ under tsx and from dist/). */
export const PROTO_ROOT = fileURLToPath(new URL('../../proto/', import.meta.url));
/** PROTO_FILES are every Tessera API file, loaded together into one package definition. */
export const PROTO_FILES = ['tessera/v1/agent.proto', 'tessera/v1/gateway.proto', 'tessera/v1/worker.proto'];
/** LOADER_OPTIONS must match scripts/gen-types.mjs so the generated types describe the loaded objects. */
export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_ROOT],
};

/** MAX_MESSAGE_BYTES: 4 MiB, gRPC's own default, stated so every server and client agree. */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/** TesseraProto is the loaded tessera.v1 package, typed from src/gen. */
export type TesseraProto = AgentProto['tessera']['v1'] & GatewayProto['tessera']['v1'];

let loaded: { definition: protoLoader.PackageDefinition; proto: TesseraProto } | undefined;

/** loadTesseraProto loads proto/ once per process. */
export function loadTesseraProto(): { definition: protoLoader.PackageDefinition; proto: TesseraProto } {
  if (!loaded) {
    const definition = protoLoader.loadSync(PROTO_FILES, LOADER_OPTIONS);
    const root = grpc.loadPackageDefinition(definition) as unknown as AgentProto & GatewayProto;
    loaded = { definition, proto: root.tessera.v1 };
  }
  return loaded;
}

/** MALFORMED marks a request whose bytes did not decode; handlers answer it with INVALID_ARGUMENT. */
export const MALFORMED = Symbol('malformed-request');

/** Malformed is what a guarded deserializer returns for bytes that are not the expected message. */
export interface Malformed {
  [MALFORMED]: string;
}

/** isMalformed tells a guarded request apart from a decoded one. */
export function isMalformed(value: unknown): value is Malformed {
  return typeof value === 'object' && value !== null && MALFORMED in value;
}

/**
 * guardService wraps each method's request deserializer so undecodable bytes become a Malformed
 * value rather than an exception (which grpc-js would report as INTERNAL, blaming the server).
 */
export function guardService<S extends grpc.ServiceDefinition>(service: S): S {
  const guarded: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
  for (const [name, method] of Object.entries(service)) {
    guarded[name] = {
      ...(method as grpc.MethodDefinition<unknown, unknown>),
      requestDeserialize: (bytes: Buffer) => {
        try {
          return method.requestDeserialize(bytes) as unknown;
        } catch (err) {
          return { [MALFORMED]: (err as Error).message } satisfies Malformed;
        }
      },
    };
  }
  return guarded as unknown as S;
}

/** STATUS_OF_KIND is the one table from domain error kinds to gRPC status codes. */
const STATUS_OF_KIND: Record<ErrorKind, grpc.status> = {
  'invalid-argument': grpc.status.INVALID_ARGUMENT,
  unauthenticated: grpc.status.UNAUTHENTICATED,
  'permission-denied': grpc.status.PERMISSION_DENIED,
  'not-found': grpc.status.NOT_FOUND,
  'already-exists': grpc.status.ALREADY_EXISTS,
  'resource-exhausted': grpc.status.RESOURCE_EXHAUSTED,
  unavailable: grpc.status.UNAVAILABLE,
  'failed-precondition': grpc.status.FAILED_PRECONDITION,
};

/**
 * Statuses repeat client input (a field path holds any map key a client sent), so they are
 * bounded: a 70,000-character key made trailers so large that HTTP/2 dropped the connection,
 * failing every call on it with UNAVAILABLE instead of answering INVALID_ARGUMENT.
 */
const MAX_PATH_CHARS = 256;
const MAX_DETAIL_CHARS = 1024;

/** shorten cuts text to `max` code points (never half a surrogate pair: grpc-js encodeURI()s details). */
function shorten(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : text;
}

/** percentEncode escapes `%` and everything outside printable ASCII as UTF-8 bytes, as grpc-message is escaped. */
function percentEncode(text: string): string {
  return text.replace(/[^ -$&-~]/gu, (c) => [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''));
}

/** toStatus turns any error into a gRPC status object; unknown errors become INTERNAL with no detail leaked. */
export function toStatus(err: unknown, logger: Logger): Partial<grpc.StatusObject> {
  if (err instanceof TesseraError) {
    const metadata = new grpc.Metadata();
    if (!(err instanceof InvalidArgument)) return { code: STATUS_OF_KIND[err.kind], details: shorten(err.message, MAX_DETAIL_CHARS), metadata };
    // A header value must be printable ASCII; a path may hold any key a client sent (`labels.é`).
    const path = shorten(err.fieldPath || '(request)', MAX_PATH_CHARS);
    metadata.set('tessera-field-path', percentEncode(path));
    return { code: STATUS_OF_KIND[err.kind], details: `${path}: ${shorten(err.expected, MAX_DETAIL_CHARS)}`, metadata };
  }
  logger.error({ err }, 'internal error while serving a request');
  return { code: grpc.status.INTERNAL, details: 'internal error; the server logged it' };
}

/** fromZod turns the first zod issue into an InvalidArgument naming the field path. */
export function fromZod(error: ZodError, prefix: string): InvalidArgument {
  const issue = error.issues[0]!;
  // Indices as [n], names after a dot; a map key is kept as sent, even one that starts with "[".
  const path = issue.path.reduce<string>((at, p) => (typeof p === 'number' ? `${at}[${p}]` : p === '' ? at : at ? `${at}.${p}` : p), prefix);
  return new InvalidArgument(path, issue.message);
}

/** unaryHandler adapts an async function to a grpc-js unary handler with Tessera's error mapping. */
export function unaryHandler<Req, Res>(
  logger: Logger,
  handle: (request: Req, call: grpc.ServerUnaryCall<Req, Res>) => Promise<Res>,
): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    if (isMalformed(call.request)) {
      callback({ code: grpc.status.INVALID_ARGUMENT, details: `request: not a valid protobuf message (${call.request[MALFORMED]})` });
      return;
    }
    handle(call.request, call).then(
      (response) => callback(null, response),
      (err: unknown) => callback(toStatus(err, logger)),
    );
  };
}

/** ServerOptions bounds what a client may send. */
export interface TesseraServerOptions {
  maxReceiveMessageBytes?: number;
}

/** TesseraServer is a grpc-js server plus its health service. */
export interface TesseraServer {
  server: grpc.Server;
  health: HealthImplementation;
}

/** createServer builds a server that also serves grpc.health.v1 and server reflection. */
export function createServer(serviceNames: string[], options: TesseraServerOptions = {}): TesseraServer {
  const server = new grpc.Server({
    'grpc.max_receive_message_length': options.maxReceiveMessageBytes ?? MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
    // Agents ping every 10 s to find dead links behind NAT; allow it without data in flight.
    'grpc.keepalive_permit_without_calls': 1,
    'grpc.http2.min_ping_interval_without_data_ms': 5_000,
    'grpc.keepalive_time_ms': 10_000,
    'grpc.keepalive_timeout_ms': 5_000,
  });
  const statuses: Record<string, 'SERVING'> = { '': 'SERVING' };
  for (const name of serviceNames) statuses[name] = 'SERVING';
  const health = new HealthImplementation(statuses);
  health.addToServer(server);
  new ReflectionService(loadTesseraProto().definition).addToServer(server);
  return { server, health };
}

/** bindServer listens on "host:port" (TLS when given server credentials) and returns the bound address. */
export function bindServer(server: grpc.Server, address: string, credentials: grpc.ServerCredentials = grpc.ServerCredentials.createInsecure()): Promise<string> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, credentials, (err, port) => {
      if (err) return reject(err);
      resolve(`${address.slice(0, address.lastIndexOf(':'))}:${port}`);
    });
  });
}

/** shutdownServer stops accepting calls, waits up to `graceMs` for running ones, then cancels the rest. */
export function shutdownServer(server: grpc.Server, graceMs = 2_000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, graceMs);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** clientOptions are the channel options every Tessera client uses. */
export const CLIENT_OPTIONS: grpc.ChannelOptions = {
  'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
  'grpc.keepalive_time_ms': 10_000,
  'grpc.keepalive_timeout_ms': 5_000,
  'grpc.keepalive_permit_without_calls': 1,
};
