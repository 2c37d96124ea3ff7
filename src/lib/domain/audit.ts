type T = (key: string, params?: Record<string, string | number>) => string;

/** One entry of an estate's audit log, as estate_audit_log returns it. */
export interface AuditEntry {
	id: number;
	at: string;
	/** e.g. unit.changed, owner.linked (docs/api.md lists them). */
	action: string;
	label: string | null;
	before: Record<string, unknown> | null;
	after: Record<string, unknown> | null;
	/** The name of who made the change, for the committee; null when nobody did (the clock) or the name is not theirs to see. */
	actor: string | null;
	/** Someone made the change (the actor may still be unnamed). */
	actor_known: boolean;
	during_vote: boolean;
}

export interface AuditPage {
	entries: AuditEntry[];
	next_before: number | null;
}

/** The message key of an action: unit.changed → manage.audit.action.unit_changed. */
export const auditActionKey = (action: string) => `manage.audit.action.${action.replace('.', '_')}`;

/** A value of a field as people read it: statuses, roles and outcomes translated, yes / no, '—' for none. */
function valueText(action: string, field: string, v: unknown, t: T): string {
	if (v === null || v === undefined || v === '') return '—';
	if (typeof v === 'boolean') return t(v ? 'manage.audit.yes' : 'manage.audit.no');
	if (field === 'roles' && Array.isArray(v)) return v.map((r) => t(`role.${r}`)).join('、') || '—';
	if (field === 'status') {
		const area = action.split('.')[0];
		return t(area === 'membership' ? `membership.status.${v}` : area === 'vote' ? `vote.status.${v}` : `status.${v}`);
	}
	if (field === 'outcome') return t(`vote.outcome.${v}`);
	return String(v);
}

/** The fields an entry changed, named and valued for people, before and after. */
export function auditChanges(e: Pick<AuditEntry, 'action' | 'before' | 'after'>, t: T): { field: string; before: string; after: string }[] {
	const fields = [...new Set([...Object.keys(e.before ?? {}), ...Object.keys(e.after ?? {})])].filter((f) => f !== 'user_id');
	return fields.map((field) => ({
		field: t(`manage.audit.field.${field}`),
		before: valueText(e.action, field, e.before?.[field], t),
		after: valueText(e.action, field, e.after?.[field], t)
	}));
}
