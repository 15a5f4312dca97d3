/** Command-line flags of the demo services: `--name value` pairs, nothing more. */
export function flag(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? process.argv[index + 1] : undefined;
  return value ?? fallback;
}

/** Tells the demo runner the service is up and on which port (it may have asked for port 0). */
export function announceListening(service: string, port: number): void {
  console.log(`${service} listening on 127.0.0.1:${port}`);
}
