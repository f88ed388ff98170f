// Original file: proto/tessera/v1/agent.proto


export interface RenewCertificateResponseWire {
  'clientCertPem'?: (string);
}

export interface RenewCertificateResponse {
  'clientCertPem': (string);
}
