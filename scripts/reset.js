#!/usr/bin/env node
// npm run reset: deletes the embedded database (and uploads) after asking.
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';

/** A yes in the words people type at this prompt, in English or Chinese. */
function isYes(answer) {
	return ['y', 'yes', '是', '好', '是的', '好的'].includes(answer.trim().toLowerCase());
}

const dir = path.resolve(process.env.DATA_DIR || './data');
if (!existsSync(dir)) {
	console.log(`Nothing to reset: ${dir} does not exist.`);
	process.exit(0);
}
// The usual yes of either language; anything else keeps the data.
const YES = new Set(['y', 'yes', '是', '是的', '好', '对', '确定']);
let sure = process.argv.includes('--yes');
if (!sure) {
	const rl = createInterface({ input: process.stdin, output: process.stdout });
	const answer = await rl.question(`Delete ${dir} — every issue, vote and account in it — for good?\n删除全部数据（议题、表决、账号）？ Type y or yes (是 / 好) to delete, anything else keeps it: `);
	rl.close();
	sure = isYes(answer);
}
if (!sure) {
	console.log('Kept: nothing was deleted (answer y, yes, 是 or 好 to delete; or run npm run reset -- --yes).');
	process.exit(1);
}
rmSync(dir, { recursive: true, force: true });
console.log(`Deleted ${dir}. The next npm start creates a new database with the demo.`);
