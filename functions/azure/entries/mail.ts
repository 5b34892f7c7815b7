// The deployed entry of the "mail" function (package.json "main" globs dist/app/entries/*.js).
import { mail } from '../../mail.js';
import { register } from '../register.js';

await register(mail);
