import { applyAction, deserialize } from '$app/forms';
import { invalidateAll } from '$app/navigation';

/**
 * Submits a form action with XMLHttpRequest, which (unlike fetch) reports
 * upload progress, then applies the action's result as SvelteKit's own
 * enhance would. Without JavaScript the form posts normally.
 */
export function submitWithProgress(form: HTMLFormElement, onProgress: (fraction: number | null) => void): Promise<void> {
	return new Promise((resolve) => {
		const xhr = new XMLHttpRequest();
		xhr.open('POST', form.action);
		xhr.setRequestHeader('accept', 'application/json');
		xhr.setRequestHeader('x-sveltekit-action', 'true');
		xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
		xhr.upload.onload = () => onProgress(1);
		xhr.onloadend = async () => {
			onProgress(null);
			const result = deserialize(xhr.responseText || '{"type":"error","error":{"message":"errors.internal"}}');
			if (result.type === 'success') await invalidateAll();
			await applyAction(result);
			resolve();
		};
		xhr.send(new FormData(form));
	});
}
