// The deployed entry of the "health" function (package.json "main" globs dist/app/entries/*.js).
import { health } from '../../health.js';
import { register } from '../register.js';

await register(health);
