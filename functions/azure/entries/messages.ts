// The deployed entry of the "messages" function (package.json "main" globs dist/app/entries/*.js).
import { messages } from '../../messages.js';
import { register } from '../register.js';

await register(messages);
