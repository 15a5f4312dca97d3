/**
 * zod compiles its object checks with `new Function` where the page allows eval. The dashboard's
 * Content-Security-Policy does not (index.html, main/electron/security.ts), so zod's probe for it
 * was refused and reported as a CSP violation on every start, and zod checked without compiling
 * anyway. Saying so before the first parse skips the probe and its report. Imported first by main.tsx.
 */
import { z } from 'zod';

z.config({ jitless: true });
