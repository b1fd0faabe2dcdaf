import { createPgliteStore } from '../src/index.js';
import { storeSuite } from './store-suite.js';

storeSuite('pglite', async () => createPgliteStore());
