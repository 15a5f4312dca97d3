/**
 * The exported HTTPRoutes as one YAML stream for `kubectl apply -f`: a header that says what the
 * file is and how its Service names were made, then one document per route, each preceded by its
 * notes. A `retry` field is marked where it stands, because the Gateway API release it was checked
 * against has it only in the experimental channel, and a cluster with the standard CRDs refuses it.
 */
import { Document, isMap, isScalar, isSeq } from 'yaml';
import { GATEWAY_API_VERSION, type ExportedRoute } from './gateway-api.js';

export interface YamlHeader {
  meshdeskVersion: string;
  backendName: string;
  port: number;
}

const RETRY_NOTE = ` retry: experimental in Gateway API ${GATEWAY_API_VERSION} (standard from v1.7), needs the experimental CRDs`;

export function httpRoutesYaml(routes: readonly ExportedRoute[], header: YamlHeader): string {
  // Lines short enough for the dashboard's dialog to show whole at 1024 pixels.
  const lines = [
    `# Kubernetes Gateway API HTTPRoutes exported by Meshdesk ${header.meshdeskVersion} from the routes in force.`,
    `# Service mesh (GAMMA): each route attaches to its own Service. Checked against Gateway API ${GATEWAY_API_VERSION}.`,
    `# Each version is a Service of its own, named ${header.backendName} ("default": the service's own),`,
    `# port ${header.port}: create them, e.g. each selecting its version's pods by a "version" label.`,
  ];
  if (routes.length === 0) lines.push('# No services are registered: nothing to export.');
  const documents = routes.map((route) => documentOf(route).toString({ lineWidth: 0, flowCollectionPadding: false }).trimEnd());
  return `${[lines.join('\n'), ...documents].join('\n---\n')}\n`;
}

function documentOf(exported: ExportedRoute): Document {
  // Every object is written out where it stands: no YAML anchors and aliases for repeated fields.
  const document = new Document(exported.route, { aliasDuplicateObjects: false });
  // On the contents rather than the document, so that no blank line parts the notes from their route.
  if (exported.notes.length > 0 && document.contents)
    document.contents.commentBefore = exported.notes.map((note) => ` ${exported.service}: ${note}`).join('\n');
  const rules = document.getIn(['spec', 'rules'], true);
  if (!isSeq(rules)) return document;
  for (const rule of rules.items) {
    if (!isMap(rule)) continue;
    for (const pair of rule.items) {
      if (!isScalar(pair.key) || pair.key.value !== 'retry') continue;
      pair.key.commentBefore = RETRY_NOTE;
      const codes = isMap(pair.value) ? pair.value.get('codes', true) : undefined;
      // `codes: [502, 503, 504]` reads better on one line.
      if (isSeq(codes)) codes.flow = true;
    }
  }
  return document;
}
