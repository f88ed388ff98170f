// Original file: proto/tessera/v1/agent.proto


export interface GoodbyeWire {
  'reason'?: (string);
}

export interface Goodbye {
  'reason': (string);
}
