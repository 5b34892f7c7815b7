#!/usr/bin/env node
// The `talkback` command (package.json "bin"): runs cli/talkback.ts through tsx, as npm start does.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/talkback.ts');
await main();
