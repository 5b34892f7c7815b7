// The deployed entry of the "reply" function (package.json "main" globs dist/app/entries/*.js).
import { reply } from '../../reply.js';
import { register } from '../register.js';

await register(reply);
