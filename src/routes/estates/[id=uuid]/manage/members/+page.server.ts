import { fail } from '@sveltejs/kit';
import { superValidate } from 'sveltekit-superforms';
import { zod4 } from 'sveltekit-superforms/adapters';
import { assistedSchema, decideSchema, linkOwnerSchema, rolesSchema } from '$lib/domain/schemas';
import type { Role } from '$lib/domain/me';
import { requireManager } from '$lib/server/guard';
import { refuse } from '$lib/server/forms';
import { loadCall } from '$lib/server/page-call';
import type { Actions, PageServerLoad } from './$types';
import type { AssistedAccount } from '$lib/server/auth/types';


export const load: PageServerLoad = async (event) => {
	requireManager(event, event.params.id);
	const [members, buildings] = await Promise.all([
		loadCall(event.locals, 'estate_members', { p_estate_id: event.params.id }),
		loadCall(event.locals, 'estate_buildings', { p_estate_id: event.params.id })
	]);
	return { members, buildings, assistedForm: await superValidate(zod4(assistedSchema)) };
};

export const actions: Actions = {
	decide: async (event) => {
		requireManager(event, event.params.id);
		const form = await superValidate(event.request, zod4(decideSchema));
		if (!form.valid) return fail(400, { form });
		try {
			await event.locals.call('decide_membership', {
				p_membership_id: form.data.membership_id,
				p_verify: form.data.verify,
				p_reason: form.data.reason
			});
		} catch (e) {
			return refuse(form, e);
		}
		return { form };
	},
	roles: async (event) => {
		requireManager(event, event.params.id);
		const form = await superValidate(event.request, zod4(rolesSchema));
		if (!form.valid) return fail(400, { form });
		try {
			await event.locals.call('set_member_roles', { p_membership_id: form.data.membership_id, p_roles: form.data.roles });
		} catch (e) {
			return refuse(form, e);
		}
		return { form };
	},
	/** Links a member to their owner record after the committee checked their papers; they then vote for its units. */
	owner: async (event) => {
		requireManager(event, event.params.id);
		const form = await superValidate(event.request, zod4(linkOwnerSchema), { id: 'owner' });
		if (!form.valid) return fail(400, { form });
		try {
			await event.locals.call('link_owner', { p_membership_id: form.data.membership_id, p_owner_id: form.data.owner_id ?? null });
		} catch (e) {
			return refuse(form, e);
		}
		return { form, linked: form.data.membership_id };
	},
	/** An account for a resident without a phone: the setup code is shown once, here, and never stored in the clear. */
	assisted: async (event) => {
		const me = requireManager(event, event.params.id);
		const form = await superValidate(event.request, zod4(assistedSchema));
		if (!form.valid) return fail(400, { form });
		let unitId: string;
		try {
			unitId = await event.locals.call('find_unit', {
				p_estate_id: event.params.id,
				p_building_id: form.data.building_id,
				p_entrance: form.data.entrance,
				p_room: form.data.room
			});
		} catch (e) {
			return refuse(form, e);
		}
		let account: AssistedAccount;
		try {
			account = await event.locals.runtime.auth.createAssistedMember(event.locals.authContext, {
				displayName: form.data.display_name,
				createdBy: me.user_id,
				estateId: event.params.id,
				unitId
			});
		} catch (e) {
			return refuse(form, e);
		}
		return { form, assisted: { name: form.data.display_name, loginId: account.loginId, setupCode: account.setupCode } };
	}
};
