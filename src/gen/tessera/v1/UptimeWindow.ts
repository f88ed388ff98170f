// Original file: proto/tessera/v1/worker.proto


export interface UptimeWindowWire {
  'window'?: (string);
  'value'?: (number | string);
}

export interface UptimeWindow {
  'window': (string);
  'value': (number);
}
