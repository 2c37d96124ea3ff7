/** The notifications page (my_notifications). Kinds are data (public.notification_kinds): each capability adds its own. */
export interface Notifications {
	unread: number;
	items: { id: number; kind: string; issue_id: string | null; payload: Record<string, string | number | boolean | null>; created_at: string; read: boolean }[];
}
