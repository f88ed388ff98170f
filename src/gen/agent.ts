import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { TimestampWire as _google_protobuf_TimestampWire, Timestamp as _google_protobuf_Timestamp } from './google/protobuf/Timestamp.js';
import type { AgentServiceClient as _tessera_v1_AgentServiceClient, AgentServiceDefinition as _tessera_v1_AgentServiceDefinition } from './tessera/v1/AgentService.js';
import type { ConnectRequestWire as _tessera_v1_ConnectRequestWire, ConnectRequest as _tessera_v1_ConnectRequest } from './tessera/v1/ConnectRequest.js';
import type { ConnectResponseWire as _tessera_v1_ConnectResponseWire, ConnectResponse as _tessera_v1_ConnectResponse } from './tessera/v1/ConnectResponse.js';
import type { CpuWire as _tessera_v1_CpuWire, Cpu as _tessera_v1_Cpu } from './tessera/v1/Cpu.js';
import type { GoodbyeWire as _tessera_v1_GoodbyeWire, Goodbye as _tessera_v1_Goodbye } from './tessera/v1/Goodbye.js';
import type { GpuWire as _tessera_v1_GpuWire, Gpu as _tessera_v1_Gpu } from './tessera/v1/Gpu.js';
import type { HardwareWire as _tessera_v1_HardwareWire, Hardware as _tessera_v1_Hardware } from './tessera/v1/Hardware.js';
import type { HeartbeatWire as _tessera_v1_HeartbeatWire, Heartbeat as _tessera_v1_Heartbeat } from './tessera/v1/Heartbeat.js';
import type { HeartbeatAckWire as _tessera_v1_HeartbeatAckWire, HeartbeatAck as _tessera_v1_HeartbeatAck } from './tessera/v1/HeartbeatAck.js';
import type { HelloWire as _tessera_v1_HelloWire, Hello as _tessera_v1_Hello } from './tessera/v1/Hello.js';
import type { JoinRequestWire as _tessera_v1_JoinRequestWire, JoinRequest as _tessera_v1_JoinRequest } from './tessera/v1/JoinRequest.js';
import type { JoinResponseWire as _tessera_v1_JoinResponseWire, JoinResponse as _tessera_v1_JoinResponse } from './tessera/v1/JoinResponse.js';
import type { MigDeviceWire as _tessera_v1_MigDeviceWire, MigDevice as _tessera_v1_MigDevice } from './tessera/v1/MigDevice.js';
import type { WelcomeWire as _tessera_v1_WelcomeWire, Welcome as _tessera_v1_Welcome } from './tessera/v1/Welcome.js';
import type { WorkerWire as _tessera_v1_WorkerWire, Worker as _tessera_v1_Worker } from './tessera/v1/Worker.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  google: {
    protobuf: {
      Timestamp: MessageTypeDefinition<_google_protobuf_TimestampWire, _google_protobuf_Timestamp>
    }
  }
  tessera: {
    v1: {
      AgentService: SubtypeConstructor<typeof grpc.Client, _tessera_v1_AgentServiceClient> & { service: _tessera_v1_AgentServiceDefinition }
      ConnectRequest: MessageTypeDefinition<_tessera_v1_ConnectRequestWire, _tessera_v1_ConnectRequest>
      ConnectResponse: MessageTypeDefinition<_tessera_v1_ConnectResponseWire, _tessera_v1_ConnectResponse>
      Cpu: MessageTypeDefinition<_tessera_v1_CpuWire, _tessera_v1_Cpu>
      Goodbye: MessageTypeDefinition<_tessera_v1_GoodbyeWire, _tessera_v1_Goodbye>
      Gpu: MessageTypeDefinition<_tessera_v1_GpuWire, _tessera_v1_Gpu>
      GpuVendor: EnumTypeDefinition
      Hardware: MessageTypeDefinition<_tessera_v1_HardwareWire, _tessera_v1_Hardware>
      Heartbeat: MessageTypeDefinition<_tessera_v1_HeartbeatWire, _tessera_v1_Heartbeat>
      HeartbeatAck: MessageTypeDefinition<_tessera_v1_HeartbeatAckWire, _tessera_v1_HeartbeatAck>
      Hello: MessageTypeDefinition<_tessera_v1_HelloWire, _tessera_v1_Hello>
      JoinRequest: MessageTypeDefinition<_tessera_v1_JoinRequestWire, _tessera_v1_JoinRequest>
      JoinResponse: MessageTypeDefinition<_tessera_v1_JoinResponseWire, _tessera_v1_JoinResponse>
      MigDevice: MessageTypeDefinition<_tessera_v1_MigDeviceWire, _tessera_v1_MigDevice>
      MigMode: EnumTypeDefinition
      VirtualizationMode: EnumTypeDefinition
      Welcome: MessageTypeDefinition<_tessera_v1_WelcomeWire, _tessera_v1_Welcome>
      Worker: MessageTypeDefinition<_tessera_v1_WorkerWire, _tessera_v1_Worker>
    }
  }
}

