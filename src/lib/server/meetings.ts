import { fromChinaLocal } from '$lib/format';
import type { MeetingForm } from '$lib/domain/meeting-schemas';

/** The scheduling form's fields as the arguments schedule_meeting and update_meeting share. */
export function meetingArgs(f: MeetingForm) {
	return {
		p_kind: f.kind,
		p_title: f.title,
		p_description: f.description,
		p_starts_at: fromChinaLocal(f.starts_at),
		p_ends_at: fromChinaLocal(f.ends_at),
		p_place: f.place,
		p_online_url: f.online_url || null,
		p_chair_id: f.chair_id ?? null,
		p_recorder_id: f.recorder_id ?? null,
		p_admission: f.admission,
		p_invitee_ids: f.invitee_ids,
		p_rules: { max_proxies: f.max_proxies, seconds_needed: f.seconds_needed, speech_seconds: f.speech_seconds, speeches_per_motion: f.speeches_per_motion }
	};
}
