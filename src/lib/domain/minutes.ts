/**
 * Minutes (会议纪要): what meeting_minutes returns. No zod here, so that the
 * minutes pages stay light (schemas: minutes-schemas.ts).
 */
import type { PublicationStatus } from './publications';

export interface MeetingMinutes {
	meeting: {
		id: string;
		estate_id: string;
		kind: 'council' | 'residents' | 'hearing' | 'owners';
		title: string;
		starts_at: string;
		ends_at: string;
		place: string;
		status: 'scheduled' | 'in_session' | 'closed' | 'cancelled';
		anonymous: boolean;
		estate_name: string;
		/** Named for the estate's members only. */
		chair: string | null;
		recorder: string | null;
	};
	/** The draft, for the estate's members: as assembled from the record, and as the recorder edited it. */
	draft: { assembled: string[]; paragraphs: string[]; assembled_at: string; edited_at: string | null } | null;
	/** Once published (公示): its window and current text. */
	publication: {
		id: string;
		status: PublicationStatus;
		revision: number;
		opens_at: string;
		closes_at: string;
		final_at: string | null;
		window_days: number;
		title: string;
		paragraphs: string[];
		objections: number;
		unanswered: number;
	} | null;
	can_draft: boolean;
	can_edit: boolean;
	can_publish: boolean;
}
