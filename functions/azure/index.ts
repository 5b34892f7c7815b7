/**
 * Registers every function at once, unbundled (node dist/functions/azure/index.js, tests). The deployed app
 * loads entries/*.ts instead, bundled one file per function (build/bundle.ts).
 */
import { functions } from '../all.js';
import { register } from './register.js';

for (const fn of functions) await register(fn);
