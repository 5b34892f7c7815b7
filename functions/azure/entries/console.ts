// The deployed entry of the "console" function (the staff console behind App Service authentication).
import { staffConsole } from '../../console.js';
import { register } from '../register.js';

await register(staffConsole);
