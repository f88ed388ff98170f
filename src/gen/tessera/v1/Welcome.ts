// Original file: proto/tessera/v1/agent.proto


export interface WelcomeWire {
  'workerId'?: (string);
  'heartbeatIntervalMs'?: (number);
  'leaseTtlMs'?: (number);
  'schedulerId'?: (string);
}

export interface Welcome {
  'workerId': (string);
  'heartbeatIntervalMs': (number);
  'leaseTtlMs': (number);
  'schedulerId': (string);
}
