// The deployed entry of the "speech" function (package.json "main" globs dist/app/entries/*.js).
import { speech } from '../../speech.js';
import { register } from '../register.js';

await register(speech);
