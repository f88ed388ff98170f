import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { TimestampWire as _google_protobuf_TimestampWire, Timestamp as _google_protobuf_Timestamp } from './google/protobuf/Timestamp.js';
import type { ChallengeSummaryWire as _tessera_v1_ChallengeSummaryWire, ChallengeSummary as _tessera_v1_ChallengeSummary } from './tessera/v1/ChallengeSummary.js';
import type { CpuWire as _tessera_v1_CpuWire, Cpu as _tessera_v1_Cpu } from './tessera/v1/Cpu.js';
import type { GpuWire as _tessera_v1_GpuWire, Gpu as _tessera_v1_Gpu } from './tessera/v1/Gpu.js';
import type { HardwareWire as _tessera_v1_HardwareWire, Hardware as _tessera_v1_Hardware } from './tessera/v1/Hardware.js';
import type { IsolationWire as _tessera_v1_IsolationWire, Isolation as _tessera_v1_Isolation } from './tessera/v1/Isolation.js';
import type { MigDeviceWire as _tessera_v1_MigDeviceWire, MigDevice as _tessera_v1_MigDevice } from './tessera/v1/MigDevice.js';
import type { ReputationWire as _tessera_v1_ReputationWire, Reputation as _tessera_v1_Reputation } from './tessera/v1/Reputation.js';
import type { ReputationComponentWire as _tessera_v1_ReputationComponentWire, ReputationComponent as _tessera_v1_ReputationComponent } from './tessera/v1/ReputationComponent.js';
import type { TrustFlagWire as _tessera_v1_TrustFlagWire, TrustFlag as _tessera_v1_TrustFlag } from './tessera/v1/TrustFlag.js';
import type { UptimeWindowWire as _tessera_v1_UptimeWindowWire, UptimeWindow as _tessera_v1_UptimeWindow } from './tessera/v1/UptimeWindow.js';
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
      ChallengeSummary: MessageTypeDefinition<_tessera_v1_ChallengeSummaryWire, _tessera_v1_ChallengeSummary>
      Cpu: MessageTypeDefinition<_tessera_v1_CpuWire, _tessera_v1_Cpu>
      Gpu: MessageTypeDefinition<_tessera_v1_GpuWire, _tessera_v1_Gpu>
      GpuVendor: EnumTypeDefinition
      Hardware: MessageTypeDefinition<_tessera_v1_HardwareWire, _tessera_v1_Hardware>
      Isolation: MessageTypeDefinition<_tessera_v1_IsolationWire, _tessera_v1_Isolation>
      MigDevice: MessageTypeDefinition<_tessera_v1_MigDeviceWire, _tessera_v1_MigDevice>
      MigMode: EnumTypeDefinition
      Reputation: MessageTypeDefinition<_tessera_v1_ReputationWire, _tessera_v1_Reputation>
      ReputationComponent: MessageTypeDefinition<_tessera_v1_ReputationComponentWire, _tessera_v1_ReputationComponent>
      TrustFlag: MessageTypeDefinition<_tessera_v1_TrustFlagWire, _tessera_v1_TrustFlag>
      TrustState: EnumTypeDefinition
      UptimeWindow: MessageTypeDefinition<_tessera_v1_UptimeWindowWire, _tessera_v1_UptimeWindow>
      VirtualizationMode: EnumTypeDefinition
      Worker: MessageTypeDefinition<_tessera_v1_WorkerWire, _tessera_v1_Worker>
    }
  }
}

