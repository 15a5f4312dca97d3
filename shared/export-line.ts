/**
 * The lines a user pastes into a shell to send its services' HTTP traffic through the mesh. Both
 * spellings are set because tools disagree (curl reads only `http_proxy`, Go reads either); loopback
 * goes in NO_PROXY so direct calls to local ports (and to the dashboard) stay direct. Node's own
 * fetch (22.21+, 24.5+) ignores the proxy variables unless NODE_USE_ENV_PROXY=1 is set too; with
 * it, Node tunnels each call through CONNECT, which the mesh serves request by request.
 */
export type ShellKind = 'bash' | 'zsh' | 'fish' | 'powershell';

export const SHELLS: readonly ShellKind[] = ['bash', 'zsh', 'fish', 'powershell'];
export const NO_PROXY_HOSTS = 'localhost,127.0.0.1,::1';

/** The short form shown in the dashboard and the banner. */
export function exportLine(proxyUrl: string): string {
  return `export http_proxy=${proxyUrl}`;
}

export function shellEnv(shell: ShellKind, proxyUrl: string): string {
  const vars: [string, string][] = [
    ['http_proxy', proxyUrl],
    ['HTTP_PROXY', proxyUrl],
    ['no_proxy', NO_PROXY_HOSTS],
    ['NO_PROXY', NO_PROXY_HOSTS],
    ['NODE_USE_ENV_PROXY', '1'],
  ];
  switch (shell) {
    case 'fish':
      return vars.map(([name, value]) => `set -gx ${name} '${value}';`).join('\n');
    case 'powershell':
      return vars.map(([name, value]) => `$env:${name} = '${value}'`).join('\n');
    default:
      return vars.map(([name, value]) => `export ${name}='${value}'`).join('\n');
  }
}
