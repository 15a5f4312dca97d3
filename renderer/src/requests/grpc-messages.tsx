/**
 * A gRPC call's messages in the detail pane, each decoded to JSON when the mesh found the method's
 * types (protoPaths or the server's reflection), else its size and first bytes; with where the
 * types came from, or why there were none, so a user knows what to add to see more.
 */
import { useEffect, useState } from 'react';
import type { Exchange } from '../../../shared/exchange.js';
import type { GrpcDecoding, GrpcMessage } from '../../../shared/grpc-messages.js';
import { useMesh } from '../use-mesh-state.js';
import { byteSize } from './cell-format.js';
import { grpcurlCommand } from './grpcurl-command.js';
import { decodeGrpc } from './mesh-ops.js';

const SOURCE_WORDS: Record<GrpcDecoding['source'], string> = {
  reflection: 'from the server’s reflection',
  'proto-files': 'from protoPaths in meshdesk.yaml',
  none: 'not known',
};

export function GrpcMessages({ exchange, proxyUrl }: { exchange: Exchange; proxyUrl: string | null }) {
  const { id } = exchange;
  const { client } = useMesh();
  const [state, setState] = useState<{ decoding: GrpcDecoding | null; error: string | null }>({ decoding: null, error: null });

  useEffect(() => {
    let current = true;
    decodeGrpc(client, id).then(
      (decoding) => current && setState({ decoding, error: null }),
      (error: unknown) => current && setState({ decoding: null, error: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      current = false;
    };
  }, [client, id]);

  const { decoding, error } = state;
  if (error !== null) return <p className="error">Could not decode the messages: {error}</p>;
  if (decoding === null) return <p className="muted">Decoding…</p>;
  return (
    <div className="grpc-messages" data-testid="grpc-messages">
      <p className="muted small" data-testid="grpc-types">
        {decoding.requestType === null ? 'Message types' : `${decoding.requestType} → ${decoding.responseType}`}: {SOURCE_WORDS[decoding.source]}
        {decoding.note && <span className="grpc-note"> ({decoding.note})</span>}
      </p>
      <MessageList title="Request" messages={decoding.request} />
      <MessageList title="Response" messages={decoding.response} />
      {proxyUrl && <GrpcurlCopy exchange={exchange} decoding={decoding} proxyUrl={proxyUrl} />}
    </div>
  );
}

function GrpcurlCopy({ exchange, decoding, proxyUrl }: { exchange: Exchange; decoding: GrpcDecoding; proxyUrl: string }) {
  const [copied, setCopied] = useState(false);
  const made = grpcurlCommand(exchange, decoding, proxyUrl);
  if ('reason' in made) return <p className="muted small">No grpcurl command: {made.reason}.</p>;
  return (
    <div className="detail-actions">
      <button
        type="button"
        onClick={() =>
          void navigator.clipboard.writeText(made.command).then(() => {
            setCopied(true);
            setTimeout(() => setCopied(false), 1500);
          })
        }
      >
        {copied ? 'Copied' : 'Copy as grpcurl'}
      </button>
      <details className="curl-preview">
        <summary>grpcurl command</summary>
        <pre data-testid="grpcurl-command">{made.command}</pre>
      </details>
    </div>
  );
}

function MessageList({ title, messages }: { title: string; messages: GrpcMessage[] }) {
  return (
    <div className="grpc-message-list" aria-label={`${title} messages`}>
      <h5>
        {title}: {messages.length === 0 ? 'no messages' : `${messages.length} ${messages.length === 1 ? 'message' : 'messages'}`}
      </h5>
      {messages.map((message, index) => (
        <div key={index} className="grpc-message" data-testid="grpc-message">
          <span className="muted small">
            #{index + 1} · {byteSize(message.size)}
            {message.compressed && ' · compressed'}
            {message.truncated && ' · cut by the log’s body limit'}
          </span>
          <pre>{message.json === undefined ? message.hex : JSON.stringify(message.json, null, 2)}</pre>
        </div>
      ))}
    </div>
  );
}
