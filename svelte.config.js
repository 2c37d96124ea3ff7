import adapter from '@sveltejs/adapter-node';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	kit: {
		// Precompressed assets: phones on slow networks get gzip or brotli files straight from disk.
		adapter: adapter({ out: 'build', precompress: true }),
		// Kit adds a nonce or hash for its own inline bootstrapping script, so no
		// 'unsafe-inline' is needed for scripts. Styles stay inline-capable because
		// Svelte transitions and Leaflet set style attributes.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				// The app's own files (photos come from /uploads) and the map's inlined icons. The
				// configured tile server, and Supabase Storage in supabase mode, are added by
				// hooks.server.ts when the server knows them (src/lib/server/csp.ts).
				'img-src': ['self', 'data:'],
				'connect-src': ['self'],
				'font-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		},
		alias: { $messages: 'messages' }
	}
};

export default config;
