// Original file: proto/tessera/v1/agent.proto


export interface RenewCertificateRequestWire {
  'csrPem'?: (string);
}

export interface RenewCertificateRequest {
  'csrPem': (string);
}
