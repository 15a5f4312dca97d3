/**
 * Filter words: the one-line filter language shared by the dashboard's filter bar and `meshdesk tap`,
 * parsed into the log query's filters (exchange.ts `logQuerySchema`) and formatted back.
 *
 *   service=world caller=hello version=v2 instance=127.0.0.1:7003 kind=external method=GET
 *   status=5xx status=404 grpc-status=UNAVAILABLE grpc-status=14 method~SayHello
 *   path~/api path=~^/api/v[0-9]+ min=200ms errors header:x-id=7 header:x-id
 *   free text "quoted text" key="quoted value"
 *
 * `path~` is "contains" and `path=~` a regular expression (the `=~` of Perl and bash, so neither
 * has to guess whether `/api/` meant a pattern). `method=` is the HTTP method, exactly; `method~`
 * is text in the method a person reads, which for a gRPC call is the one it calls
 * (`/helloworld.Greeter/SayHello`). `grpc-status=` keeps gRPC calls that ended with that status,
 * by name in any case or by number. Words that are not filters are joined into the
 * free text. A word that looks like a filter but is not one is an error, not free text: a typo
 * such as `servce=world` must not silently search for the text "servce=world". Values are checked
 * by the same schema the admin API checks them with, so a bad status or regex is reported here,
 * in the words the user typed, before any request goes out.
 */
import { logQuerySchema } from './exchange.js';
import { parseGrpcStatus } from './grpc-codes.js';
import type { LogFilter } from './log-filter.js';

/** The filters of a log query, without paging. */
export type { LogFilter } from './log-filter.js';

export interface WordsResult {
  filter: LogFilter;
  /** One message per word that could not be used; the rest still filter. */
  errors: string[];
}

/** Keys written `key=value`, in the order `formatFilterWords` writes them. */
const EQUALS_KEYS = ['service', 'caller', 'version', 'instance', 'kind', 'method', 'status'] as const;
type EqualsKey = (typeof EQUALS_KEYS)[number];

/** Parses filter words; never throws. */
export function parseFilterWords(input: string): WordsResult {
  const filter: LogFilter = {};
  const errors: string[] = [];
  const text: string[] = [];
  for (const word of tokenize(input)) {
    const error = applyWord(word, filter, text);
    if (error) errors.push(error);
  }
  if (text.length > 0) filter.text = text.join(' ');
  // The admin API's own schema: what it would refuse is refused here, named by the word's key.
  const checked = logQuerySchema.safeParse(filter);
  if (checked.success) return { filter, errors };
  const refused = new Set<string>();
  for (const issue of checked.error.issues) {
    const key = String(issue.path[0] ?? '');
    errors.push(`${wordKey(key)}: ${issue.message}`);
    refused.add(key);
  }
  return { filter: Object.fromEntries(Object.entries(filter).filter(([key]) => !refused.has(key))) as LogFilter, errors };
}

/** The words for a filter, in a fixed order; `parseFilterWords(formatFilterWords(f))` gives `f` back. */
export function formatFilterWords(filter: LogFilter): string {
  const words: string[] = [];
  for (const key of EQUALS_KEYS) {
    const value = filter[key];
    if (value !== undefined && value !== '') words.push(`${key}=${quote(value)}`);
  }
  if (filter.grpcStatus) words.push(`grpc-status=${quote(filter.grpcStatus)}`);
  if (filter.methodContains) words.push(`method~${quote(filter.methodContains)}`);
  if (filter.path) words.push(`path~${quote(filter.path)}`);
  if (filter.pathRegex) words.push(`path=~${quote(filter.pathRegex)}`);
  if (filter.minLatencyMs !== undefined) words.push(`min=${filter.minLatencyMs}ms`);
  if (filter.errorsOnly) words.push('errors');
  if (filter.headerName) {
    words.push(`header:${quote(filter.headerName)}${filter.headerValue !== undefined ? `=${quote(filter.headerValue)}` : ''}`);
  }
  if (filter.text) words.push(...filter.text.split(/\s+/).filter(Boolean).map(quoteText));
  return words.join(' ');
}

/** True when the filter has no condition at all. */
export function isEmptyFilter(filter: LogFilter): boolean {
  return Object.values(filter).every((value) => value === undefined || value === '' || value === false);
}

interface Word {
  /** The word as written, quotes removed. */
  raw: string;
  /** The part before the operator, when the word has one outside quotes. */
  key: string | null;
  operator: '=' | '~' | '=~' | null;
  value: string;
  /** Any part of the word was quoted: a quoted word is free text even if it looks like a flag. */
  quoted: boolean;
}

function applyWord(word: Word, filter: LogFilter, text: string[]): string | null {
  const bare = word.key === null && !word.quoted;
  if (bare && word.raw.toLowerCase() === 'errors') {
    filter.errorsOnly = true;
    return null;
  }
  const headerWord = (word.key ?? (bare ? word.raw : '')).toLowerCase().startsWith('header:');
  if (word.key === null && !headerWord) {
    text.push(word.raw);
    return null;
  }
  const key = (word.key ?? word.raw).toLowerCase();
  if (headerWord) {
    const name = (word.key ?? word.raw).slice('header:'.length);
    if (!name) return `${word.raw}: name the header, as in header:x-request-id=7`;
    if (word.operator !== '=' && word.operator !== null) return `${word.raw}: write header:name=value`;
    filter.headerName = name;
    if (word.operator === '=') filter.headerValue = word.value;
    else delete filter.headerValue;
    return null;
  }
  if (key === 'path') {
    if (word.operator === '=~') filter.pathRegex = word.value;
    else filter.path = word.value;
    return null;
  }
  if (key === 'method' && word.operator === '~') {
    filter.methodContains = word.value;
    return null;
  }
  if (word.operator !== '=') return `${word.raw}: ${key} takes = (path and method take ~ for text, path =~ for a pattern)`;
  if ((EQUALS_KEYS as readonly string[]).includes(key)) {
    filter[key as EqualsKey] = key === 'method' ? word.value.toUpperCase() : word.value;
    return null;
  }
  if (key === 'grpc-status') {
    if (parseGrpcStatus(word.value) === null) return `${word.raw}: grpc-status takes a gRPC status name such as UNAVAILABLE (any case) or a code from 0 to 16`;
    filter.grpcStatus = word.value.toUpperCase();
    return null;
  }
  if (key === 'min') {
    const ms = parseDuration(word.value);
    if (ms === null) return `${word.raw}: min takes a duration like 200ms, 1.5s or 250`;
    filter.minLatencyMs = ms;
    return null;
  }
  if (key === 'errors') {
    const on = /^(true|1|yes|on)$/i.test(word.value);
    if (!on && !/^(false|0|no|off)$/i.test(word.value)) return `${word.raw}: errors takes true or false`;
    filter.errorsOnly = on;
    return null;
  }
  return `${word.raw}: unknown filter "${word.key}" (known: ${[...EQUALS_KEYS, 'grpc-status', 'path', 'min', 'errors', 'header:NAME'].join(', ')})`;
}

/** `200ms`, `1.5s`, `250` (milliseconds); null when it is none of these. */
export function parseDuration(value: string): number | null {
  const match = /^(\d+(?:\.\d+)?)(ms|s)?$/i.exec(value.trim());
  if (!match) return null;
  const amount = Number(match[1]);
  return match[2]?.toLowerCase() === 's' ? amount * 1000 : amount;
}

/** Splits on whitespace outside double quotes; `\"` and `\\` escape inside quotes. */
function tokenize(input: string): Word[] {
  const words: Word[] = [];
  let i = 0;
  while (i < input.length) {
    while (i < input.length && /\s/.test(input[i] as string)) i++;
    if (i >= input.length) break;
    let raw = '';
    let quoted = false;
    let key: string | null = null;
    let operator: Word['operator'] = null;
    let valueStart = 0;
    while (i < input.length && !/\s/.test(input[i] as string)) {
      const char = input[i] as string;
      if (char === '"') {
        quoted = true;
        i++;
        while (i < input.length && input[i] !== '"') {
          if (input[i] === '\\' && i + 1 < input.length) i++;
          raw += input[i];
          i++;
        }
        i++; // the closing quote (or the end of an unterminated one)
        continue;
      }
      if (key === null && (char === '=' || char === '~') && raw.length > 0) {
        key = raw;
        operator = char === '=' && input[i + 1] === '~' ? '=~' : (char as '=' | '~');
        i += operator.length;
        raw += operator;
        valueStart = raw.length;
        continue;
      }
      raw += char;
      i++;
    }
    words.push({ raw, key, operator, value: key === null ? raw : raw.slice(valueStart), quoted });
  }
  return words;
}

function wordKey(field: string): string {
  switch (field) {
    case 'pathRegex':
      return 'path=~';
    case 'methodContains':
      return 'method~';
    case 'grpcStatus':
      return 'grpc-status';
    case 'minLatencyMs':
      return 'min';
    case 'headerName':
    case 'headerValue':
      return 'header';
    default:
      return field;
  }
}

function quote(value: string): string {
  return /^[^\s"\\]+$/.test(value) ? value : `"${value.replace(/["\\]/g, '\\$&')}"`;
}

/** Free-text words that would read as filters (`errors`, `a=b`, `header:x`) are quoted so they stay text. */
function quoteText(word: string): string {
  return /[=~"\\]/.test(word) || /^(errors|header:.*)$/i.test(word) ? `"${word.replace(/["\\]/g, '\\$&')}"` : word;
}
