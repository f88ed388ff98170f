// Original file: proto/tessera/v1/agent.proto


export interface JoinResponseWire {
  'workerId'?: (string);
  'workerSecret'?: (string);
  'clientCertPem'?: (string);
}

export interface JoinResponse {
  'workerId': (string);
  'workerSecret': (string);
  'clientCertPem': (string);
}
