// Original file: proto/tessera/v1/gateway.proto


export interface WatchWorkersRequestWire {
}

export interface WatchWorkersRequest {
}
