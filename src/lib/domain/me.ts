export type Role = 'owner' | 'volunteer' | 'moderator' | 'committee' | 'party_member';
export const ROLES: Role[] = ['owner', 'volunteer', 'moderator', 'committee', 'party_member'];

export interface MyMembership {
	id: string;
	estate_id: string;
	estate_name: string;
	status: 'pending' | 'verified' | 'rejected';
	roles: Role[];
	reason: string | null;
	unit: string | null;
	unit_note: string | null;
	decided_at: string | null;
}

/** What my_context() returns: who the signed-in user is, in every estate. */
export interface Me {
	user_id: string;
	display_name: string;
	locale: string;
	is_admin: boolean;
	memberships: MyMembership[];
}

export function membershipIn(me: Me | null, estateId: string): MyMembership | undefined {
	// An id in the address may be typed in capitals; the database's are lower case.
	const id = estateId.toLowerCase();
	return me?.memberships.find((m) => m.estate_id === id);
}

export function isVerifiedMember(me: Me | null, estateId: string): boolean {
	return me?.is_admin === true || membershipIn(me, estateId)?.status === 'verified';
}

/** Committee members and administrators manage an estate's members, areas and units. */
export function managesEstate(me: Me | null, estateId: string): boolean {
	if (!me) return false;
	if (me.is_admin) return true;
	const m = membershipIn(me, estateId);
	return m?.status === 'verified' && m.roles.includes('committee');
}

/** Moderators, committee members and administrators moderate an estate's discussions (as private.moderates_estate). */
export function moderatesEstate(me: Me | null, estateId: string): boolean {
	if (!me) return false;
	if (me.is_admin) return true;
	const m = membershipIn(me, estateId);
	return m?.status === 'verified' && (m.roles.includes('committee') || m.roles.includes('moderator'));
}
