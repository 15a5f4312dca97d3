/** The line a user pastes into their shell to send their services' traffic through the mesh. */
export function exportLine(proxyUrl: string): string {
  return `export http_proxy=${proxyUrl}`;
}
