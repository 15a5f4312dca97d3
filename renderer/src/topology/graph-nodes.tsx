/**
 * The graph's node types, defined once at module level as React Flow asks (a new nodeTypes object
 * per render would remount every node). Sizes and handle positions come from graph-geometry.ts;
 * each version of a service is its own target handle, so an edge's head can be dragged from one
 * version to another. Handles never start a new connection: the only edit is moving an edge.
 */
import { Handle, Position, type Node, type NodeProps, type NodeTypes } from '@xyflow/react';
import { memo } from 'react';
import { formatShare } from '../components/format.js';
import { nodeSummary, summaryKey } from './graph-live-values.js';
import { useLiveValue } from './live-values.js';
import { HEADER_HANDLE_Y, SERVICE_TARGET_HANDLE, SOURCE_HANDLE, VERSION_HANDLE_HEIGHT, versionHandle, versionHandleY } from './graph-geometry.js';
import type { CallerNodeData, ExternalNodeData, GraphNodeData, ServiceNodeData } from './graph-model.js';

type ServiceFlowNode = Node<ServiceNodeData, 'service'>;
type CallerFlowNode = Node<CallerNodeData, 'caller'>;
type ExternalFlowNode = Node<ExternalNodeData, 'external'>;

const SERVICE_NOTE = 'Traffic not yet routed to a version';

/** The node's numbers line, updated by itself each second (graph-live-values.ts). */
function LiveSummary({ id, data, testId }: { id: string; data: GraphNodeData; testId?: string }) {
  const text = useLiveValue(summaryKey(id), nodeSummary(data));
  return (
    <span className="topo-summary" data-testid={testId}>
      {text}
    </span>
  );
}

const ServiceNode = memo(function ServiceNode({ id, data, selected }: NodeProps<ServiceFlowNode>) {
  return (
    <div className={`topo-node topo-service${selected ? ' selected' : ''}${data.registered ? '' : ' gone'}`} data-testid={`service-node-${data.name}`}>
      <Handle
        type="target"
        id={SERVICE_TARGET_HANDLE}
        position={Position.Left}
        style={{ top: HEADER_HANDLE_Y }}
        isConnectableStart={false}
        title={SERVICE_NOTE}
      />
      <Handle type="source" id={SOURCE_HANDLE} position={Position.Right} style={{ top: HEADER_HANDLE_Y }} isConnectableStart={false} isConnectableEnd={false} />
      <div className="topo-service-header">
        <span className={`health-dot health-${data.health}`} aria-hidden="true" />
        <strong className="topo-name">{data.name}</strong>
        {data.customRoute && (
          <span className="badge" title="Route changed from the default">
            routed
          </span>
        )}
        {data.faulted && (
          <span className="badge badge-warn" title="A fault is injected">
            fault
          </span>
        )}
        {!data.registered && <span className="badge">gone</span>}
        <LiveSummary id={id} data={data} testId={`service-summary-${data.name}`} />
      </div>
      {data.versions.map((version, index) => (
        <div
          key={version.name}
          className={`topo-version${version.registered ? '' : ' gone'}${version.mock ? ' mock' : ''}`}
          data-testid={`version-target-${data.name}-${version.name}`}
          data-mock={version.mock ? 'true' : undefined}
        >
          <Handle
            type="target"
            id={versionHandle(version.name)}
            position={Position.Left}
            className="version-handle"
            style={{ top: versionHandleY(index), height: VERSION_HANDLE_HEIGHT }}
            isConnectableStart={false}
            title={`Drop here to send all of ${data.name}'s traffic to ${version.name}`}
          />
          <span className="topo-version-name" title={version.mock ? `${version.name}: answered by the mesh from a recording` : version.name}>
            {version.name}
          </span>
          {version.mock ? (
            <span
              className="mock-tally"
              data-testid={`mock-tally-${data.name}`}
              title="Mock: requests answered from the recording, and requests it had nothing for"
            >
              <span>
                {version.mock.hits} hit{version.mock.hits === 1 ? '' : 's'}
              </span>
              <span className="sep"> · </span>
              <span className={version.mock.misses > 0 ? 'has-misses' : ''}>
                {version.mock.misses} miss{version.mock.misses === 1 ? '' : 'es'}
              </span>
            </span>
          ) : (
            <span className="instance-dots" aria-label={instanceSummary(version.instances)}>
              {version.instances.slice(0, 8).map((instance) => (
                <span
                  key={instance.address}
                  className={`instance-dot instance-${instance.health}${instance.source === 'traffic' ? ' from-traffic' : ''}`}
                  title={`${instance.address}: ${instance.summary}`}
                  data-testid={`instance-dot-${instance.address}`}
                  data-source={instance.source}
                />
              ))}
              {version.instances.length > 8 && <span className="more">+{version.instances.length - 8}</span>}
            </span>
          )}
          <span className="topo-share" data-testid={`version-share-${data.name}-${version.name}`}>
            {version.share === null ? '' : formatShare(version.share)}
          </span>
        </div>
      ))}
    </div>
  );
});

const CallerNode = memo(function CallerNode({ id, data, selected }: NodeProps<CallerFlowNode>) {
  return (
    <div className={`topo-node topo-caller${selected ? ' selected' : ''}`} data-testid={`caller-node-${data.name}`}>
      <Handle type="source" id={SOURCE_HANDLE} position={Position.Right} isConnectableStart={false} isConnectableEnd={false} />
      <strong className="topo-name">{data.name}</strong>
      <LiveSummary id={id} data={data} />
    </div>
  );
});

const ExternalNode = memo(function ExternalNode({ id, data, selected }: NodeProps<ExternalFlowNode>) {
  const shown = data.hosts.slice(0, 5).join(', ') + (data.hosts.length > 5 ? `, +${data.hosts.length - 5}` : '');
  return (
    <div className={`topo-node topo-external${selected ? ' selected' : ''}`} data-testid="external-node" title={shown}>
      <Handle type="target" position={Position.Left} isConnectableStart={false} isConnectableEnd={false} />
      <strong className="topo-name">
        <span className={`health-dot health-${data.health}`} aria-hidden="true" /> external
      </strong>
      <LiveSummary id={id} data={data} />
    </div>
  );
});

function instanceSummary(instances: ServiceNodeData['versions'][number]['instances']): string {
  if (instances.length === 0) return 'no instances';
  const counts = new Map<string, number>();
  for (const instance of instances) {
    const health = instance.source === 'traffic' ? `${instance.health} (from traffic)` : instance.health;
    counts.set(health, (counts.get(health) ?? 0) + 1);
  }
  return [...counts].map(([health, count]) => `${count} ${health}`).join(', ');
}

/**
 * Everything a node shows but its numbers line, as one string: nodes whose signature did not change
 * keep their object across stats updates, so React Flow skips them. The numbers line changes nearly
 * every second and reaches the node by itself (graph-live-values.ts).
 */
export function nodeSignature(data: GraphNodeData): string {
  switch (data.kind) {
    case 'service':
      return [
        data.name,
        data.health,
        data.registered,
        data.faulted,
        data.customRoute,
        ...data.versions.map(
          (version) =>
            `${version.name}:${version.registered}:${formatShare(version.share)}:${version.mock ? `${version.mock.hits}/${version.mock.misses}` : ''}:${version.instances.map((instance) => `${instance.address}=${instance.health}:${instance.summary}`).join(',')}`,
        ),
      ].join('|');
    case 'caller':
      return data.name;
    case 'external':
      return `${data.hosts.join(',')}|${data.health}`;
  }
}

export const NODE_TYPES: NodeTypes = { service: ServiceNode, caller: CallerNode, external: ExternalNode };
export type FlowNode = ServiceFlowNode | CallerFlowNode | ExternalFlowNode;
