/** `meshdesk env`: the line that sends a shell's HTTP traffic through the mesh. */
import { Command, Option } from 'commander';
import { exportLine } from '../../shared/export-line.js';
import { DEFAULT_PROXY_PORT, parsePort } from './options.js';

export function envCommand(): Command {
  return new Command('env')
    .description('print the export line for your shell')
    .addOption(new Option('--proxy-port <port>', 'proxy port').env('MESHDESK_PROXY_PORT').argParser(parsePort).default(DEFAULT_PROXY_PORT))
    .action((options: { proxyPort: number }) => {
      console.log(exportLine(`http://127.0.0.1:${options.proxyPort}`));
    });
}
