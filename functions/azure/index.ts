/**
 * Registers every function at once, unbundled (node dist/functions/index.js, tests). The deployed app
 * loads functions/azure/entries/*.ts instead, bundled one file per function (functions/azure/build/bundle.ts).
 */
import { functions } from '../all.js';
import { register } from './register.js';

for (const fn of functions) register(fn);
