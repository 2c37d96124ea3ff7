import { error } from '@sveltejs/kit';
import { loadCall } from '$lib/server/page-call';
import { qrImage } from '$lib/server/qr';
import type { PageServerLoad } from './$types';

/**
 * A party member's printed service card, and the public page its QR code opens:
 * what the card claims (name, branch, community, hours by quarter), nothing else.
 */
export const load: PageServerLoad = async ({ locals, params, url }) => {
	const card = await loadCall(locals, 'verify_service_card', { p_code: params.code });
	if (!card) error(404, { message: 'errors.card_not_found' });
	return { card, qr: await qrImage(`${url.origin}/cards/${params.code}`) };
};
