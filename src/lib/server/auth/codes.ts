import { createHash, randomBytes, randomInt } from 'node:crypto';

/** 256 bits of randomness for a session token; only its hash is stored. */
export function newSessionToken(): string {
	return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
	return createHash('sha256').update(token).digest('hex');
}

// Letters and digits that cannot be mistaken for one another when read aloud or from paper.
const CLEAR = 'ACDEFGHJKMNPQRTUVWXY34679';

function clearCode(length: number): string {
	let s = '';
	for (let i = 0; i < length; i++) s += CLEAR[randomInt(CLEAR.length)];
	return s;
}

/** A login id for an assisted account, e.g. "L7KX4Q". */
export function newLoginId(): string {
	return 'L' + clearCode(5);
}

/** A one-time setup code, e.g. "K4TW-9MHX-A3PC": about 60 bits, typed once from paper. */
export function newSetupCode(): string {
	return [clearCode(4), clearCode(4), clearCode(4)].join('-');
}
