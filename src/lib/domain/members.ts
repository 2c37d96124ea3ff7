import type { Role } from './me';

/** The committee's members page (estate_members). */
export interface EstateMembers {
	pending: { id: string; name: string; unit: string | null; unit_note: string | null; claims_owner: boolean; created_at: string }[];
	members: {
		id: string;
		user_id: string;
		name: string;
		unit: string | null;
		roles: Role[];
		decided_at: string | null;
		/** The owner record the member is linked to, if any. */
		owner: { id: string; name: string } | null;
		/** The owners the register names for the member's unit; taken = linked to someone else. */
		unit_owners: { id: string; name: string; taken: boolean }[];
	}[];
	units: number;
	can_grant: Role[];
}

/** One page of the unit register (estate_units). */
export interface UnitPage {
	total: number;
	floor_area: number;
	units: { id: string; building: string; entrance: string; room: string; floor_area: number; developer_held: boolean; owners: string[] }[];
}
