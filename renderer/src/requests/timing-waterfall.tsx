import type { RequestEvent } from '../../../shared/events.js';
import { latency } from './cell-format.js';
import { timingPhases } from './timing-phases.js';

/** Queue, connect, first byte, transfer: bars on one time axis from arrival to end. */
export function TimingWaterfall({ timings }: { timings: RequestEvent['timings'] }) {
  const phases = timingPhases(timings);
  const total = Math.max(timings.end, 0.001);
  return (
    <table className="waterfall" data-testid="waterfall">
      <tbody>
        {phases.map((phase) => (
          <tr key={phase.name} data-phase={phase.name}>
            <th scope="row">{phase.name}</th>
            <td className="waterfall-track">
              <span
                className={`waterfall-bar phase-${phase.name.replace(' ', '-')}`}
                style={{ marginLeft: `${(phase.startMs / total) * 100}%`, width: `${Math.max(0.5, (phase.durationMs / total) * 100)}%` }}
              />
            </td>
            <td className="waterfall-ms">{latency(phase.durationMs)}</td>
          </tr>
        ))}
        <tr>
          <th scope="row">total</th>
          <td />
          <td className="waterfall-ms">{latency(timings.end)}</td>
        </tr>
      </tbody>
    </table>
  );
}
