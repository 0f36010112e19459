#!/usr/bin/env node
// Node 20 cannot strip TypeScript types, so the CLI registers tsx's loader
// before importing the composition root.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
