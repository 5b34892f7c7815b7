// The deployed entry of the "log" function (package.json "main" globs dist/app/entries/*.js).
import { log } from '../../log.js';
import { register } from '../register.js';

await register(log);
