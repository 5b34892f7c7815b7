// The deployed entry of the "digest" function (package.json "main" globs dist/app/entries/*.js).
import { digest } from '../../digest.js';
import { register } from '../register.js';

await register(digest);
