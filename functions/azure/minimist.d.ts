/**
 * @azure/functions-extensions-servicebus ships its TypeScript sources as its types; one of them imports
 * `minimist`, which has no typings of its own. Declared here (untyped) so the type check can read them.
 */
declare module 'minimist';
