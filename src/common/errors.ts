/**
 * errors: one class per failure a Tessera user can meet. Each maps to exactly one gRPC status
 * code, in one table (`grpcCodeOf` in grpc.ts), at the server boundary.
 */

/** TesseraError is the base of every domain error; `fieldPath` names the offending input where there is one. */
export abstract class TesseraError extends Error {
  abstract readonly kind: ErrorKind;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** ErrorKind is the closed set of domain failure kinds; grpc.ts maps each to a status code. */
export type ErrorKind =
  | 'invalid-argument'
  | 'unauthenticated'
  | 'permission-denied'
  | 'not-found'
  | 'already-exists'
  | 'resource-exhausted'
  | 'unavailable'
  | 'failed-precondition';

/** InvalidArgument is thrown when a request field has a value Tessera cannot accept. */
export class InvalidArgument extends TesseraError {
  readonly kind = 'invalid-argument';
  constructor(
    readonly fieldPath: string,
    readonly expected: string,
  ) {
    super(`${fieldPath || '(request)'}: ${expected}`);
  }
}

/** Unauthenticated is thrown when credentials (join token, worker secret) are missing or wrong. */
export class Unauthenticated extends TesseraError {
  readonly kind = 'unauthenticated';
}

/** PermissionDenied is thrown when valid credentials ask for something they do not own. */
export class PermissionDenied extends TesseraError {
  readonly kind = 'permission-denied';
}

/** NotFound is thrown when a named object (worker, token) does not exist. */
export class NotFound extends TesseraError {
  readonly kind = 'not-found';
}

/** AlreadyExists is thrown when a create would overwrite an existing object. */
export class AlreadyExists extends TesseraError {
  readonly kind = 'already-exists';
}

/** ResourceExhausted is thrown when a request exceeds a size or count limit. */
export class ResourceExhausted extends TesseraError {
  readonly kind = 'resource-exhausted';
}

/** StoreUnavailable is thrown when the topology store (etcd) cannot be reached. */
export class StoreUnavailable extends TesseraError {
  readonly kind = 'unavailable';
}

/** FailedPrecondition is thrown when the request is valid but the system is not in a state to do it. */
export class FailedPrecondition extends TesseraError {
  readonly kind = 'failed-precondition';
}

/** ConfigError is thrown at start-up when a setting is invalid; it names the setting. */
export class ConfigError extends Error {
  constructor(
    readonly setting: string,
    readonly expected: string,
  ) {
    super(`invalid setting ${setting}: ${expected}`);
    this.name = 'ConfigError';
  }
}
