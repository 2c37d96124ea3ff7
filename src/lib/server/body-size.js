/**
 * The largest request body the server accepts, unless BODY_SIZE_LIMIT says
 * otherwise: six photos of up to 10 MB each (photos.ts), or a unit register
 * or GeoJSON import, with room for the form around them. adapter-node's own
 * default, 512 KB, refuses an ordinary phone photo.
 */
export const BODY_SIZE_LIMIT = '64M';

// Plain JavaScript, so that vite.config.ts can import it by its full name.

/**
 * The one place that default reaches the server, for `npm start` and a plain
 * `node build` alike: adapter-node reads BODY_SIZE_LIMIT when its handler
 * module is evaluated, after the modules it imports, and the first of those
 * is the app's server entry (build/server/index.js). This line, put at the
 * top of that entry, fills in the variable before the handler reads it.
 */
/** @returns {import('vite').Plugin} */
export function bodySizeDefault() {
	return {
		name: 'linyi-body-size-default',
		apply: 'build',
		renderChunk(code, chunk) {
			if (this.environment.config.consumer !== 'server' || !chunk.isEntry || chunk.fileName !== 'index.js') return null;
			const line = `if (!process.env.BODY_SIZE_LIMIT) process.env.BODY_SIZE_LIMIT = ${JSON.stringify(BODY_SIZE_LIMIT)};\n`;
			return { code: line + code, map: null };
		}
	};
}
