// Lets a child process started by a test run our TypeScript sources directly with Node's type
// stripping: NodeNext sources import `./x.js`, which exists only as `./x.ts` before a build, so a
// relative `.js` import that does not resolve is retried as `.ts`. For tests and dev scripts (npm run schema); the product runs from dist/.
import { registerHooks } from 'node:module';

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      if (specifier.startsWith('.') && specifier.endsWith('.js')) return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
      throw error;
    }
  },
});
