/** The notifications page (my_notifications). */
export interface Notifications {
	unread: number;
	items: { id: number; kind: 'threshold_reached' | 'issue_status' | 'comment_moderated' | 'membership_decided' | 'vote_opened' | 'vote_closed' | 'ballot_conflict' | 'publication_opened' | 'objection_raised' | 'objection_answered' | 'publication_final'; issue_id: string | null; payload: Record<string, string | number | boolean | null>; created_at: string; read: boolean }[];
}
