import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('README', () => {
	it('asks for the Node.js version package.json requires', () => {
		const engines = JSON.parse(readFileSync('package.json', 'utf8')).engines.node as string;
		const version = /^>=\s*([\d.]+)$/.exec(engines)![1];
		const readme = readFileSync('README.md', 'utf8');
		expect(readme).toContain(`Node.js ${version} or newer`);
		expect(readme).not.toMatch(/Node\.js 20 \(or newer\)/);
	});
});
