// The language server's entry point (dist/server.js): wiring lives in ./lsp.
import { startServer } from './lsp/start';

startServer();
