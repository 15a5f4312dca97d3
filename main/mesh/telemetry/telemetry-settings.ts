/**
 * meshdesk.yaml's `telemetry:` section as the mesh applies it: the request log's options, the
 * failure classifier, and the bytes of each body the proxy captures. Applied once, at start: the
 * log's columns are sized to its capacity when it is made, so a later change waits for the next
 * start, and `changedTelemetry` names what is waiting so the mesh can say so.
 */
import type { TelemetryConfig } from '../../../shared/config-schema.js';
import { grpcFailureRule, statusFailureClassifier, type GrpcFailure } from './classify.js';
import type { TelemetryOptions } from './telemetry.js';

export interface TelemetrySettings {
  telemetry: Required<Pick<TelemetryOptions, 'log' | 'isFailure'>>;
  /** For the proxy: bytes of each body captured per direction. */
  captureBodyBytes: number;
  /** For the proxy: which gRPC statuses count against an instance (ejection), as they count in the stats. */
  grpcFailure: GrpcFailure;
}

export function telemetrySettingsOf(config: TelemetryConfig): TelemetrySettings {
  const grpcFailure = grpcFailureRule(config.grpcFailureCodes);
  return {
    telemetry: {
      log: { capacity: config.logCapacity, bodyCaptureBytes: config.bodyCaptureBytes, maskedHeaders: config.maskedHeaders },
      isFailure: statusFailureClassifier(config.failureStatuses, grpcFailure),
    },
    captureBodyBytes: config.bodyCaptureBytes,
    grpcFailure,
  };
}

/** The settings whose values differ, by name; [] when they are the same. */
export function changedTelemetry(before: TelemetryConfig, after: TelemetryConfig): (keyof TelemetryConfig)[] {
  const names = Object.keys(after) as (keyof TelemetryConfig)[];
  return names.filter((name) => JSON.stringify(before[name]) !== JSON.stringify(after[name]));
}
