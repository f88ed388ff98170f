// Original file: proto/tessera/v1/agent.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ConnectRequestWire as _tessera_v1_ConnectRequestWire, ConnectRequest as _tessera_v1_ConnectRequest } from '../../tessera/v1/ConnectRequest.js';
import type { ConnectResponseWire as _tessera_v1_ConnectResponseWire, ConnectResponse as _tessera_v1_ConnectResponse } from '../../tessera/v1/ConnectResponse.js';
import type { JoinRequestWire as _tessera_v1_JoinRequestWire, JoinRequest as _tessera_v1_JoinRequest } from '../../tessera/v1/JoinRequest.js';
import type { JoinResponseWire as _tessera_v1_JoinResponseWire, JoinResponse as _tessera_v1_JoinResponse } from '../../tessera/v1/JoinResponse.js';
import type { RenewCertificateRequestWire as _tessera_v1_RenewCertificateRequestWire, RenewCertificateRequest as _tessera_v1_RenewCertificateRequest } from '../../tessera/v1/RenewCertificateRequest.js';
import type { RenewCertificateResponseWire as _tessera_v1_RenewCertificateResponseWire, RenewCertificateResponse as _tessera_v1_RenewCertificateResponse } from '../../tessera/v1/RenewCertificateResponse.js';

export interface AgentServiceClient extends grpc.Client {
  Connect(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_tessera_v1_ConnectRequestWire, _tessera_v1_ConnectResponse>;
  Connect(options?: grpc.CallOptions): grpc.ClientDuplexStream<_tessera_v1_ConnectRequestWire, _tessera_v1_ConnectResponse>;
  connect(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_tessera_v1_ConnectRequestWire, _tessera_v1_ConnectResponse>;
  connect(options?: grpc.CallOptions): grpc.ClientDuplexStream<_tessera_v1_ConnectRequestWire, _tessera_v1_ConnectResponse>;
  
  Join(argument: _tessera_v1_JoinRequestWire, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_JoinResponse>): grpc.ClientUnaryCall;
  Join(argument: _tessera_v1_JoinRequestWire, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_JoinResponse>): grpc.ClientUnaryCall;
  Join(argument: _tessera_v1_JoinRequestWire, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_JoinResponse>): grpc.ClientUnaryCall;
  Join(argument: _tessera_v1_JoinRequestWire, callback: grpc.requestCallback<_tessera_v1_JoinResponse>): grpc.ClientUnaryCall;
  join(argument: _tessera_v1_JoinRequestWire, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_JoinResponse>): grpc.ClientUnaryCall;
  join(argument: _tessera_v1_JoinRequestWire, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_JoinResponse>): grpc.ClientUnaryCall;
  join(argument: _tessera_v1_JoinRequestWire, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_JoinResponse>): grpc.ClientUnaryCall;
  join(argument: _tessera_v1_JoinRequestWire, callback: grpc.requestCallback<_tessera_v1_JoinResponse>): grpc.ClientUnaryCall;
  
  RenewCertificate(argument: _tessera_v1_RenewCertificateRequestWire, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_RenewCertificateResponse>): grpc.ClientUnaryCall;
  RenewCertificate(argument: _tessera_v1_RenewCertificateRequestWire, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_RenewCertificateResponse>): grpc.ClientUnaryCall;
  RenewCertificate(argument: _tessera_v1_RenewCertificateRequestWire, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_RenewCertificateResponse>): grpc.ClientUnaryCall;
  RenewCertificate(argument: _tessera_v1_RenewCertificateRequestWire, callback: grpc.requestCallback<_tessera_v1_RenewCertificateResponse>): grpc.ClientUnaryCall;
  renewCertificate(argument: _tessera_v1_RenewCertificateRequestWire, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_RenewCertificateResponse>): grpc.ClientUnaryCall;
  renewCertificate(argument: _tessera_v1_RenewCertificateRequestWire, metadata: grpc.Metadata, callback: grpc.requestCallback<_tessera_v1_RenewCertificateResponse>): grpc.ClientUnaryCall;
  renewCertificate(argument: _tessera_v1_RenewCertificateRequestWire, options: grpc.CallOptions, callback: grpc.requestCallback<_tessera_v1_RenewCertificateResponse>): grpc.ClientUnaryCall;
  renewCertificate(argument: _tessera_v1_RenewCertificateRequestWire, callback: grpc.requestCallback<_tessera_v1_RenewCertificateResponse>): grpc.ClientUnaryCall;
  
}

export interface AgentServiceHandlers extends grpc.UntypedServiceImplementation {
  Connect: grpc.handleBidiStreamingCall<_tessera_v1_ConnectRequest, _tessera_v1_ConnectResponseWire>;
  
  Join: grpc.handleUnaryCall<_tessera_v1_JoinRequest, _tessera_v1_JoinResponseWire>;
  
  RenewCertificate: grpc.handleUnaryCall<_tessera_v1_RenewCertificateRequest, _tessera_v1_RenewCertificateResponseWire>;
  
}

export interface AgentServiceDefinition extends grpc.ServiceDefinition {
  Connect: MethodDefinition<_tessera_v1_ConnectRequestWire, _tessera_v1_ConnectResponseWire, _tessera_v1_ConnectRequest, _tessera_v1_ConnectResponse>
  Join: MethodDefinition<_tessera_v1_JoinRequestWire, _tessera_v1_JoinResponseWire, _tessera_v1_JoinRequest, _tessera_v1_JoinResponse>
  RenewCertificate: MethodDefinition<_tessera_v1_RenewCertificateRequestWire, _tessera_v1_RenewCertificateResponseWire, _tessera_v1_RenewCertificateRequest, _tessera_v1_RenewCertificateResponse>
}
