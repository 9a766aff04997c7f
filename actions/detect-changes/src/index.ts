import { runAction } from '@deploy-suite/kit';
await runAction({ name: 'detect-changes', main: async () => {} });
