import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { bodySizeDefault } from './src/lib/server/body-size.js';

export default defineConfig({
	plugins: [sveltekit(), bodySizeDefault()],
	server: { port: 3000 },
	test: {
		// PGlite takes a while to start under load; db and server files each open their own.
		testTimeout: 60_000,
		hookTimeout: 120_000,
		projects: [
			{ extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], sequence: { groupOrder: 0 } } },
			{
				extends: true,
				test: {
					name: 'db',
					include: ['tests/db/**/*.test.ts'],
					globalSetup: ['tests/db/global-setup.ts'],
					// Two cores: one PGlite per worker is what the machine holds comfortably.
					maxWorkers: 2,
					// Projects with their own worker limits run one after another.
					sequence: { groupOrder: 1 }
				}
			},
			{
				extends: true,
				test: {
					name: 'server',
					include: ['tests/server/**/*.test.ts'],
					globalSetup: ['tests/db/global-setup.ts'],
					maxWorkers: 2,
					sequence: { groupOrder: 2 }
				}
			}
		]
	}
});
