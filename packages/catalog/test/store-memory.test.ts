import { createMemoryStore } from '../src/index.js';
import { storeSuite } from './store-suite.js';

storeSuite('memory', async () => createMemoryStore());
