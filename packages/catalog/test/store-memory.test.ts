import { createMemoryStore } from '../src/index.js';
import { storeDeferredSuite } from './store-deferred-suite.js';
import { storeStatsSuite } from './store-stats-suite.js';
import { storeSuite } from './store-suite.js';

storeSuite('memory', async () => createMemoryStore());
storeStatsSuite('memory', async () => createMemoryStore());
storeDeferredSuite('memory', async () => createMemoryStore());
