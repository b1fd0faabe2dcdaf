import { createMemoryStore } from '../src/index.js';
import { storeStatsSuite } from './store-stats-suite.js';
import { storeSuite } from './store-suite.js';

storeSuite('memory', async () => createMemoryStore());
storeStatsSuite('memory', async () => createMemoryStore());
