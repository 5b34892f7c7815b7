// @azure/functions is CommonJS whose named exports Node's ESM loader cannot detect: import it whole, once.
import functionsPackage from '@azure/functions';

export const { app, HttpRequest, InvocationContext } = functionsPackage;
