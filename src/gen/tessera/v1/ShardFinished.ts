// Original file: proto/tessera/v1/agent.proto

import type { Long } from '@grpc/proto-loader';

export interface ShardFinishedWire {
  'exitCode'?: (number);
  'signal'?: (string);
  'wallMs'?: (number | string | Long);
  'peakRssKib'?: (number | string | Long);
  'resultJson'?: (string);
  'error'?: (string);
  'cancelled'?: (boolean);
  'timedOut'?: (boolean);
  'outputBytes'?: (number | string | Long);
  'outputTruncated'?: (boolean);
  'oomKilled'?: (boolean);
}

export interface ShardFinished {
  'exitCode': (number);
  'signal': (string);
  'wallMs': (number);
  'peakRssKib': (number);
  'resultJson': (string);
  'error': (string);
  'cancelled': (boolean);
  'timedOut': (boolean);
  'outputBytes': (number);
  'outputTruncated': (boolean);
  'oomKilled': (boolean);
}
