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

/**
 * A setup code as it was written down, whatever was typed: any case, with or
 * without its dashes, with spaces. Twelve letters and digits become the
 * K4TW-9MHX-A3PC form the code was made in; anything else stays as typed (and
 * is refused as a wrong code).
 */
export function normaliseSetupCode(typed: string): string {
	const bare = typed.toUpperCase().replace(/[^0-9A-Z]/g, '');
	return bare.length === 12 ? `${bare.slice(0, 4)}-${bare.slice(4, 8)}-${bare.slice(8)}` : typed.toUpperCase();
}
