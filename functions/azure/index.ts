/**
 * Registers every function at once, unbundled (node dist/functions/azure/index.js, tests). The deployed app
 * loads entries/*.ts instead, bundled one file per function (build/bundle.ts).
 */
import { functions } from '../all.js';
import { staffConsole } from '../console.js';
import { register } from './register.js';

for (const fn of functions) await register(fn);
// The staff console is an Azure-only HTTP function (the local host serves it at / itself).
await register(staffConsole);
