// Original file: proto/tessera/v1/gateway.proto


export interface GetFleetSummaryRequestWire {
}

export interface GetFleetSummaryRequest {
}
