/**
 * The detail pane for one exchange, fetched from the mesh when opened (the list keeps no headers or
 * bodies): summary, actions (copy as curl, replay, reveal masked headers), a gRPC call's decoded
 * messages, headers and bodies both ways, the timing waterfall, every attempt and the routing decision trace.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { MASKED_VALUE, type Exchange } from '../../../shared/exchange.js';
import { exchangeUrl } from '../../../shared/har.js';
import { useMesh } from '../use-mesh-state.js';
import { BodyPanel } from './body-panel.js';
import { byteSize, clockTime, grpcVerdict, latency, methodText, target } from './cell-format.js';
import { curlCommand } from './curl-command.js';
import { GrpcMessages } from './grpc-messages.js';
import { HeadersTable } from './headers-table.js';
import { attemptsOf, decisionTraceOf, FLAG_LABELS, flagsOf, type LogRow } from './log-row.js';
import { fetchExchange } from './mesh-ops.js';
import { ReplayPanel } from './replay-panel.js';
import { TimingWaterfall } from './timing-waterfall.js';

interface Loaded {
  exchange: Exchange | null;
  error: string | null;
}

export function ExchangeDetail({ id, proxyUrl, onClose }: { id: number; proxyUrl: string | null; onClose: () => void }) {
  const { client } = useMesh();
  const [reveal, setReveal] = useState(false);
  const [loaded, setLoaded] = useState<Loaded>({ exchange: null, error: null });
  const [replaying, setReplaying] = useState(false);

  useEffect(() => {
    let current = true;
    fetchExchange(client, id, reveal).then(
      (exchange) => current && setLoaded({ exchange, error: null }),
      (error: unknown) => current && setLoaded((before) => ({ exchange: before.exchange, error: error instanceof Error ? error.message : String(error) })),
    );
    return () => {
      current = false;
    };
  }, [client, id, reveal]);

  const { exchange, error } = loaded;
  return (
    <aside className="exchange-detail" aria-label="Exchange details" data-testid="exchange-detail" data-id={id}>
      <header className="detail-header">
        <h3>{exchange ? heading(exchange) : `Exchange ${id}`}</h3>
        <button type="button" aria-label="Close details" onClick={onClose}>
          ×
        </button>
      </header>
      {error && (
        <p role="alert" className="error" data-testid="detail-error">
          {error}
        </p>
      )}
      {!exchange && !error && <p className="muted">Loading…</p>}
      {exchange && (
        <>
          <Summary exchange={exchange} />
          <Actions exchange={exchange} proxyUrl={proxyUrl} revealed={reveal} onReveal={() => setReveal(true)} onReplay={() => setReplaying(true)} />
          {replaying && <ReplayPanel original={exchange} onClose={() => setReplaying(false)} />}
          {exchange.grpc !== undefined && (
            <Section title="gRPC messages">
              <GrpcMessages exchange={exchange} proxyUrl={proxyUrl} />
            </Section>
          )}
          <Direction exchange={exchange} side="request" />
          <Direction exchange={exchange} side="response" />
          <Section title="Timing">
            <TimingWaterfall timings={exchange.timings} />
          </Section>
          <Attempts row={exchange} />
          <DecisionTrace row={exchange} />
        </>
      )}
    </aside>
  );
}

function messages(count: number): string {
  return `${count} ${count === 1 ? 'message' : 'messages'}`;
}

/** `GET http://world/x`; a gRPC call by its service and method, which is what its users call it. */
function heading(exchange: Exchange): string {
  return exchange.grpc === undefined ? `${exchange.method} ${exchangeUrl(exchange)}` : `${methodText(exchange)} ${exchange.service} ${exchange.path}`;
}

function Summary({ exchange }: { exchange: Exchange }) {
  const flags = flagsOf(exchange);
  return (
    <dl className="detail-summary" data-testid="detail-summary">
      <dt>Status</dt>
      <dd data-testid="detail-status">
        {exchange.grpc === undefined ? (exchange.status === 0 ? 'no response' : exchange.status) : grpcVerdict(exchange)}
        {exchange.failed && <span className="flag flag-failed">failed</span>}
        {exchange.error && <span className="error"> {exchange.error}</span>}
      </dd>
      <dt>Route</dt>
      <dd>
        {exchange.caller} → {target(exchange.service, exchange.version)} at {exchange.instance ?? 'no instance'} ({exchange.kind})
      </dd>
      <dt>When</dt>
      <dd>
        {new Date(exchange.startedAt).toLocaleDateString()} {clockTime(exchange.startedAt)}, {latency(exchange.timings.end)}
      </dd>
      <dt>Bytes</dt>
      <dd>
        {byteSize(exchange.bytesIn)} in, {byteSize(exchange.bytesOut)} out
        {exchange.grpc?.messagesIn !== undefined && ` · ${messages(exchange.grpc.messagesIn)} in, ${messages(exchange.grpc.messagesOut ?? 0)} out`}
      </dd>
      {flags.length > 0 && (
        <>
          <dt>Flags</dt>
          <dd>{flags.map((flag) => FLAG_LABELS[flag].title).join(', ')}</dd>
        </>
      )}
    </dl>
  );
}

interface ActionsProps {
  exchange: Exchange;
  proxyUrl: string | null;
  revealed: boolean;
  onReveal: () => void;
  onReplay: () => void;
}

function Actions({ exchange, proxyUrl, revealed, onReveal, onReplay }: ActionsProps) {
  const [copied, setCopied] = useState(false);
  // A gRPC call is copied as grpcurl, with its messages as JSON (grpc-messages.tsx): curl cannot frame them.
  const grpc = exchange.grpc !== undefined;
  const command = proxyUrl && !grpc ? curlCommand(exchange, { proxyUrl, includeMasked: revealed }) : null;
  const hasMasked = [...(exchange.requestHeaders ?? []), ...(exchange.responseHeaders ?? [])].some(([, value]) => value === MASKED_VALUE);
  return (
    <div className="detail-actions">
      <div className="action-buttons">
        {!grpc && (
          <button
            type="button"
            disabled={!command}
            onClick={() => {
              if (!command) return;
              void navigator.clipboard.writeText(command).then(() => {
                setCopied(true);
                setTimeout(() => setCopied(false), 1500);
              });
            }}
          >
            {copied ? 'Copied' : 'Copy as curl'}
          </button>
        )}
        <button type="button" onClick={onReplay}>
          Replay…
        </button>
        {hasMasked && !revealed && (
          <button type="button" onClick={onReveal} title="Show the values the mesh masked">
            Reveal masked
          </button>
        )}
      </div>
      {command && (
        <details className="curl-preview">
          <summary>curl command</summary>
          <pre data-testid="curl-command">{command}</pre>
        </details>
      )}
    </div>
  );
}

/** One direction of the exchange: its headers, then its body. */
function Direction({ exchange, side }: { exchange: Exchange; side: 'request' | 'response' }) {
  const request = side === 'request';
  const title = request ? 'Request' : 'Response';
  const headers = request ? exchange.requestHeaders : exchange.responseHeaders;
  return (
    <>
      <Section title={`${title} headers`}>
        <HeadersTable headers={headers} label={`${title} headers`} />
      </Section>
      <Section title={`${title} body`}>
        <BodyPanel
          body={request ? exchange.requestBody : exchange.responseBody}
          contentType={headerValue(headers, 'content-type')}
          label={`${title} body`}
          dropped={exchange.bodiesDropped}
          bytes={request ? exchange.bytesIn : exchange.bytesOut}
        />
      </Section>
    </>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="detail-section" aria-label={title}>
      <h4>{title}</h4>
      {children}
    </section>
  );
}

function Attempts({ row }: { row: LogRow }) {
  const attempts = attemptsOf(row);
  if (attempts.length === 0) return null;
  return (
    <Section title="Attempts">
      <table className="attempts" data-testid="attempts">
        <thead>
          <tr>
            <th>#</th>
            <th>Instance</th>
            <th>Status</th>
            <th>Time</th>
            <th>Error</th>
          </tr>
        </thead>
        <tbody>
          {attempts.map((attempt, index) => (
            <tr key={index}>
              <td>{index + 1}</td>
              <td>{attempt.instance}</td>
              <td>{attempt.status === 0 ? 'none' : attempt.status}</td>
              <td>{latency(attempt.ms)}</td>
              <td className={attempt.error ? 'error' : undefined}>{attempt.error ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Section>
  );
}

function DecisionTrace({ row }: { row: LogRow }) {
  const steps = decisionTraceOf(row);
  if (steps.length === 0) return null;
  return (
    <Section title="Routing decision">
      <ol className="decision-trace" data-testid="decision-trace">
        {steps.map((step, index) => (
          <li key={index}>{step}</li>
        ))}
      </ol>
    </Section>
  );
}

function headerValue(headers: [string, string][] | null, name: string): string | undefined {
  return headers?.find(([candidate]) => candidate.toLowerCase() === name)?.[1];
}
